import { type Kysely, sql } from 'kysely';

/**
 * A search reads every candidate letter's word parts (`mailbox_search.terms`, a tsvector of a few hundred bytes to a
 * few kilobytes). Kept in the row (storage MAIN: compressed, moved out of line only when the row would not fit a
 * page) and compressed with LZ4 where the server has it, a letter's terms are read without a TOAST lookup and
 * decompressed faster: 2.4 µs a letter instead of 5.8 (docs/performance.md, "Search"). Rows written before this keep
 * their old form until they are rewritten; nothing else changes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table mailbox_search alter column terms set storage main`.execute(db);
  await sql`
    do $$
    begin
      alter table mailbox_search alter column terms set compression lz4;
    exception when feature_not_supported then
      raise notice 'mailbox_search.terms keeps the default compression: %', sqlerrm;
    end
    $$`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table mailbox_search alter column terms set storage extended`.execute(db);
  await sql`alter table mailbox_search alter column terms set compression default`.execute(db);
}
