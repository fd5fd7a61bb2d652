import { type Kysely, sql } from 'kysely';

/**
 * Businesses from the CVR register (issue 17, item 1).
 *
 * - recipient.business_status / ceased_on: a business's status in the register (active or ceased) and the day it
 *   ceased. A ceased company's mailbox is closed with closed_reason 'ceased' and kept until delete_after (the ceased
 *   day plus the retention period); a company active again is reopened.
 * - p_unit: the register's production units (P-numbers), each belonging to one business (its mailbox).
 * - business_import: business files already applied, with the line up to which they are done (resume point).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table recipient drop constraint recipient_closed_reason_check;
    alter table recipient add constraint recipient_closed_reason_check
      check (closed_reason in ('death', 'emigration', 'ceased'));
    alter table recipient
      add column business_status text check (business_status in ('active', 'ceased')),
      add column ceased_on date,
      add column register_updated_at timestamptz;
    alter table recipient add constraint recipient_business_status_kind
      check (business_status is null or kind = 'business');

    create table p_unit (
      p_number char(10) primary key,
      business_id uuid not null references recipient (id),
      name text not null,
      address_lines text[] not null default '{}',
      postcode text,
      city text,
      municipality_code char(4) references municipality (code),
      ceased_on date,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index p_unit_business on p_unit (business_id);

    create table business_import (
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
    create unique index business_import_unfinished on business_import (file_sha256) where finished_at is null;
    create index business_import_file on business_import (file_sha256, finished_at);
  `.execute(db);
}
