import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- The statistics counts (people by municipality, state, ground, sex and age band) as an index-only scan:
    -- every column the grouping reads is in the index, so the table itself is not visited.
    create index recipient_registry_counts
      on recipient (municipality_code, enrolment, exemption_ground, sex, birth_date)
      where kind = 'person';
  `.execute(db);
}
