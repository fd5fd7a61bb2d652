import { type Kysely, sql } from 'kysely';

/**
 * The message model MeMo carries. Kuvert acts on a few fields, so those are columns (all with defaults, so inserts
 * that name only the older columns keep working); the rest of the MeMo model, minus file bytes, is the `memo` jsonb.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table message
      add column message_type text not null default 'DIGITALPOST' check (message_type in ('DIGITALPOST', 'NEMSMS')),
      add column notification text,
      add column reply_allowed boolean not null default false,
      add column reply_by timestamptz,
      add column do_not_deliver_until date,
      -- When the letter may be delivered: do_not_deliver_until at 00:00 Europe/Copenhagen (null: at once).
      add column deliver_after timestamptz,
      add column mandatory boolean not null default false,
      add column legal_notification boolean not null default false,
      add column post_type text,
      add column sender_message_id text,
      add column recalled_at timestamptz,
      add column memo_version text check (memo_version in ('1.1', '1.2')),
      add column memo jsonb;

    alter table message drop constraint message_status_check;
    alter table message add constraint message_status_check
      check (status in ('received', 'scheduled', 'available', 'print_queued', 'rejected', 'recalled'));

    -- A recalled letter leaves the mailbox at once: the inbox index no longer holds it.
    drop index message_recipient_inbox;
    create index message_recipient_inbox on message (recipient_id, available_at desc, id)
      where available_at is not null and recalled_at is null;

    alter table message_document
      add column role text not null default 'main' check (role in ('main', 'additional', 'technical')),
      add column document_id text,
      add column language text;

    create table message_action (
      message_id uuid not null references message (id) on delete cascade,
      position int not null,
      -- The message_document position of the first file of the document the action belongs to.
      document_position int not null default 0,
      action_code text not null,
      label text not null,
      start_at timestamptz,
      end_at timestamptz,
      url text check (url is null or url like 'https://%'),
      reservation jsonb,
      -- Only for BEKRAEFT and UNDERSKRIV: whether the recipient has done it.
      status text check (status in ('pending', 'done')),
      primary key (message_id, position)
    );
  `.execute(db);
}
