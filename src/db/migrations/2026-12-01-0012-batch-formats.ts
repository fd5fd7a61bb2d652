import { type Kysely, sql } from 'kysely';

/** Bulk batches as tar archives of MeMo files and as CSV + template, besides NDJSON; errors name a tar entry. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table batch drop constraint if exists batch_format_check;
    alter table batch add constraint batch_format_check check (format in ('ndjson', 'tar', 'csv'));
    alter table batch_item_error add column entry text;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table batch_item_error drop column entry;
    delete from batch where format <> 'ndjson';
    alter table batch drop constraint if exists batch_format_check;
    alter table batch add constraint batch_format_check check (format in ('ndjson'));
  `.execute(db);
}
