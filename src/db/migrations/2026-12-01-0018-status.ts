import { type Kysely, sql } from 'kysely';

const components = sql`array['sending_api', 'mailbox', 'login', 'email', 'sms', 'print']::text[]`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- The status job checks every component once a minute and counts, per component and Copenhagen day, how many
    -- checks found it operational, degraded or down: the 90-day history on /drift.
    create table status_day (
      component text not null,
      day date not null,
      operational integer not null default 0,
      degraded integer not null default 0,
      down integer not null default 0,
      primary key (component, day)
    );

    -- What the status job saw last per component, and since when.
    create table status_component (
      component text primary key,
      state text not null check (state in ('operational', 'degraded', 'down')),
      since timestamptz not null,
      checked_at timestamptz not null,
      reasons jsonb not null default '[]'
    );

    -- Incidents that operators post: minor = degraded, major = down for the affected components until resolved.
    create table status_incident (
      id uuid primary key default gen_random_uuid(),
      title text not null check (length(title) between 1 and 200),
      severity text not null check (severity in ('minor', 'major')),
      components text[] not null check (cardinality(components) > 0 and components <@ ${components}),
      state text not null default 'investigating'
        check (state in ('investigating', 'identified', 'monitoring', 'resolved')),
      started_at timestamptz not null default now(),
      resolved_at timestamptz,
      created_by uuid not null references staff_user (id),
      check ((state = 'resolved') = (resolved_at is not null))
    );
    create index status_incident_open on status_incident (started_at) where resolved_at is null;
    create index status_incident_resolved on status_incident (resolved_at) where resolved_at is not null;

    create table status_incident_update (
      id bigint generated always as identity primary key,
      incident_id uuid not null references status_incident (id),
      posted_at timestamptz not null default now(),
      state text not null check (state in ('investigating', 'identified', 'monitoring', 'resolved')),
      body text not null check (length(body) between 1 and 4000),
      posted_by uuid not null references staff_user (id)
    );
    create index status_incident_update_incident on status_incident_update (incident_id, posted_at);

    -- Planned maintenance windows; a cancelled one stays for the record.
    create table status_maintenance (
      id uuid primary key default gen_random_uuid(),
      title text not null check (length(title) between 1 and 200),
      description text not null check (length(description) <= 4000),
      components text[] not null check (cardinality(components) > 0 and components <@ ${components}),
      starts_at timestamptz not null,
      ends_at timestamptz not null check (ends_at > starts_at),
      created_by uuid not null references staff_user (id),
      created_at timestamptz not null default now(),
      cancelled_at timestamptz
    );
    create index status_maintenance_upcoming on status_maintenance (ends_at) where cancelled_at is null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table status_maintenance;
    drop table status_incident_update;
    drop table status_incident;
    drop table status_component;
    drop table status_day;
  `.execute(db);
}
