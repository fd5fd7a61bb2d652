import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- A folder of print-ready letters for the print provider. 'building': committed, its folder not yet moved into the
    -- outbox (a crash here is finished by the next run); 'ready': in the outbox, waiting to be printed; 'confirmed':
    -- the provider has printed and posted it.
    create table print_batch (
      id uuid primary key,
      state text not null default 'building' check (state in ('building', 'ready', 'confirmed')),
      created_at timestamptz not null default now(),
      ready_at timestamptz,
      confirmed_at timestamptz,
      letters integer not null,
      pages integer not null
    );
    create index print_batch_state on print_batch (state, created_at);

    -- One letter on its way to paper: queued → batched → sent; or failed (e.g. no postal address), or cancelled (the
    -- sender recalled it before it was batched).
    create table print_job (
      message_id uuid primary key references message (id),
      sender_id uuid not null references sender (id),
      state text not null default 'queued' check (state in ('queued', 'batched', 'sent', 'failed', 'cancelled')),
      queued_at timestamptz not null default now(),
      batch_id uuid references print_batch (id),
      batched_at timestamptz,
      sent_at timestamptz,
      pages integer,
      sha256 text,
      failed_reason text
    );
    create index print_job_queued on print_job (queued_at, message_id) where state = 'queued';
    create index print_job_batch on print_job (batch_id) where batch_id is not null;
  `.execute(db);
}
