import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Where recipients write to an authority: its name, what it is for, and what attachments it takes.
    create table contact_point (
      id uuid primary key default gen_random_uuid(),
      sender_id uuid not null references sender (id),
      name text not null,
      description text not null default '',
      max_attachments integer not null check (max_attachments between 0 and 20),
      max_total_bytes bigint not null check (max_total_bytes >= 0),
      allowed_media_types text[] not null,
      active boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index contact_point_sender on contact_point (sender_id, active, name);

    -- What a recipient (or someone acting for them) wrote to an authority: a reply to a letter, or a new message to
    -- a contact point. tx_id orders the sender's list the way the event feed is ordered (see list-events.ts).
    create table inbound_message (
      id uuid primary key default gen_random_uuid(),
      seq bigserial not null,
      tx_id xid8 not null default pg_current_xact_id(),
      sender_id uuid not null references sender (id),
      mailbox_id uuid not null references recipient (id),
      kind text not null check (kind in ('reply', 'contact_point')),
      reply_to_message_id uuid references message (id) on delete set null,
      contact_point_id uuid references contact_point (id),
      subject text not null,
      body text not null,
      writer_recipient_id uuid not null references recipient (id),
      writer_name text not null,
      writer_access text not null check (writer_access in ('owner', 'read_write')),
      writer_via text not null,
      form_key uuid not null,
      created_at timestamptz not null default now(),
      acknowledged_at timestamptz,
      acknowledged_by_kind text,
      acknowledged_by_id text,
      check (kind <> 'contact_point' or contact_point_id is not null),
      unique (mailbox_id, form_key)
    );
    create index inbound_message_sender_feed on inbound_message (sender_id, tx_id, seq);
    create index inbound_message_sender_recent on inbound_message (sender_id, created_at desc, id);
    create index inbound_message_mailbox on inbound_message (mailbox_id, created_at desc, id);

    create table inbound_attachment (
      inbound_id uuid not null references inbound_message (id) on delete cascade,
      position integer not null,
      filename text not null,
      media_type text not null,
      sha256 text not null references document (sha256),
      size_bytes bigint not null,
      primary key (inbound_id, position)
    );

    -- A message written to a contact point concerns no letter, yet the sender's event feed (and its webhooks)
    -- carries it: such events have no message.
    alter table message_event alter column message_id drop not null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    delete from message_event where message_id is null;
    alter table message_event alter column message_id set not null;
    drop table inbound_attachment;
    drop table inbound_message;
    drop table contact_point;
  `.execute(db);
}
