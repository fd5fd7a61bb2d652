import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Db, openDatabase } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';

/** The PostgreSQL server the suite runs against (set by scripts/test.ts; the machine's server by default). */
export function adminUrl(): string {
  return (
    process.env.KUVERT_TEST_ADMIN_URL || process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres'
  );
}

export interface TestDatabase {
  url: string;
  name: string;
  db: Db;
  pool: pg.Pool;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

/** Creates a fresh, uniquely named database, migrated unless told otherwise. */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const name = `kuvert_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  const { db, pool } = openDatabase(url.toString(), 10);
  if (options.migrate !== false) await migrate(db, pool);
  return {
    url: url.toString(),
    name,
    db,
    pool,
    async drop() {
      await db.destroy();
      const client = new pg.Client({ connectionString: adminUrl() });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}
