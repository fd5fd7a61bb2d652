import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createPerson, createSender, letterBody, tinyPdf } from '../../../test/support/fixtures.ts';
import { eventually, startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';
import { revokeApiKey } from '../identity/api-keys.ts';

const ANNA = '1503851234';
const BO = '0101901235';

let kuvert: TestKuvert;
let senderX: Awaited<ReturnType<typeof createSender>>;
let senderY: Awaited<ReturnType<typeof createSender>>;

before(async () => {
  kuvert = await startTestKuvert({ env: { KUVERT_MAX_DOCUMENT_BYTES: '65536' } });
  senderX = await createSender(kuvert.services.db, 'Aarhus Kommune');
  senderY = await createSender(kuvert.services.db, 'Odense Kommune');
  await createPerson(kuvert.services.db, ANNA, 'Anna Jensen');
  await createPerson(kuvert.services.db, BO, 'Bo Hansen', 'exempted');
});
after(async () => kuvert?.stop());

async function send(body: unknown, key = senderX.apiKey, contentType = 'application/json') {
  const response = await fetch(`${kuvert.url}/api/v1/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    body: (await response.json()) as any,
  };
}

async function status(id: string, key = senderX.apiKey) {
  const response = await fetch(`${kuvert.url}/api/v1/messages/${id}`, { headers: { authorization: `Bearer ${key}` } });
  return { status: response.status, body: (await response.json()) as any };
}

/** What a send writes (RECEIVED events only: the worker adds AVAILABLE events in the background). */
async function countRows() {
  const db = kuvert.services.db;
  const count = (table: 'message' | 'message_document' | 'document' | 'audit_event') =>
    db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
  const received = db
    .selectFrom('message_event')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('type', '=', 'RECEIVED')
    .executeTakeFirstOrThrow();
  const [m, md, d, a, e] = await Promise.all([
    count('message'),
    count('message_document'),
    count('document'),
    count('audit_event'),
    received,
  ]);
  return { messages: m.n, messageDocuments: md.n, documents: d.n, audit: a.n, received: e.n };
}

describe('sending a letter through the API', () => {
  test('a sender sends a letter and follows it until it is available in the mailbox', async () => {
    const sent = await send(letterBody(ANNA));
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    assert.match(sent.body.id, /^[0-9a-f-]{36}$/);
    const available = await eventually(async () => {
      const s = await status(sent.body.id);
      return s.body.availableAt ? s.body : null;
    });
    assert.equal(available.status, 'available');
    assert.equal(available.readAt, null);
    assert.equal(available.label, 'Afgørelse om boligstøtte');
    assert.equal(available.senderReference, 'SAG-2026-0001');
    assert.deepEqual(
      available.events.map((e: { type: string }) => e.type),
      ['RECEIVED', 'VALIDATED', 'AVAILABLE_TO_RECIPIENT'],
    );
    assert.equal(available.documents[0].sizeBytes, tinyPdf.length);
  });

  test('plain-text documents are accepted alongside PDFs', async () => {
    const body = letterBody(ANNA, {
      documents: [
        {
          title: 'Brev',
          filename: 'brev.txt',
          mediaType: 'text/plain',
          content: Buffer.from('Kære Anna\nHilsen').toString('base64'),
        },
        { title: 'Bilag', filename: 'bilag.pdf', mediaType: 'application/pdf', content: tinyPdf.toString('base64') },
      ],
    });
    const sent = await send(body);
    assert.equal(sent.status, 201);
    const s = await status(sent.body.id);
    assert.deepEqual(
      s.body.documents.map((d: { mediaType: string }) => d.mediaType),
      ['text/plain', 'application/pdf'],
    );
  });

  test('the same messageUuid with the same content returns the original receipt; different content is 409', async () => {
    const messageUuid = randomUUID();
    const first = await send(letterBody(ANNA, { messageUuid }));
    const again = await send(letterBody(ANNA, { messageUuid }));
    assert.equal(first.status, 201);
    assert.equal(again.status, 200);
    assert.equal(again.body.id, first.body.id);
    const before = await countRows();
    const conflict = await send(letterBody(ANNA, { messageUuid, label: 'Noget andet' }));
    assert.equal(conflict.status, 409);
    assert.equal(conflict.body.code, 'message_uuid_conflict');
    assert.deepEqual(await countRows(), before);
  });

  test('an identical document in many letters is stored once', async () => {
    const a = await send(letterBody(ANNA));
    const b = await send(letterBody(ANNA));
    const sa = await status(a.body.id);
    const sb = await status(b.body.id);
    assert.equal(sa.body.documents[0].sha256, sb.body.documents[0].sha256);
    const rows = await kuvert.services.db
      .selectFrom('document')
      .select('sha256')
      .where('sha256', '=', sa.body.documents[0].sha256)
      .execute();
    assert.equal(rows.length, 1);
  });

  test('a letter to an exempted recipient waits for remote print instead of reaching a mailbox', async () => {
    const sent = await send(letterBody(BO));
    assert.equal(sent.status, 201);
    const s = await eventually(async () => {
      const r = await status(sent.body.id);
      return r.body.events.some((e: { type: string }) => e.type === 'PRINT_QUEUED') ? r.body : null;
    });
    assert.equal(s.availableAt, null);
    assert.equal(s.status, 'print_queued');
  });
});

describe('authorisation of the sender API', () => {
  test('sender Y cannot see sender X’s letter (404, not 403)', async () => {
    const sent = await send(letterBody(ANNA));
    const other = await status(sent.body.id, senderY.apiKey);
    assert.equal(other.status, 404);
    assert.equal(other.body.code, 'not_found');
  });

  test('an unknown message id and a malformed id are both 404', async () => {
    assert.equal((await status(randomUUID())).status, 404);
    assert.equal((await status('not-a-uuid')).status, 404);
  });

  test('a missing API key is 401 missing_api_key and a revoked key is 401 invalid_api_key, storing nothing', async () => {
    const before = await countRows();
    const missing = await fetch(`${kuvert.url}/api/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(letterBody(ANNA)),
    });
    assert.equal(missing.status, 401);
    assert.equal(missing.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    assert.equal(((await missing.json()) as any).code, 'missing_api_key');
    // The key is checked before the body is read: without one, even a body that is not JSON is never parsed.
    const unread = await fetch(`${kuvert.url}/api/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"recipient": ',
    });
    assert.equal(unread.status, 401);
    assert.equal(((await unread.json()) as any).code, 'missing_api_key');

    const revoked = await createSender(kuvert.services.db, 'Nedlagt Kommune');
    assert.equal(await revokeApiKey(kuvert.services.db, revoked.id, revoked.apiKeyId), true);
    const r = await send(letterBody(ANNA), revoked.apiKey);
    assert.equal(r.status, 401);
    assert.equal(r.body.code, 'invalid_api_key');
    const garbage = await send(letterBody(ANNA), 'kuv_notakey');
    assert.equal(garbage.body.code, 'invalid_api_key');
    assert.deepEqual(await countRows(), before);
  });
});

const doc = (mediaType: string, bytes: Buffer) => ({
  title: 'Dokument',
  filename: 'dokument',
  mediaType,
  content: bytes.toString('base64'),
});

describe('bad input gets a problem+json with a code and the field, and stores nothing', () => {
  const cases: [string, () => unknown, number, string, string | undefined][] = [
    ['malformed JSON', () => '{"recipient": ', 400, 'malformed_json', undefined],
    ['a field of the wrong type', () => letterBody(ANNA, { label: 42 }), 400, 'invalid_field', '/label'],
    ['an unknown field', () => letterBody(ANNA, { colour: 'red' }), 400, 'unknown_field', '/colour'],
    ['a missing field', () => ({ recipient: { cpr: ANNA }, documents: [] }), 400, 'invalid_field', '/label'],
    ['an invalid CPR number (32nd day)', () => letterBody('3201901234'), 422, 'invalid_cpr', '/recipient/cpr'],
    ['a CPR number of someone not yet born', () => letterBody('0101305000'), 422, 'invalid_cpr', '/recipient/cpr'],
    ['an unknown recipient', () => letterBody('0202021234'), 422, 'unknown_recipient', '/recipient/cpr'],
    [
      'an invalid CVR number',
      () => letterBody(ANNA, { recipient: { cvr: '12345678' } }),
      422,
      'invalid_cvr',
      '/recipient/cvr',
    ],
    [
      'a "PDF" that is not a PDF',
      () =>
        letterBody(ANNA, {
          documents: [
            {
              title: 'x',
              filename: 'x.pdf',
              mediaType: 'application/pdf',
              content: Buffer.from('MZ not a pdf').toString('base64'),
            },
          ],
        }),
      422,
      'not_a_pdf',
      '/documents/0/content',
    ],
    [
      'a document over the size limit',
      () =>
        letterBody(ANNA, {
          documents: [
            { title: 'ok', filename: 'a.pdf', mediaType: 'application/pdf', content: tinyPdf.toString('base64') },
            {
              title: 'big',
              filename: 'big.txt',
              mediaType: 'text/plain',
              content: Buffer.alloc(70000, 65).toString('base64'),
            },
          ],
        }),
      413,
      'document_too_large',
      '/documents/1/content',
    ],
    [
      'content that is not base64',
      () =>
        letterBody(ANNA, { documents: [{ title: 'x', filename: 'x.txt', mediaType: 'text/plain', content: '***' }] }),
      400,
      'invalid_base64',
      '/documents/0/content',
    ],
    [
      'an unsupported document type',
      () =>
        letterBody(ANNA, {
          documents: [{ title: 'x', filename: 'x.exe', mediaType: 'application/x-msdownload', content: 'AAAA' }],
        }),
      400,
      'invalid_field',
      '/documents/0/mediaType',
    ],
    [
      'a "PNG" that is not a PNG',
      () => letterBody(ANNA, { documents: [doc('image/png', tinyPdf)] }),
      422,
      'not_a_png',
      '/documents/0/content',
    ],
    [
      'a "JPEG" that is not a JPEG',
      () => letterBody(ANNA, { documents: [doc('image/jpeg', tinyPdf)] }),
      422,
      'not_a_jpeg',
      '/documents/0/content',
    ],
    [
      'a "GIF" that is not a GIF',
      () => letterBody(ANNA, { documents: [doc('image/gif', tinyPdf)] }),
      422,
      'not_a_gif',
      '/documents/0/content',
    ],
    [
      '"HTML" that is not HTML',
      () => letterBody(ANNA, { documents: [doc('text/html', Buffer.from('just words'))] }),
      422,
      'not_html',
      '/documents/0/content',
    ],
    [
      'HTML that is not UTF-8',
      () => letterBody(ANNA, { documents: [doc('text/html', Buffer.from([0x3c, 0x70, 0x3e, 0xff, 0xfe]))] }),
      422,
      'invalid_text',
      '/documents/0/content',
    ],
    [
      'no main document',
      () => letterBody(ANNA, { documents: [{ ...doc('application/pdf', tinyPdf), role: 'additional' }] }),
      422,
      'no_main_document',
      '/documents',
    ],
    [
      'an action link that is not https',
      () => letterBody(ANNA, { actions: [{ actionCode: 'BETALING', label: 'Betal', url: 'http://betal.example/1' }] }),
      422,
      'insecure_action_url',
      '/actions/0/url',
    ],
    [
      'a link action without a url',
      () => letterBody(ANNA, { actions: [{ actionCode: 'SELVBETJENING', label: 'Søg' }] }),
      422,
      'missing_action_url',
      '/actions/0/url',
    ],
    [
      'an AFTALE without a reservation',
      () => letterBody(ANNA, { actions: [{ actionCode: 'AFTALE', label: 'Møde' }] }),
      422,
      'missing_reservation',
      '/actions/0/reservation',
    ],
    [
      'an action on a document that does not exist',
      () => letterBody(ANNA, { actions: [{ actionCode: 'BEKRAEFT', label: 'OK', document: 3 }] }),
      422,
      'invalid_action_document',
      '/actions/0/document',
    ],
    [
      'an unknown action code',
      () => letterBody(ANNA, { actions: [{ actionCode: 'KLIK', label: 'OK' }] }),
      400,
      'invalid_field',
      '/actions/0/actionCode',
    ],
    [
      'a doNotDeliverUntil that is not a date',
      () => letterBody(ANNA, { doNotDeliverUntil: '1. maj' }),
      400,
      'invalid_field',
      '/doNotDeliverUntil',
    ],
    [
      'a notification longer than MeMo allows (150)',
      () => letterBody(ANNA, { notification: 'x'.repeat(151) }),
      400,
      'invalid_field',
      '/notification',
    ],
  ];
  for (const [name, body, code, errorCode, field] of cases) {
    test(`${name} → ${code} ${errorCode}`, async () => {
      const before = await countRows();
      const r = await send(body());
      assert.equal(r.status, code, JSON.stringify(r.body));
      assert.equal(r.type, 'application/problem+json; charset=utf-8');
      assert.equal(r.body.code, errorCode);
      assert.equal(r.body.status, code);
      if (field) assert.equal(r.body.errors?.[0]?.field, field, JSON.stringify(r.body));
      assert.deepEqual(await countRows(), before);
    });
  }

  test('a non-JSON content type is 415', async () => {
    const r = await send('<x/>', senderX.apiKey, 'text/csv');
    assert.equal(r.status, 415);
    assert.equal(r.body.code, 'unsupported_media_type');
    // Fastify parses text/plain by itself; only JSON and MeMo may reach the sending path.
    const text = await send(JSON.stringify(letterBody(ANNA)), senderX.apiKey, 'text/plain');
    assert.equal(text.status, 415);
    assert.equal(text.body.code, 'unsupported_media_type');
  });
});

describe('operator endpoints', () => {
  test('health, readiness and the OpenAPI document answer', async () => {
    assert.equal((await fetch(`${kuvert.url}/healthz`)).status, 200);
    assert.deepEqual(await (await fetch(`${kuvert.url}/readyz`)).json(), { status: 'ready' });
    const doc = (await (await fetch(`${kuvert.url}/api/openapi.json`)).json()) as any;
    assert.ok(doc.paths['/api/v1/messages'].post);
    assert.ok(doc.paths['/api/v1/messages/{id}'].get);
    const docsPage = await fetch(`${kuvert.url}/api/docs/`);
    assert.equal(docsPage.status, 200);
  });
});
