import type { Db } from '../../db/database.ts';

/** Sets a sender's default retention in years (null: none); the caller checks it against the national maximum. */
export async function setSenderRetentionYears(db: Db, senderId: string, years: number | null): Promise<void> {
  await db.updateTable('sender').set({ retention_years: years }).where('id', '=', senderId).execute();
}
