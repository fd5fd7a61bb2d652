import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

// Return dates as JS Dates and bigints (counts, sizes) as strings; `date` columns stay plain strings.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);

/** Opens a pool and a typed query builder on one PostgreSQL database. */
export function openDatabase(connectionString: string, max = 10): { db: Db; pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString, max, application_name: 'kuvert' });
  pool.on('error', () => {
    // An idle client lost its connection (e.g. the server restarted); the pool replaces it on next use.
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, pool };
}
