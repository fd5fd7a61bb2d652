import { type Kysely, sql } from 'kysely';

// The audit trail becomes one hash chain per mailbox plus one for events about no mailbox (src/modules/audit): the
// head of the no-mailbox chain is found through this index (mailbox chains use audit_event_mailbox).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index audit_event_global on audit_event (id) where mailbox_recipient_id is null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index audit_event_global`.execute(db);
}
