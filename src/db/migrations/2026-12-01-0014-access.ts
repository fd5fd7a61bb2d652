import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Access for others to a mailbox: a person's grant (read or read/write), a power of attorney or parents' access
    -- registered by citizen service, or a person's role in a business (its administrator holds 'owner').
    -- Access is resolved on every request: a row counts while revoked_at is null and ends_at is in the future.
    create table mailbox_access (
      id uuid primary key default gen_random_uuid(),
      mailbox_id uuid not null references recipient (id),
      grantee_id uuid not null references recipient (id),
      kind text not null check (kind in ('grant', 'power_of_attorney', 'parent', 'business')),
      level text not null check (level in ('owner', 'read_write', 'read')),
      document_reference text check (length(document_reference) <= 200),
      created_at timestamptz not null default now(),
      created_by_kind text not null,
      created_by_id text not null,
      ends_at timestamptz,
      revoked_at timestamptz,
      revoked_by_kind text,
      revoked_by_id text,
      check (mailbox_id <> grantee_id),
      check (level <> 'owner' or kind = 'business'),
      check (kind <> 'power_of_attorney' or document_reference is not null),
      check (kind <> 'parent' or ends_at is not null),
      check ((revoked_at is null) = (revoked_by_kind is null))
    );
    -- The mailboxes a person may open, and who may open a mailbox.
    create index mailbox_access_grantee on mailbox_access (grantee_id, mailbox_id) where revoked_at is null;
    create index mailbox_access_mailbox on mailbox_access (mailbox_id, created_at) where revoked_at is null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists mailbox_access`.execute(db);
}
