import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { valuesTable } from './values-table.ts';

// Compiled only (no database): the literals, the column list and the refusal of ragged rows.
const db = new Kysely<Record<string, never>>({ dialect: new PostgresDialect({ pool: {} as never }) });

test('a constant table is one VALUES list of literals with its alias and columns', () => {
  const table = valuesTable(
    't',
    ['name', 'n', 'ok', 'note'],
    [
      ['a', 1, true, null],
      ["it's", 2, false, 'x'],
    ],
  );
  const compiled = sql`select * from ${table}`.compile(db);
  assert.equal(
    compiled.sql,
    `select * from (values ('a', 1, true, null), ('it''s', 2, false, 'x')) as "t"(name, n, ok, note)`,
  );
  assert.deepEqual(compiled.parameters, []);
});

test('rows of the wrong width and an empty table are refused', () => {
  assert.throws(() => valuesTable('t', ['a', 'b'], [['x']]), /a row has 1 values/);
  assert.throws(() => valuesTable('t', ['a'], []), /no rows/);
  assert.throws(() => valuesTable('t', ['a; drop table x'], [['x']]), /column name/);
});
