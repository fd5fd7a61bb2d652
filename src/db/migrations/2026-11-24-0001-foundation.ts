import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table municipality (
      code char(4) primary key,
      name text not null,
      region_code char(4) not null,
      region_name text not null
    );

    create table sender (
      id uuid primary key default gen_random_uuid(),
      name text not null,
      kind text not null check (kind in ('municipality', 'state', 'region', 'other')),
      cvr char(8),
      municipality_code char(4) references municipality (code),
      created_at timestamptz not null default now()
    );

    create table api_key (
      id uuid primary key default gen_random_uuid(),
      sender_id uuid not null references sender (id),
      prefix text not null unique,
      secret_hash text not null,
      label text not null,
      created_at timestamptz not null default now(),
      revoked_at timestamptz
    );
    create index api_key_sender on api_key (sender_id);

    create table recipient (
      id uuid primary key default gen_random_uuid(),
      kind text not null check (kind in ('person', 'business')),
      cpr char(10) unique,
      cvr char(8) unique,
      name text not null,
      birth_date date,
      municipality_code char(4) references municipality (code),
      enrolment text not null default 'automatic'
        check (enrolment in ('automatic', 'voluntary', 'exempted', 'closed')),
      created_at timestamptz not null default now(),
      check ((kind = 'person' and cpr is not null and cvr is null) or (kind = 'business' and cvr is not null and cpr is null))
    );

    create table document (
      sha256 char(64) primary key,
      media_type text not null,
      size_bytes bigint not null,
      created_at timestamptz not null default now()
    );

    create table message (
      id uuid primary key default gen_random_uuid(),
      sender_id uuid not null references sender (id),
      recipient_id uuid not null references recipient (id),
      message_uuid uuid not null,
      content_hash char(64) not null,
      sender_reference text,
      label text not null,
      status text not null check (status in ('received', 'available', 'rejected')),
      received_at timestamptz not null default now(),
      available_at timestamptz,
      first_read_at timestamptz,
      rejected_reason text,
      unique (sender_id, message_uuid)
    );
    -- The mailbox reads by recipient, newest first; keyed so the table can be hash-partitioned by recipient later.
    create index message_recipient_inbox on message (recipient_id, available_at desc, id) where available_at is not null;
    create index message_sender_received on message (sender_id, received_at desc);

    create table message_document (
      message_id uuid not null references message (id) on delete cascade,
      position int not null,
      title text not null,
      filename text not null,
      media_type text not null,
      sha256 char(64) not null references document (sha256),
      size_bytes bigint not null,
      primary key (message_id, position)
    );

    create table message_event (
      id bigserial primary key,
      message_id uuid not null references message (id) on delete cascade,
      sender_id uuid not null references sender (id),
      type text not null,
      occurred_at timestamptz not null default now(),
      data jsonb not null default '{}'
    );
    create index message_event_message on message_event (message_id, id);
    create index message_event_sender on message_event (sender_id, id);

    -- Hash-chained: each row's hash covers the previous row's hash, so an edited or deleted row is detectable.
    create table audit_event (
      id bigserial primary key,
      occurred_at timestamptz not null default now(),
      actor_kind text not null,
      actor_id text not null,
      action text not null,
      subject_type text not null,
      subject_id text not null,
      mailbox_recipient_id uuid references recipient (id),
      details jsonb not null default '{}',
      prev_hash char(64) not null,
      hash char(64) not null
    );
    create index audit_event_mailbox on audit_event (mailbox_recipient_id, id) where mailbox_recipient_id is not null;

    -- People who work for senders or municipalities, as known from their identity provider's subject.
    create table staff_user (
      id uuid primary key default gen_random_uuid(),
      subject text not null unique,
      name text not null,
      role text not null check (role in ('caseworker', 'sender_staff', 'operator')),
      municipality_code char(4) references municipality (code),
      sender_id uuid references sender (id),
      created_at timestamptz not null default now()
    );

    create table web_session (
      id_hash char(64) primary key,
      actor jsonb not null,
      csrf_token text not null,
      id_token text,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null
    );
    create index web_session_expires on web_session (expires_at);

    -- Storage for the built-in (demo) OpenID Connect provider.
    create table oidc_payload (
      id text not null,
      type text not null,
      payload jsonb not null,
      grant_id text,
      user_code text,
      uid text,
      expires_at timestamptz,
      consumed_at timestamptz,
      primary key (type, id)
    );
    create index oidc_payload_grant on oidc_payload (grant_id);
    create index oidc_payload_uid on oidc_payload (uid);

    create table app_setting (
      key text primary key,
      value jsonb not null
    );
  `.execute(db);
}
