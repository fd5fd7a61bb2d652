import { type Kysely, sql } from 'kysely';

/**
 * Documents in PostgreSQL (issue 19, item 3): the bytes of a document as chunks in the database, so every server node
 * reads what any node stored, and the documents are replicated and backed up with the letters that name them. Chosen
 * by KUVERT_DOCUMENT_STORE=postgres (src/documents/pg-document-store.ts); the file store's folder stays the default.
 * - document_blob: one row per stored document, named by its SHA-256 as in the file store, with its size and number of
 *   chunks (a read checks both), and when it was last put (the orphan sweeper's grace period, like a file's mtime).
 * - document_chunk: the bytes, in order, at most 1 MiB a row; removed with their blob.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table document_blob (
      sha256 char(64) primary key check (sha256 ~ '^[0-9a-f]{64}$'),
      size_bytes bigint not null check (size_bytes >= 0),
      chunk_count integer not null check (chunk_count >= 0),
      put_at timestamptz not null default now()
    );
    create table document_chunk (
      sha256 char(64) not null references document_blob (sha256) on delete cascade,
      seq integer not null check (seq >= 0),
      data bytea not null,
      primary key (sha256, seq)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table document_chunk, document_blob`.execute(db);
}
