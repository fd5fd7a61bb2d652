import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  type BatchEnv,
  getJson,
  type Json,
  postBatch,
  startBatchEnv,
  waitBatchFinished,
} from '../../../../test/support/batches.ts';
import { createPerson, createSender, tinyPdf } from '../../../../test/support/fixtures.ts';
import { sha256Hex } from '../../../documents/document-store.ts';

const ANNA = '1503851234';

/** A letter using the whole JSON model: flags, notification, reply, post type, roles, actions. */
const fullLetter = (uuid: string, extra: Record<string, unknown> = {}) => ({
  messageUuid: uuid,
  recipient: { cpr: ANNA },
  label: 'Indkaldelse til samtale',
  senderReference: 'SAG-77',
  notification: 'Du er indkaldt',
  replyAllowed: true,
  replyBy: '2026-12-24T12:00:00Z',
  mandatory: true,
  legalNotification: true,
  postType: 'INDKALDELSE',
  documents: [
    { title: 'Indkaldelse', filename: 'i.pdf', mediaType: 'application/pdf', content: tinyPdf.toString('base64') },
    {
      title: 'Vejledning',
      filename: 'v.txt',
      mediaType: 'text/plain',
      role: 'additional',
      language: 'en',
      content: Buffer.from('Guide').toString('base64'),
    },
  ],
  actions: [
    { actionCode: 'INFORMATION', label: 'Læs mere', url: 'https://example.dk/info' },
    { actionCode: 'BEKRAEFT', label: 'Bekræft' },
  ],
  ...extra,
});

/** The fields of a letter's status that come from what the sender sent (not ids or times). */
const model = (status: Json) => ({
  label: status.label,
  senderReference: status.senderReference,
  notification: status.notification,
  replyAllowed: status.replyAllowed,
  replyBy: status.replyBy,
  mandatory: status.mandatory,
  legalNotification: status.legalNotification,
  postType: status.postType,
  doNotDeliverUntil: status.doNotDeliverUntil,
  documents: status.documents,
  actions: status.actions,
});

describe('NDJSON batch items carry the whole JSON message model', () => {
  let env: BatchEnv;
  let sender: Awaited<ReturnType<typeof createSender>>;
  before(async () => {
    env = await startBatchEnv({ worker: true });
    sender = await createSender(env.services.db, 'Randers Kommune');
    await createPerson(env.services.db, ANNA, 'Anna');
  });
  after(async () => env?.stop());

  const sendAlone = async (body: unknown) => {
    const response = await fetch(`${env.url}/api/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sender.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Json };
  };
  const statusOf = async (id: string) => (await getJson(env, sender.apiKey, `/api/v1/messages/${id}`)).body;
  const idOf = async (uuid: string) =>
    (
      await env.services.db
        .selectFrom('message')
        .select('id')
        .where('message_uuid', '=', uuid)
        .executeTakeFirstOrThrow()
    ).id;

  test('a batch letter is stored exactly as the same letter sent alone', async () => {
    const [single, inBatch, scheduled, byRef] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    assert.equal((await sendAlone(fullLetter(single))).status, 201);
    const ndjson = [
      fullLetter(inBatch),
      fullLetter(scheduled, { doNotDeliverUntil: '2099-01-01' }),
      // The shared PDF named by hash keeps its role; the second document keeps role and language.
      fullLetter(byRef, {
        documents: [
          { title: 'Indkaldelse', filename: 'i.pdf', mediaType: 'application/pdf', sha256: sha256Hex(tinyPdf) },
          (fullLetter(byRef).documents as unknown[])[1],
        ],
      }),
    ]
      .map((l) => JSON.stringify(l))
      .join('\n');
    const submitted = await postBatch(env, sender.apiKey, ndjson, 'application/x-ndjson');
    assert.equal(submitted.status, 202, JSON.stringify(submitted.body));
    const done = await waitBatchFinished(env, sender.apiKey, submitted.body.id);
    assert.deepEqual(done.counts, { total: 3, processed: 3, accepted: 3, duplicates: 0, failed: 0 });

    const alone = model(await statusOf(await idOf(single)));
    assert.deepEqual(model(await statusOf(await idOf(inBatch))), alone);
    assert.deepEqual(model(await statusOf(await idOf(byRef))), alone);
    assert.equal(alone.actions[1].status, 'pending', 'BEKRAEFT waits for the recipient');
    const later = await statusOf(await idOf(scheduled));
    assert.deepEqual(model(later), { ...alone, doNotDeliverUntil: '2099-01-01' });
    assert.equal(later.status, 'scheduled', 'waits for doNotDeliverUntil, as a single letter does');
    assert.ok(later.scheduledFor.startsWith('2098-12-31T23:00:00'), later.scheduledFor);
  });

  test('idempotency spans both paths: the same letter is a duplicate, a changed one a conflict', async () => {
    const uuid = randomUUID();
    assert.equal((await sendAlone(fullLetter(uuid))).status, 201);
    const ndjson = [fullLetter(uuid), fullLetter(uuid, { notification: 'Ændret' })]
      .map((l) => JSON.stringify(l))
      .join('\n');
    const submitted = await postBatch(env, sender.apiKey, ndjson, 'application/x-ndjson');
    const done = await waitBatchFinished(env, sender.apiKey, submitted.body.id);
    assert.deepEqual(done.counts, { total: 2, processed: 2, accepted: 0, duplicates: 1, failed: 1 });
    const errors = (await getJson(env, sender.apiKey, `/api/v1/batches/${submitted.body.id}/errors`)).body.errors;
    assert.equal(errors[0].code, 'message_uuid_conflict');
  });

  test('the single-letter rules apply to each line: bad action, http link, no main document', async () => {
    const ndjson = [
      fullLetter(randomUUID(), { actions: [{ actionCode: 'INFORMATION', label: 'x', url: 'http://insecure.dk' }] }),
      fullLetter(randomUUID(), { actions: [{ actionCode: 'AFTALE', label: 'Book' }] }),
      fullLetter(randomUUID(), {
        documents: [{ ...(fullLetter('x').documents as Json[])[0], role: 'additional' }],
      }),
    ]
      .map((l) => JSON.stringify(l))
      .join('\n');
    const submitted = await postBatch(env, sender.apiKey, ndjson, 'application/x-ndjson');
    const done = await waitBatchFinished(env, sender.apiKey, submitted.body.id);
    assert.equal(done.counts.failed, 3);
    const errors = (await getJson(env, sender.apiKey, `/api/v1/batches/${submitted.body.id}/errors`)).body.errors;
    assert.deepEqual(
      errors.map((e: Json) => [e.line, e.code, e.field]),
      [
        [1, 'insecure_action_url', '/actions/0/url'],
        [2, 'missing_reservation', '/actions/0/reservation'],
        [3, 'no_main_document', '/documents'],
      ],
    );
  });
});
