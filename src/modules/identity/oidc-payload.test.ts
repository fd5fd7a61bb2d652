/**
 * The built-in identity provider's storage: what its occasional sweep deletes, and that it finds the expired rows
 * through the index on expires_at (migration 0047) rather than by reading every login's rows.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CompiledQuery, sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { oidcPayloadAdapter } from './oidc-payload.repository.ts';

let database: TestDatabase;
before(async () => {
  database = await createTestDatabase();
});
after(() => database.drop());

test('a write sweeps the expired rows, and only those: not the live ones, nor those without an expiry', async () => {
  const { db } = database;
  const Adapter = oidcPayloadAdapter(db, { sweepChance: 1 });
  const sessions = new Adapter('Session');
  await sessions.upsert('expired', { accountId: 'a' }, 60);
  await sessions.upsert('no-expiry', { accountId: 'b' }, 0);
  await sql`update oidc_payload set expires_at = now() - interval '1 minute' where id = 'expired'`.execute(db);
  await sessions.upsert('live', { accountId: 'c' }, 600); // this write sweeps
  const left = await db.selectFrom('oidc_payload').select('id').orderBy('id').execute();
  assert.deepEqual(
    left.map((r) => r.id),
    ['live', 'no-expiry'],
  );
  assert.equal((await sessions.find('live'))?.accountId, 'c');
});

test('the sweep reads the expired rows through the index on expires_at', async () => {
  const { db } = database;
  const compiled = db.deleteFrom('oidc_payload').where('expires_at', '<', new Date()).compile();
  // A tiny table is read whole whatever its indexes; with sequential scans priced out, only an index helps.
  const plan = await db.connection().execute(async (connection) => {
    await connection.executeQuery(CompiledQuery.raw('set enable_seqscan = off'));
    try {
      return await connection.executeQuery<{ 'QUERY PLAN': string }>(
        CompiledQuery.raw(`explain ${compiled.sql}`, [...compiled.parameters]),
      );
    } finally {
      await connection.executeQuery(CompiledQuery.raw('reset enable_seqscan'));
    }
  });
  const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
  assert.match(text, /oidc_payload_expires/, text);
});
