import type { Db } from '../../db/database.ts';
import { birthDateFromCpr } from '../../kernel/identifiers.ts';

/** SQL the login needs: staff users by OIDC subject, and a person's recipient row by CPR. */
export async function findStaffUserBySubject(db: Db, subject: string) {
  return db
    .selectFrom('staff_user')
    .select(['id', 'name', 'role', 'municipality_code', 'sender_id'])
    .where('subject', '=', subject)
    .executeTakeFirst();
}

/**
 * The person with this CPR number, created (automatically enrolled) when they are not yet known: everyone who can
 * log in with MitID is a person who can receive Digital Post.
 */
// TODO(registry): move to a registry service function once the registry module exports one.
export async function findOrCreatePersonByCpr(
  db: Db,
  cpr: string,
  name: string,
): Promise<{ id: string; name: string }> {
  const existing = await db.selectFrom('recipient').select(['id', 'name']).where('cpr', '=', cpr).executeTakeFirst();
  if (existing) return existing;
  await db
    .insertInto('recipient')
    .values({ kind: 'person', cpr, name, birth_date: birthDateFromCpr(cpr), enrolment: 'automatic' })
    .onConflict((oc) => oc.column('cpr').doNothing())
    .execute();
  // Re-read: a concurrent first login may have inserted the row first.
  return db.selectFrom('recipient').select(['id', 'name']).where('cpr', '=', cpr).executeTakeFirstOrThrow();
}
