import { type Kysely, sql } from 'kysely';

/**
 * The feeds' horizon (the event feed, the inbound feed, the business inbox and their webhooks) hands out a row only
 * once every transaction that could still commit an older one has ended. That was `pg_snapshot_xmin` of the current
 * snapshot: the oldest running transaction of the whole cluster, so a long write in another database (a bulk load, a
 * migration, another application) held every feed back. No transaction of another database can write Kuvert's
 * tables, so kuvert_feed_horizon() leaves out the running transactions that pg_stat_activity shows in another
 * database, and keeps every other one (this database's, prepared ones, any it cannot place): leaving out only what is
 * known to be elsewhere, it can only be later than before for rows that cannot exist, never for ours. The activity
 * is read after the statement's snapshot, so a transaction that has ended by then is not in it and stays counted.
 * Call it as `(select kuvert_feed_horizon())`, once a statement.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function kuvert_feed_horizon() returns xid8 language sql stable as $$
      select coalesce(
        (select min(x) from pg_snapshot_xip(pg_current_snapshot()) as x
         where not exists (
           select 1 from pg_stat_activity a
           where a.datname is distinct from current_database() and a.backend_xid is not null
             and a.backend_xid::text::bigint = x::text::bigint % 4294967296)),
        pg_snapshot_xmax(pg_current_snapshot()))
    $$`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop function kuvert_feed_horizon()`.execute(db);
}
