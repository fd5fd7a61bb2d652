import { type Kysely, sql } from 'kysely';

/**
 * Export of a whole mailbox (issue 18, item 4; GDPR articles 15 and 20): one row per requested export. A job
 * (`mailbox.export-build`) builds the zip under `KUVERT_DATA_DIR/exports/` and marks it ready with its size; a cron
 * (`mailbox.export-expire`) deletes the file 7 days after it was ready and marks the row expired. At most one export
 * per mailbox is queued or running at a time (the partial unique index: a second request is refused with 409).
 * `lang`: the language of the index's texts and the activity log's words (the requester's).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table mailbox_export (
      id uuid primary key default gen_random_uuid(),
      mailbox_id uuid not null references recipient (id),
      requested_by uuid not null references recipient (id),
      lang text not null default 'da' check (lang in ('da', 'en')),
      state text not null default 'queued' check (state in ('queued', 'running', 'ready', 'failed', 'expired')),
      letters_done integer not null default 0,
      letters_total integer,
      file_name text,
      size_bytes bigint,
      error text,
      created_at timestamptz not null default now(),
      started_at timestamptz,
      ready_at timestamptz,
      expires_at timestamptz,
      check (state <> 'ready' or (file_name is not null and ready_at is not null and expires_at is not null))
    );
    create unique index mailbox_export_active on mailbox_export (mailbox_id) where state in ('queued', 'running');
    create index mailbox_export_mailbox on mailbox_export (mailbox_id, created_at desc);
    create index mailbox_export_expiry on mailbox_export (expires_at) where state = 'ready';
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table mailbox_export`.execute(db);
}
