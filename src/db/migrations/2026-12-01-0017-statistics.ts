import { type Kysely, sql } from 'kysely';

/**
 * Public statistics: nightly snapshots (history kept, one per day; demo history flagged), and the self-service
 * scorecard (transaction counts reported by authorities per municipality × service area × month).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- One set of figures describing one day. The page reads the newest; history charts read them all.
    create table stats_snapshot (
      id bigserial primary key,
      as_of date not null,
      taken_at timestamptz not null default now(),
      demo boolean not null default false,
      duration_ms integer,
      unique (as_of, demo)
    );

    -- People by enrolment state, pre-aggregated per dimension so the page reads a few hundred rows:
    -- dimension 'total' (value ''), 'municipality' (code), 'region' (code), 'age_band', 'sex' ('F', 'M', 'unknown').
    create table stats_enrolment (
      snapshot_id bigint not null references stats_snapshot (id) on delete cascade,
      dimension text not null check (dimension in ('total', 'municipality', 'region', 'age_band', 'sex')),
      value text not null,
      enrolment text not null check (enrolment in ('voluntary', 'automatic', 'exempted')),
      people bigint not null,
      primary key (snapshot_id, dimension, value, enrolment)
    );

    create table stats_exemption (
      snapshot_id bigint not null references stats_snapshot (id) on delete cascade,
      ground text not null,
      people bigint not null,
      primary key (snapshot_id, ground)
    );

    -- People with a mailbox (enrolled or exempted) by which confirmed contact details they have.
    create table stats_contact (
      snapshot_id bigint not null references stats_snapshot (id) on delete cascade,
      has_email boolean not null,
      has_mobile boolean not null,
      people bigint not null,
      primary key (snapshot_id, has_email, has_mobile)
    );

    -- Monthly volumes by sender kind and channel: 'letter' (received), 'digital' (made available in a mailbox),
    -- 'print' (posted on paper), 'email' / 'sms' (notifications sent), 'nemsms'.
    create table stats_volume (
      snapshot_id bigint not null references stats_snapshot (id) on delete cascade,
      month date not null,
      sender_kind text not null,
      channel text not null check (channel in ('letter', 'digital', 'print', 'email', 'sms', 'nemsms')),
      count bigint not null,
      primary key (snapshot_id, month, sender_kind, channel)
    );

    -- Time from a letter becoming available to its first reading, by the month it became available.
    create table stats_read_time (
      snapshot_id bigint not null references stats_snapshot (id) on delete cascade,
      month date not null,
      within_1h bigint not null,
      within_1d bigint not null,
      within_7d bigint not null,
      within_30d bigint not null,
      later bigint not null,
      unread bigint not null,
      median_hours numeric,
      primary key (snapshot_id, month)
    );

    create table scorecard_service_area (
      code text primary key,
      name_da text not null,
      name_en text not null,
      position integer not null
    );
    insert into scorecard_service_area (code, name_da, name_en, position) values
      ('change_of_address', 'Flytning', 'Change of address', 1),
      ('daycare_signup', 'Pladsanvisning (dagtilbud)', 'Daycare sign-up', 2),
      ('school_enrolment', 'Skoleindskrivning', 'School enrolment', 3),
      ('health_card', 'Sundhedskort', 'Health insurance card', 4),
      ('eu_health_card', 'Blåt EU-sygesikringskort', 'European health insurance card', 5);

    -- An organisation that reports self-service counts through the API (bearer token, only its SHA-256 kept): a
    -- municipality reports for itself; one without a municipality (e.g. the municipalities' association) for all.
    create table scorecard_reporter (
      id uuid primary key default gen_random_uuid(),
      name text not null,
      municipality_code char(4) references municipality (code),
      token_prefix text not null unique,
      token_hash char(64) not null,
      created_at timestamptz not null default now(),
      revoked_at timestamptz
    );

    create table scorecard_report (
      municipality_code char(4) not null references municipality (code),
      service_area text not null references scorecard_service_area (code),
      month date not null check (extract(day from month) = 1),
      digital integer not null check (digital >= 0),
      total integer not null check (total >= digital),
      demo boolean not null default false,
      reported_by text not null,
      updated_at timestamptz not null default now(),
      primary key (municipality_code, service_area, month)
    );
    create index scorecard_report_month on scorecard_report (month, service_area);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table if exists scorecard_report, scorecard_reporter, scorecard_service_area,
      stats_read_time, stats_volume, stats_contact, stats_exemption, stats_enrolment, stats_snapshot;
  `.execute(db);
}
