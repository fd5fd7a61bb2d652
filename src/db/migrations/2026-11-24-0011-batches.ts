import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- A bulk submission: the body is spooled to a file (spool_path) before the API answers; a job then applies it
    -- in chunks. Counts and each part's resume line are committed with the chunk they describe.
    create table batch (
      id uuid primary key,
      sender_id uuid not null references sender (id),
      -- Who submitted it: an API key, or a sender staff member through the portal.
      api_key_id uuid references api_key (id),
      staff_user_id uuid,
      format text not null check (format in ('ndjson')),
      state text not null default 'received'
        check (state in ('received', 'processing', 'completed', 'cancelled', 'failed')),
      spool_path text not null,
      size_bytes bigint not null,
      lines_total int not null,
      lines_done int not null default 0,
      accepted int not null default 0,
      duplicates int not null default 0,
      failed int not null default 0,
      parts int not null default 2,
      -- Who is applying the batch now, and until when; an expired lease lets another worker take over.
      lease_owner uuid,
      lease_until timestamptz,
      failure text,
      created_at timestamptz not null default now(),
      started_at timestamptz,
      finished_at timestamptz
    );
    create index batch_sender on batch (sender_id, created_at desc);
    create index batch_unfinished on batch (lease_until) where state in ('received', 'processing');

    create table batch_part (
      batch_id uuid not null references batch (id) on delete cascade,
      part int not null,
      resume_line int not null default 0,
      primary key (batch_id, part)
    );

    -- Documents given inline in a batch, which later items of the same batch may name by SHA-256 alone.
    create table batch_document (
      batch_id uuid not null references batch (id) on delete cascade,
      sha256 char(64) not null references document (sha256),
      media_type text not null,
      size_bytes bigint not null,
      primary key (batch_id, sha256)
    );

    create table batch_item_error (
      batch_id uuid not null references batch (id) on delete cascade,
      line int not null,
      message_uuid text,
      code text not null,
      field text,
      detail text not null,
      primary key (batch_id, line)
    );
  `.execute(db);
}
