import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { migrate } from './migrate.ts';

let database: TestDatabase | undefined;
after(async () => database?.drop());

test('migrations create the schema on an empty database and a second run changes nothing', async () => {
  database = await createTestDatabase({ migrate: false });
  const applied = await migrate(database.db, database.pool);
  assert.ok(applied.length >= 1);
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = 'public' order by table_name`.execute(
    database.db,
  );
  const names = tables.rows.map((r) => r.table_name);
  for (const t of ['message', 'recipient', 'sender', 'api_key', 'audit_event', 'web_session', 'document']) {
    assert.ok(names.includes(t), `missing table ${t}`);
  }
  const jobs = await sql`select 1 from information_schema.schemata where schema_name = 'graphile_worker'`.execute(
    database.db,
  );
  assert.equal(jobs.rows.length, 1, 'the job queue schema is installed');
  assert.deepEqual(await migrate(database.db, database.pool), []);
});

test('two processes migrating at once both succeed', async () => {
  const fresh = await createTestDatabase({ migrate: false });
  try {
    const { openDatabase } = await import('./database.ts');
    const other = openDatabase(fresh.url, 2);
    const results = await Promise.all([migrate(fresh.db, fresh.pool), migrate(other.db, other.pool)]);
    await other.db.destroy();
    assert.equal(results[0].length + results[1].length, results[0].length || results[1].length);
  } finally {
    await fresh.drop();
  }
});
