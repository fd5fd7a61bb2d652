import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, sql } from 'kysely';
import { enqueueSql } from './queue.ts';

const db = new Kysely<unknown>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (k) => new PostgresIntrospector(k),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

test('enqueueSql builds the add_job call: SQL expressions parenthesised, only the options given', () => {
  const call = enqueueSql(
    'dispatch-webhooks',
    { senderId: sql`${'s-1'}::text` },
    { runAt: sql`now() + interval '1 second'`, jobKey: 'webhooks:s-1', jobKeyMode: 'preserve_run_at' },
  ).compile(db);
  assert.equal(
    call.sql,
    `graphile_worker.add_job($1::text, json_build_object('senderId', ($2::text)), ` +
      `run_at => (now() + interval '1 second')::timestamptz, job_key => ($3)::text, ` +
      `job_key_mode => $4::text, max_attempts => $5::int)`,
  );
  assert.deepEqual(call.parameters, ['dispatch-webhooks', 's-1', 'webhooks:s-1', 'preserve_run_at', 25]);
});

test('enqueueSql: a plain value is JSON; an empty payload is {}', () => {
  const call = enqueueSql('process-batch', { batchId: 'b-1' }, { maxAttempts: 10 }).compile(db);
  assert.equal(
    call.sql,
    `graphile_worker.add_job($1::text, json_build_object('batchId', $2::json), max_attempts => $3::int)`,
  );
  assert.deepEqual(call.parameters, ['process-batch', '"b-1"', 10]);
  assert.equal(
    enqueueSql('notify-send', {}).compile(db).sql,
    `graphile_worker.add_job($1::text, '{}'::json, max_attempts => $2::int)`,
  );
});
