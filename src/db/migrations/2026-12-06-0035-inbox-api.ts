import { type Kysely, sql } from 'kysely';

/**
 * The recipient-side API for organisations (issue 17, item 4): a business's system lists its letters once each.
 *
 * inbox_letter: one row per letter that reached a *business* mailbox, written by a deferred trigger on message at
 * the delivering transaction's commit (as the search trigger of migration 0025: delivery sits in messages, below
 * the mailbox, and cannot call it; seeds set available_at directly). `tx_id` is the delivering transaction and
 * `seq` a sequence taken at commit; the API hands out only rows of transactions older than every running one
 * (pg_snapshot_xmin) in (tx_id, seq) order, so a delivery that commits late can never land behind a cursor already
 * handed out — the event feed's rule (migration 0023 and list-events.ts). `acknowledged_at`/`acknowledged_by`: the
 * system processed it (state=new lists the rest).
 *
 * inbox_webhook_endpoint: a business's webhook endpoints; each walks the same (tx_id, seq) order with its own cursor.
 * The trigger queues the `mailbox.inbox-webhooks` job (one per mailbox, job key) only when the mailbox has an
 * endpoint, so graphile-worker's schema is touched only then.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table inbox_letter (
      message_id uuid primary key references message (id) on delete cascade,
      mailbox_id uuid not null,
      seq bigint generated always as identity,
      tx_id xid8 not null default pg_current_xact_id(),
      available_at timestamptz not null,
      acknowledged_at timestamptz,
      acknowledged_by uuid
    );
    create index inbox_letter_feed on inbox_letter (mailbox_id, tx_id, seq);
    create index inbox_letter_new on inbox_letter (mailbox_id, tx_id, seq) where acknowledged_at is null;

    create table inbox_webhook_endpoint (
      id uuid primary key default gen_random_uuid(),
      mailbox_id uuid not null references recipient (id),
      url text not null,
      secret text not null,
      cursor_tx xid8 not null default '0',
      cursor_seq bigint not null default 0,
      created_by uuid not null,
      created_at timestamptz not null default now(),
      deleted_at timestamptz,
      last_success_at timestamptz,
      last_failure_at timestamptz,
      last_error text
    );
    create index inbox_webhook_endpoint_mailbox on inbox_webhook_endpoint (mailbox_id) where deleted_at is null;

    create function mailbox_inbox_on_delivery() returns trigger
      language plpgsql as $$
      declare
        box uuid;
      begin
        insert into inbox_letter (message_id, mailbox_id, available_at)
        select m.id, m.recipient_id, m.available_at
        from message m join recipient r on r.id = m.recipient_id
        where m.id = new.id and r.kind = 'business' and m.available_at is not null and m.recalled_at is null
        on conflict (message_id) do nothing
        returning mailbox_id into box;
        if box is not null
           and exists (select 1 from inbox_webhook_endpoint e where e.mailbox_id = box and e.deleted_at is null) then
          perform graphile_worker.add_job(
            'mailbox.inbox-webhooks', json_build_object('mailboxId', box),
            run_at => now() + interval '1 second', job_key => 'inbox-webhooks:' || box,
            job_key_mode => 'preserve_run_at', max_attempts => 25);
        end if;
        return null;
      end $$;
    create constraint trigger message_inbox_on_delivery
      after insert or update of available_at on message
      deferrable initially deferred
      for each row when (new.available_at is not null)
      execute function mailbox_inbox_on_delivery();

    -- Letters already in business mailboxes, oldest first (one transaction: seq gives their order).
    insert into inbox_letter (message_id, mailbox_id, available_at)
    select m.id, m.recipient_id, m.available_at
    from message m join recipient r on r.id = m.recipient_id
    where r.kind = 'business' and m.available_at is not null and m.recalled_at is null
    order by m.available_at, m.id;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop trigger if exists message_inbox_on_delivery on message;
    drop function if exists mailbox_inbox_on_delivery();
    drop table if exists inbox_webhook_endpoint;
    drop table if exists inbox_letter;
  `.execute(db);
}
