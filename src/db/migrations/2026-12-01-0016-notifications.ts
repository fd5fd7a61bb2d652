import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- How a person wants to be told about new mail. No row: e-mail and SMS, in Danish, no NemSMS.
    create table notify_preference (
      recipient_id uuid primary key references recipient (id) on delete cascade,
      by_email boolean not null default true,
      by_sms boolean not null default true,
      language text not null default 'da' check (language in ('da', 'en')),
      nemsms boolean not null default false,
      updated_at timestamptz not null default now()
    );

    -- Per-recipient coalescing: letters that became available since first_at and are not yet notified. Routing
    -- upserts one row per recipient (set-based); the sweep job turns rows older than the window into notifications.
    create table notify_pending (
      recipient_id uuid primary key references recipient (id) on delete cascade,
      first_at timestamptz not null,
      last_at timestamptz not null,
      letters integer not null
    );
    create index notify_pending_first on notify_pending (first_at);

    -- One e-mail or SMS to one address. dedup_key is unique: whatever retries or sweeps run twice, one row (and
    -- one send) per notification. queued → sending (claimed) → sent → delivered (when the peer reports it), or failed.
    create table notification (
      id uuid primary key default gen_random_uuid(),
      recipient_id uuid not null references recipient (id) on delete cascade,
      sender_id uuid references sender (id),
      message_id uuid references message (id) on delete set null,
      channel text not null check (channel in ('email', 'sms', 'nemsms')),
      purpose text not null check (purpose in ('new_mail', 'reminder', 'nemsms')),
      contact_detail_id uuid references contact_detail (id) on delete set null,
      address text not null,
      subject text,
      body text not null,
      dedup_key text not null unique,
      urgent boolean not null default false,
      state text not null default 'queued'
        check (state in ('queued', 'sending', 'sent', 'delivered', 'failed', 'cancelled')),
      attempts integer not null default 0,
      next_attempt_at timestamptz not null,
      claimed_until timestamptz,
      last_error text,
      provider_id text,
      created_at timestamptz not null default now(),
      sent_at timestamptz,
      delivered_at timestamptz,
      failed_at timestamptz
    );
    create index notification_due on notification (next_attempt_at) where state in ('queued', 'sending');
    create index notification_recipient on notification (recipient_id, created_at desc);
    create index notification_created on notification (created_at, channel);
    create index notification_provider on notification (provider_id) where provider_id is not null;

    -- A sender's defaults for its letters: whether labels may appear in notifications, reminders and print.
    create table notify_sender_default (
      sender_id uuid primary key references sender (id) on delete cascade,
      label_in_notification boolean not null default false,
      remind_after_days integer check (remind_after_days between 1 and 365),
      print_after_days integer check (print_after_days between 1 and 365),
      updated_at timestamptz not null default now()
    );

    -- Per-letter choices (override the sender's defaults; null = use the default).
    create table notify_message_option (
      message_id uuid primary key references message (id) on delete cascade,
      sender_id uuid not null references sender (id),
      label_in_notification boolean,
      urgent boolean not null default false,
      remind_after_days integer check (remind_after_days between 1 and 365),
      print_after_days integer check (print_after_days between 1 and 365),
      updated_at timestamptz not null default now()
    );

    -- Reminders and print-if-unread of available letters: due times, and when each was done.
    create table notify_followup (
      message_id uuid primary key references message (id) on delete cascade,
      recipient_id uuid not null references recipient (id) on delete cascade,
      available_at timestamptz not null,
      remind_at timestamptz,
      print_at timestamptz,
      reminded_at timestamptz,
      printed_at timestamptz
    );
    create index notify_followup_remind on notify_followup (remind_at) where reminded_at is null;
    create index notify_followup_print on notify_followup (print_at) where printed_at is null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table if exists notify_followup;
    drop table if exists notify_message_option;
    drop table if exists notify_sender_default;
    drop table if exists notification;
    drop table if exists notify_pending;
    drop table if exists notify_preference;
  `.execute(db);
}
