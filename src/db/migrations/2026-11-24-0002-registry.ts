import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- People under 15 are in the population register but have no mailbox yet.
    alter table recipient drop constraint recipient_enrolment_check;
    alter table recipient add constraint recipient_enrolment_check
      check (enrolment in ('not_enrolled', 'automatic', 'voluntary', 'exempted', 'closed'));

    alter table recipient
      add column sex char(1) check (sex in ('F', 'M')),
      add column address_lines text[] not null default '{}',
      add column postcode text,
      add column city text,
      add column exemption_ground text
        check (exemption_ground in ('disability', 'no_internet', 'emigrated', 'homeless', 'language', 'no_mitid', 'other')),
      add column enrolment_changed_at timestamptz not null default now(),
      add column closed_reason text check (closed_reason in ('death', 'emigration')),
      -- A closed mailbox of someone who died is kept for 5 years, then deleted.
      add column delete_after date,
      add column population_updated_at timestamptz;

    alter table recipient add constraint recipient_exemption_ground
      check ((enrolment = 'exempted') = (exemption_ground is not null));

    -- The counts the statistics page needs, cheap: by state, ground and municipality.
    create index recipient_enrolment_stats on recipient (enrolment, exemption_ground, municipality_code);
    create index recipient_birth_date on recipient (birth_date) where kind = 'person';

    -- Append-only history of every enrolment change: who, when, why.
    create table enrolment_change (
      id bigserial primary key,
      recipient_id uuid not null references recipient (id),
      occurred_at timestamptz not null default now(),
      kind text not null check (kind in (
        'enrolled_automatically', 'enrolled_voluntarily', 'exempted', 're_enrolled', 'closed', 'reopened', 'created')),
      from_state text,
      to_state text not null,
      exemption_ground text,
      note text,
      send_unopened_as_paper boolean not null default false,
      actor_kind text not null,
      actor_id text not null,
      actor_name text
    );
    create index enrolment_change_recipient on enrolment_change (recipient_id, id);

    create table contact_detail (
      id uuid primary key default gen_random_uuid(),
      recipient_id uuid not null references recipient (id) on delete cascade,
      kind text not null check (kind in ('email', 'mobile')),
      value text not null,
      created_at timestamptz not null default now(),
      confirmed_at timestamptz,
      last_confirmed_at timestamptz,
      code_hash text,
      code_expires_at timestamptz,
      code_attempts int not null default 0,
      codes_sent_at timestamptz[] not null default '{}',
      failing_since timestamptz,
      unique (recipient_id, kind, value)
    );
    create index contact_detail_recipient on contact_detail (recipient_id);

    -- What would have been sent by e-mail or SMS, in the embedded/development mode (the development outbox).
    create table outbox_message (
      id bigserial primary key,
      created_at timestamptz not null default now(),
      channel text not null check (channel in ('email', 'sms')),
      recipient_address text not null,
      subject text,
      body text not null,
      purpose text not null
    );

    -- Lines of population files already applied, so a killed import resumes without duplicates.
    create table population_import (
      id uuid primary key default gen_random_uuid(),
      file_sha256 char(64) not null,
      file_name text not null,
      started_at timestamptz not null default now(),
      finished_at timestamptz,
      lines_total int not null default 0,
      lines_applied int not null default 0,
      lines_rejected int not null default 0,
      resume_line int not null default 0
    );
  `.execute(db);
}
