import { type Kysely, sql } from 'kysely';

/**
 * Escalation plans (issue 18): an ordered list of steps (remind by e-mail/SMS, print if unread, notify the sender),
 * each after N days from the letter's availability, stopped the moment the letter is read.
 * - notify_escalation_plan: a sender's named plans; at most one is its default (used when a letter names none).
 * - notify_escalation: one row per letter with a plan — the plan's steps as given when it was sent (a later change of
 *   a named plan does not rewrite letters already sent), and its progress: the next step and its due time, swept by
 *   the notify-followups job through the partial index on next_due_at.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table notify_escalation_plan (
      sender_id uuid not null references sender (id) on delete cascade,
      name text not null check (name ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
      steps jsonb not null check (jsonb_typeof(steps) = 'array'),
      is_default boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (sender_id, name)
    );
    create unique index notify_escalation_plan_default on notify_escalation_plan (sender_id) where is_default;

    create table notify_escalation (
      message_id uuid primary key references message (id) on delete cascade,
      sender_id uuid not null references sender (id),
      recipient_id uuid not null references recipient (id) on delete cascade,
      plan_name text,
      source text not null check (source in ('letter', 'named', 'default', 'options')),
      steps jsonb not null check (jsonb_typeof(steps) = 'array'),
      available_at timestamptz,
      next_step integer not null default 0,
      next_due_at timestamptz,
      progress jsonb not null default '[]'::jsonb,
      stopped text check (stopped in ('read', 'finished', 'withdrawn')),
      stopped_at timestamptz,
      created_at timestamptz not null default now()
    );
    create index notify_escalation_due on notify_escalation (next_due_at) where next_due_at is not null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table if exists notify_escalation;
    drop table if exists notify_escalation_plan;
  `.execute(db);
}
