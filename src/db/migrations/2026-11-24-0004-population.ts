import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- At most one unfinished import per file: two processes given the same file cannot both start it, and a re-run
    -- finds the one to resume.
    create unique index population_import_unfinished on population_import (file_sha256) where finished_at is null;
    create index population_import_file on population_import (file_sha256, finished_at);

    -- An import is applied in parts (people split by CPR) on parallel connections; each part commits its own
    -- resume point with each of its batches. population_import.resume_line is the line up to which all parts are done.
    alter table population_import add column parts int not null default 1;
    create table population_import_part (
      import_id uuid not null references population_import (id) on delete cascade,
      part int not null,
      resume_line int not null default 0,
      primary key (import_id, part)
    );
  `.execute(db);
}
