import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createSender } from '../../../test/support/fixtures.ts';
import { createEnrolledBusiness, inboxCall, sendToBusiness } from '../../../test/support/inbox.ts';
import { eventually, startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';
import { issueTestToken } from '../../../test/support/machine-login.ts';

const CVR = '30000048';
let kuvert: TestKuvert;

before(async () => {
  kuvert = await startTestKuvert();
});
after(async () => {
  await kuvert?.stop();
});

/**
 * The case a plain keyset on delivery time or sequence gets wrong: delivery A starts first but commits last, B
 * commits in between and is listed. A cursor handed out after B must still lead to A.
 */
test('a delivery that commits after a later one is not skipped by a cursor handed out meanwhile', async () => {
  const db = kuvert.services.db;
  const sender = await createSender(db, 'Arbejdstilsynet');
  const business = await createEnrolledBusiness(db, CVR, 'Olsen Logistik A/S');
  const { accessToken } = await issueTestToken(kuvert, { businessId: business, scopes: ['inbox:read'] });
  const first = await sendToBusiness(kuvert, sender.apiKey, CVR, { label: 'Først' });
  const start = await eventually(async () => {
    const page = await inboxCall(kuvert, accessToken, 'GET', '/api/v1/inbox/letters');
    return page.body.letters.length === 1 ? page.body : null;
  });
  assert.equal(start.letters[0].id, first);

  // Delivery A: a copy of the first letter made available in a transaction that stays open.
  let release!: () => void;
  const held = new Promise<void>((r) => {
    release = r;
  });
  let lateId = '';
  const slow = db.transaction().execute(async (trx) => {
    const copy = await sql<{ id: string }>`
      insert into message
      select (jsonb_populate_record(null::message, to_jsonb(m) || jsonb_build_object(
        'id', gen_random_uuid(), 'message_uuid', gen_random_uuid(), 'label', 'Sen', 'first_read_at', null))).*
      from message m where m.id = ${first}
      returning id`.execute(trx);
    lateId = copy.rows[0]?.id as string;
    await held;
  });
  await eventually(async () => lateId !== '');

  // Delivery B starts after A and commits before it.
  const early = await sendToBusiness(kuvert, sender.apiKey, CVR, { label: 'Hurtig' });
  const meanwhile = await inboxCall(kuvert, accessToken, 'GET', `/api/v1/inbox/letters?cursor=${start.cursor}`);
  assert.deepEqual(meanwhile.body.letters, [], 'B waits while A, older, is still running');
  assert.equal(meanwhile.body.cursor, start.cursor);

  release();
  await slow;
  const seen: string[] = [];
  let cursor = start.cursor;
  await eventually(async () => {
    const page = await inboxCall(kuvert, accessToken, 'GET', `/api/v1/inbox/letters?limit=1&cursor=${cursor}`);
    seen.push(...page.body.letters.map((l: { id: string }) => l.id));
    cursor = page.body.cursor;
    return seen.length >= 2;
  });
  assert.deepEqual(seen, [lateId, early], 'both, once each, A first (its transaction began first)');
});
