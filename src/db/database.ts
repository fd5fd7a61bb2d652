import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

// Return dates as JS Dates and bigints (counts, sizes) as strings; `date` columns stay plain strings.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);

/** Opens a pool and a typed query builder on one PostgreSQL database. */
export function openDatabase(connectionString: string, max = 10): { db: Db; pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString, max, application_name: 'kuvert' });
  // An idle client that loses its connection (e.g. the server restarted) is replaced on next use; without these
  // handlers its error event would crash the process.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, pool };
}
