import type { Kysely } from 'kysely';
import { loadMunicipalities } from '../municipalities.ts';
import type { Database } from '../schema.ts';

/** The 98 municipalities are reference data every installation needs, demo or not (data/municipalities.csv). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await loadMunicipalities(db as unknown as Kysely<Database>);
}
