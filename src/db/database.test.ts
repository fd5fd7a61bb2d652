import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { type Db, openDatabase } from './database.ts';

let database: TestDatabase;
let single: { db: Db; destroy: () => Promise<void> };

before(async () => {
  database = await createTestDatabase();
  // One connection, so what it has prepared can be read back on it.
  const { db } = openDatabase(database.url, 1);
  single = { db, destroy: () => db.destroy() };
});
after(async () => {
  await single?.destroy();
  await database?.drop();
});

const prepared = async (db: Db) =>
  (await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(db)).rows.map(
    (r) => r.statement,
  );

test('a parameterised query is prepared once per connection and answers each call with its own values', async () => {
  const { db } = single;
  for (const n of [1, 2, 3]) {
    const row = await sql<{ doubled: number }>`select ${n}::int * 2 as doubled`.execute(db);
    assert.equal(row.rows[0]?.doubled, n * 2);
  }
  const statements = await prepared(db);
  assert.equal(statements.filter((s) => s === 'select $1::int * 2 as doubled').length, 1);
});

test('a prepared statement that fails (a duplicate key) still runs afterwards, and the connection stays usable', async () => {
  const { db } = single;
  const insert = (name: string) =>
    sql`insert into municipality (code, name, region_code, region_name)
        values (${'9990'}, ${name}, ${'1084'}, ${'Region Hovedstaden'})`.execute(db);
  await insert('Prøvekommune');
  await assert.rejects(insert('Prøvekommune'), (error: { code?: string }) => error.code === '23505');
  await sql`delete from municipality where code = ${'9990'}`.execute(db);
  await insert('Prøvekommune igen');
  const row = await sql<{ name: string }>`select name from municipality where code = ${'9990'}`.execute(db);
  assert.equal(row.rows[0]?.name, 'Prøvekommune igen');
});

test('after another process changes a table under a prepared select *, one call fails and the next sees the new columns', async () => {
  const { db } = single;
  await sql`create table prepared_probe (id int primary key, a text)`.execute(db);
  await sql`insert into prepared_probe values (1, 'en')`.execute(db);
  const read = () => sql<Record<string, unknown>>`select * from prepared_probe where id = ${1}`.execute(db);
  assert.deepEqual((await read()).rows[0], { id: 1, a: 'en' });
  // A migration elsewhere: on its own connection.
  await sql`alter table prepared_probe add column b text default 'to'`.execute(database.db);
  await assert.rejects(read(), (error: { code?: string }) => error.code === '0A000');
  assert.deepEqual((await read()).rows[0], { id: 1, a: 'en', b: 'to' });
  assert.deepEqual((await read()).rows[0], { id: 1, a: 'en', b: 'to' });
});

test('very long statements (multi-row inserts) are not kept prepared', async () => {
  const { db } = single;
  const values = Array.from({ length: 1200 }, (_, i) => i);
  const list = sql.join(values.map((v) => sql`(${v})`));
  const result = await sql<{ n: string }>`select count(*) as n from (values ${list}) as t(v)`.execute(db);
  assert.equal(Number(result.rows[0]?.n), 1200);
  const statements = await prepared(db);
  assert.ok(!statements.some((s) => s.includes('(values ($1)')));
});

test('new letters get time-ordered RFC 9562 version 7 ids', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const r = await sql<{ id: string }>`select kuvert_uuid7()::text as id`.execute(database.db);
    ids.push(r.rows[0]?.id as string);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.deepEqual([...ids].sort(), ids, 'later ids sort after earlier ones');
  const millis = Number.parseInt((ids[0] as string).replace(/-/g, '').slice(0, 12), 16);
  assert.ok(Math.abs(millis - Date.now()) < 60_000, 'the id carries the time it was made');
  const def = await sql<{ d: string }>`
    select column_default as d from information_schema.columns where table_name = 'message' and column_name = 'id'`.execute(
    database.db,
  );
  assert.equal(def.rows[0]?.d, 'kuvert_uuid7()');
});

test('the time in a UUIDv7 id is the whole milliseconds, never rounded up (RFC 9562)', async () => {
  const millisOf = async (at: string) => {
    const r = await sql<{ id: string }>`select kuvert_uuid7_at(${at}::timestamptz)::text as id`.execute(database.db);
    return Number.parseInt((r.rows[0]?.id ?? '').replace(/-/g, '').slice(0, 12), 16);
  };
  const whole = Date.parse('2026-12-02T00:00:00.123Z');
  assert.equal(await millisOf('2026-12-02 00:00:00.123+00'), whole);
  assert.equal(await millisOf('2026-12-02 00:00:00.123999+00'), whole);
  assert.equal(await millisOf('1970-01-01 00:00:00.000999+00'), 0);
});
