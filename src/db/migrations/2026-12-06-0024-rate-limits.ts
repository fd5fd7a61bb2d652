import { type Kysely, sql } from 'kysely';

/**
 * Rate-limit counters shared by every Kuvert node (KUVERT_RATE_LIMIT_STORE=postgres): one row per limited key
 * (class and client address, API key or person) with its count in the current fixed window. Unlogged: a counter
 * is worth no WAL, and losing them in a crash only resets the windows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create unlogged table rate_limit_hit (
      key text primary key,
      count integer not null,
      reset_at timestamptz not null
    );
    create index rate_limit_hit_reset_at on rate_limit_hit (reset_at);
  `.execute(db);
}
