import { type Kysely, sql } from 'kysely';

/**
 * One event row may stand for a run of up to three events of one letter that happened in one statement at one
 * time: `type` is the first, `more_types` the rest, in order. Bulk intake writes a letter's RECEIVED, VALIDATED and
 * (when it goes straight to the mailbox) AVAILABLE_TO_RECIPIENT as one such row: a third of the rows and index
 * entries the event log cost per letter.
 *
 * Event ids stay what senders see: the id sequence now steps by 3, and the k-th event of a row (k = 0, 1, 2) has
 * the id `id + k`. Ids written before keep their values and are still unique; the feed's order by (tx_id, id) is
 * unchanged.
 *
 * `message_event_expanded` is the log with one row per event (id, type as senders see them; `row_id` is the stored
 * row): for reads by letter. The sender's feed reads the table itself, in index order, and expands its page.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table message_event add column more_types text[] not null default '{}';
    alter table message_event add constraint message_event_run check (cardinality(more_types) <= 2);
    alter sequence message_event_id_seq increment by 3;
    create view message_event_expanded as
      select e.id + r.k - 1 as id, e.id as row_id, e.message_id, e.sender_id, r.type, e.occurred_at, e.data, e.tx_id
      from message_event e
      cross join lateral unnest(array[e.type] || e.more_types) with ordinality as r(type, k);
  `.execute(db);
}
