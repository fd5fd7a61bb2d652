import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

/**
 * Closed mailboxes whose time is up (issue 18): closed (death: five years on; a ceased company:
 * KUVERT_BUSINESS_RETENTION_YEARS), delete_after on or before `today` (Copenhagen), and not purged yet. The purge
 * (mailbox/purge-letters.ts) deletes their letters, then marks them purged.
 */
export async function closedMailboxesDue(db: Db, now: Date, limit: number): Promise<string[]> {
  const rows = await sql<{ id: string }>`
    select id from recipient
    where enrolment = 'closed' and delete_after is not null and purged_at is null
      and delete_after <= (${now}::timestamptz at time zone 'Europe/Copenhagen')::date
    order by delete_after, id
    limit ${limit}
  `.execute(db);
  return rows.rows.map((r) => r.id);
}

/** Marks a closed mailbox whose letters were all purged; false if it is no longer closed (re-enrolled meanwhile). */
export async function markMailboxPurged(db: Db, recipientId: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('recipient')
    .set({ purged_at: now })
    .where('id', '=', recipientId)
    .where('enrolment', '=', 'closed')
    .where('purged_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
