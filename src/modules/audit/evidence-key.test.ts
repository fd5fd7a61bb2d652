import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import {
  EvidenceSignatureError,
  loadEvidenceKey,
  publicEvidenceKeys,
  signEvidence,
  verifyEvidence,
} from './evidence-key.ts';

let database: TestDatabase;

before(async () => {
  database = await createTestDatabase();
});
after(async () => {
  await database?.drop();
});

test('two processes asking for the evidence key at once get the same one, and it signs what verifies', async () => {
  const { db } = database;
  const [a, b] = await Promise.all([loadEvidenceKey(db), loadEvidenceKey(db)]);
  assert.equal(a.kid, b.kid);
  const keys = await publicEvidenceKeys(db);
  assert.equal(keys.keys.length, 1);
  assert.equal(keys.keys[0]?.d, undefined, 'the published key has no private part');
  const jws = await signEvidence(db, 'kuvert-test+jwt', { letter: 'x', n: 1 });
  assert.deepEqual(await verifyEvidence(jws, keys, 'kuvert-test+jwt'), { letter: 'x', n: 1 });
});

test('a changed payload, another type or an unknown key does not verify', async () => {
  const { db } = database;
  const keys = await publicEvidenceKeys(db);
  const jws = await signEvidence(db, 'kuvert-test+jwt', { amount: 100 });
  const [header, payload, signature] = jws.split('.');
  const forged = Buffer.from(JSON.stringify({ amount: 1000 })).toString('base64url');
  await assert.rejects(
    verifyEvidence(`${header}.${forged}.${signature}`, keys, 'kuvert-test+jwt'),
    EvidenceSignatureError,
  );
  assert.ok(payload);
  await assert.rejects(verifyEvidence(jws, keys, 'kuvert-proof+jwt'), EvidenceSignatureError);
  await assert.rejects(verifyEvidence(jws, { keys: [] }, 'kuvert-test+jwt'), EvidenceSignatureError);
  await assert.rejects(verifyEvidence('not a jws', keys, 'kuvert-test+jwt'), EvidenceSignatureError);
});
