import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Where a sender wants its events pushed. Each endpoint walks the sender's event feed with its own cursor, so a
    -- failing endpoint is retried from where it stopped and holds up no other.
    create table webhook_endpoint (
      id uuid primary key default gen_random_uuid(),
      sender_id uuid not null references sender (id),
      url text not null,
      -- The signing secret must be readable to sign with; it is shown to the sender once.
      secret text not null,
      cursor_tx xid8 not null default '0',
      cursor_id bigint not null default 0,
      created_at timestamptz not null default now(),
      deleted_at timestamptz,
      last_success_at timestamptz,
      last_failure_at timestamptz,
      last_error text
    );
    create index webhook_endpoint_sender on webhook_endpoint (sender_id) where deleted_at is null;
  `.execute(db);
}
