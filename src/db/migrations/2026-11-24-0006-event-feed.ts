import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- The transaction that wrote each event. The sender's feed only hands out events older than every transaction
    -- still running, ordered by (tx_id, id): an event can then never appear behind a cursor already handed out.
    alter table message_event add column tx_id xid8 not null default pg_current_xact_id();
    create index message_event_feed on message_event (sender_id, tx_id, id);
  `.execute(db);
}
