import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createPerson, createSender, letterBody } from '../../../test/support/fixtures.ts';
import { eventually, startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';
import { createSession } from '../identity/session.ts';
import { deliverMessage } from './deliver-message.ts';

const ANNA = '1503851234';
const BO = '0101901235';

let kuvert: TestKuvert;
let sender: Awaited<ReturnType<typeof createSender>>;
let otherSender: Awaited<ReturnType<typeof createSender>>;
let anna: { id: string; cookie: string };

before(async () => {
  kuvert = await startTestKuvert();
  sender = await createSender(kuvert.services.db, 'Horsens Kommune');
  otherSender = await createSender(kuvert.services.db, 'Vejle Kommune');
  const person = await createPerson(kuvert.services.db, ANNA, 'Anna Jensen');
  await createPerson(kuvert.services.db, BO, 'Bo Hansen', 'exempted');
  const { sessionId } = await createSession(
    kuvert.services.db,
    { kind: 'citizen', subject: 'test-anna', name: 'Anna Jensen', recipientId: person.id },
    null,
  );
  anna = { id: person.id, cookie: `kuvert_session=${sessionId}` };
});
after(async () => kuvert?.stop());

async function api(method: string, path: string, body?: unknown, key = sender.apiKey) {
  const response = await fetch(`${kuvert.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, body: (await response.json()) as any };
}

const recall = (id: string, key = sender.apiKey) => api('POST', `/api/v1/messages/${id}/recall`, undefined, key);

async function sendAndWait(cpr: string, overrides: Record<string, unknown> = {}, until = 'available') {
  const sent = await api('POST', '/api/v1/messages', letterBody(cpr, overrides));
  assert.equal(sent.status, 201, JSON.stringify(sent.body));
  await eventually(async () => (await api('GET', `/api/v1/messages/${sent.body.id}`)).body.status === until);
  return sent.body.id as string;
}

const page = (path: string) => fetch(`${kuvert.url}${path}`, { headers: { cookie: anna.cookie }, redirect: 'manual' });

describe('recalling a letter', () => {
  test('an unread letter leaves the mailbox at once: status recalled, RECALLED event, audit row', async () => {
    const id = await sendAndWait(ANNA, { label: 'Brev sendt ved en fejl' });
    assert.match(await (await page('/post')).text(), new RegExp(`/post/${id}`));

    const r = await recall(id);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.status, 'recalled');
    assert.ok(r.body.recalledAt);
    assert.deepEqual(
      r.body.events.map((e: { type: string }) => e.type),
      ['RECEIVED', 'VALIDATED', 'AVAILABLE_TO_RECIPIENT', 'RECALLED'],
    );

    assert.doesNotMatch(await (await page('/post')).text(), new RegExp(`/post/${id}`));
    assert.equal((await page(`/post/${id}`)).status, 404);
    assert.equal((await page(`/post/${id}/dokumenter/0`)).status, 404);

    const audit = await kuvert.services.db
      .selectFrom('audit_event')
      .selectAll()
      .where('subject_id', '=', id)
      .where('action', '=', 'message.recall')
      .execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]?.actor_id, sender.apiKeyId);
    assert.equal(audit[0]?.mailbox_recipient_id, anna.id);
  });

  test('recalling again changes nothing', async () => {
    const id = await sendAndWait(ANNA);
    await recall(id);
    const again = await recall(id);
    assert.equal(again.status, 200);
    assert.equal(again.body.events.filter((e: { type: string }) => e.type === 'RECALLED').length, 1);
  });

  test('a letter already read cannot be recalled (409 already_read) and stays in the mailbox', async () => {
    const id = await sendAndWait(ANNA);
    assert.equal((await page(`/post/${id}`)).status, 200);
    const r = await recall(id);
    assert.equal(r.status, 409);
    assert.equal(r.body.code, 'already_read');
    assert.equal((await api('GET', `/api/v1/messages/${id}`)).body.status, 'available');
    assert.equal((await page(`/post/${id}`)).status, 200);
  });

  test('a scheduled letter recalled before its date is never delivered', async () => {
    const sent = await api('POST', '/api/v1/messages', letterBody(ANNA, { doNotDeliverUntil: '2099-05-01' }));
    assert.equal((await recall(sent.body.id)).body.status, 'recalled');
    await deliverMessage(kuvert.services, { messageId: sent.body.id }, new Date('2099-05-02T00:00:00Z'));
    const s = (await api('GET', `/api/v1/messages/${sent.body.id}`)).body;
    assert.equal(s.status, 'recalled');
    assert.equal(s.availableAt, null);
  });

  test('a letter waiting for print can be recalled; one printed and posted cannot (409 already_printed)', async () => {
    const queued = await sendAndWait(BO, {}, 'print_queued');
    assert.equal((await recall(queued)).body.status, 'recalled');

    const printed = await sendAndWait(BO, {}, 'print_queued');
    const message = { id: printed, sender_id: sender.id };
    await kuvert.services.db
      .insertInto('message_event')
      .values({ message_id: message.id, sender_id: message.sender_id, type: 'PHYSICAL_LETTER_SENT', data: '{}' })
      .execute();
    const r = await recall(printed);
    assert.equal(r.status, 409);
    assert.equal(r.body.code, 'already_printed');
  });

  test('a failed letter cannot be recalled (409 message_failed)', async () => {
    const id = await sendAndWait(BO, { mandatory: true }, 'rejected');
    const r = await recall(id);
    assert.equal(r.status, 409);
    assert.equal(r.body.code, 'message_failed');
  });

  test('another sender cannot recall the letter (404), nor can anyone recall an unknown id', async () => {
    const id = await sendAndWait(ANNA);
    assert.equal((await recall(id, otherSender.apiKey)).status, 404);
    assert.equal((await recall(randomUUID())).status, 404);
    assert.equal((await recall('nonsense')).status, 404);
    assert.equal((await api('GET', `/api/v1/messages/${id}`)).body.status, 'available');
  });
});
