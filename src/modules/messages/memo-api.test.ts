import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { createPerson, createSender, letterBody, PNG, realMemoFile, tinyPdf } from '../../../test/support/fixtures.ts';
import { eventually, startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';
import { type MemoDocument, type MemoMessage, parseMemo, toMemoXml } from './memo/index.ts';

const FIXTURES = new URL('../../../test/fixtures/memo/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES));
/** The CPR number the official examples are addressed to (valid by the date rules). */
const EXAMPLE_CPR = '2211771212';

let kuvert: TestKuvert;
let senderX: Awaited<ReturnType<typeof createSender>>;
let senderY: Awaited<ReturnType<typeof createSender>>;

before(async () => {
  // 1 MiB documents: the MeMo body limit is then its floor, 12 MiB.
  kuvert = await startTestKuvert({ env: { KUVERT_MAX_DOCUMENT_BYTES: String(1024 * 1024) } });
  senderX = await createSender(kuvert.services.db, 'Aalborg Kommune');
  senderY = await createSender(kuvert.services.db, 'Viborg Kommune');
  await createPerson(kuvert.services.db, EXAMPLE_CPR, 'Eksempel Modtager');
});
after(async () => kuvert?.stop());

async function post(xml: Buffer | string, key = senderX.apiKey, contentType = 'application/xml') {
  const response = await fetch(`${kuvert.url}/api/v1/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': contentType },
    body: xml,
  });
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    body: (await response.json()) as any,
  };
}

async function get(path: string, key = senderX.apiKey) {
  const response = await fetch(`${kuvert.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
}

async function countRows() {
  const db = kuvert.services.db;
  const count = async (table: 'message' | 'message_document' | 'message_action' | 'audit_event') =>
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;
  return {
    messages: await count('message'),
    documents: await count('message_document'),
    actions: await count('message_action'),
    // RECEIVED only: the worker adds routing events of earlier letters in the background.
    received: (
      await db
        .selectFrom('message_event')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('type', '=', 'RECEIVED')
        .executeTakeFirstOrThrow()
    ).n,
    audit: await count('audit_event'),
  };
}

/** An official example with its placeholders made real: real files, allowed types, https links, a fresh UUID. */
async function repaired(name: string): Promise<MemoMessage> {
  const { message } = await parseMemo(fixture(name));
  const doc = (d: MemoDocument): MemoDocument => ({
    ...d,
    files: d.files.map(realMemoFile),
    actions: d.actions.map((a) =>
      a.entryPoint ? { ...a, entryPoint: { url: a.entryPoint.url.replace(/^http:/, 'https:') } } : a,
    ),
  });
  const body = message.body;
  assert.ok(body);
  return {
    ...message,
    messageUUID: randomUUID(),
    body: {
      ...body,
      mainDocument: doc(body.mainDocument),
      additionalDocuments: body.additionalDocuments.map(doc),
      technicalDocuments: body.technicalDocuments.map(doc),
    },
  };
}

/**
 * Every official example, pinned. None is accepted as it stands: the DIGITALPOST examples declare "This is a test"
 * as a PDF (a placeholder file Kuvert refuses as not a PDF), and two use the placeholder recipient "Recipient ID".
 * Their repaired versions are accepted below.
 */
const EXAMPLES: Record<string, { status: number; code: string; field: string }> = {
  'MeMo_Full_Example.v11.xml': { status: 422, code: 'not_a_pdf', field: '/MessageBody/MainDocument/File/0/content' },
  'MeMo_Full_Example.v12.xml': { status: 422, code: 'not_a_pdf', field: '/MessageBody/MainDocument/File/0/content' },
  'MeMo_Minimum_Example.v11.xml': {
    status: 422,
    code: 'not_a_pdf',
    field: '/MessageBody/MainDocument/File/0/content',
  },
  'MeMo_Minimum_Example.v12.xml': {
    status: 422,
    code: 'not_a_pdf',
    field: '/MessageBody/MainDocument/File/0/content',
  },
  'MeMo_NemSMS.v12.xml': { status: 422, code: 'memo_recipient_invalid', field: '/MessageHeader/Recipient/recipientID' },
  'MeMo_with_attachment.v12.xml': {
    status: 422,
    code: 'memo_recipient_invalid',
    field: '/MessageHeader/Recipient/recipientID',
  },
};

describe('the official MeMo examples posted to POST /api/v1/messages', () => {
  test('the pinned list covers every example file', () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.xml'));
    assert.deepEqual(files.sort(), Object.keys(EXAMPLES).sort());
  });

  for (const [file, expected] of Object.entries(EXAMPLES)) {
    test(`${file} → ${expected.status} ${expected.code}, nothing stored`, async () => {
      const before = await countRows();
      const r = await post(fixture(file));
      assert.equal(r.status, expected.status, JSON.stringify(r.body));
      assert.equal(r.type, 'application/problem+json; charset=utf-8');
      assert.equal(r.body.code, expected.code);
      assert.equal(r.body.errors?.[0]?.field, expected.field);
      assert.ok(r.body.detail.length > 20, 'the detail explains the refusal');
      assert.deepEqual(await countRows(), before);
    });
  }

  for (const file of ['MeMo_Full_Example.v11.xml', 'MeMo_Full_Example.v12.xml']) {
    test(`${file} with its placeholders made real is accepted, with everything it carries`, async () => {
      const model = await repaired(file);
      const version = file.includes('v11') ? '1.1' : '1.2';
      const sent = await post(toMemoXml(model, version));
      assert.equal(sent.status, 201, JSON.stringify(sent.body));
      assert.equal(sent.body.messageUuid, model.messageUUID);
      const status = JSON.parse((await get(`/api/v1/messages/${sent.body.id}`)).text);
      assert.equal(status.memoVersion, version);
      assert.equal(status.label, model.label);
      assert.equal(status.senderReference, model.messageID);
      assert.equal(status.notification, model.notification ?? null);
      assert.equal(status.mandatory, model.mandatory ?? false);
      assert.equal(status.doNotDeliverUntil, model.doNotDeliverUntilDate);
      assert.equal(status.replyAllowed, model.reply ?? false);
      assert.deepEqual(
        status.documents.map((d: { role: string; mediaType: string }) => `${d.role}:${d.mediaType}`),
        [
          'main:application/pdf',
          'main:text/plain',
          'additional:application/pdf',
          'additional:image/png',
          'additional:application/pdf',
          'technical:text/plain',
        ],
      );
      assert.equal(status.documents[0].documentId, '456');
      assert.deepEqual(
        status.actions.map((a: { actionCode: string; document: number }) => `${a.actionCode}@${a.document}`),
        ['SELVBETJENING@0', 'AFTALE@0', 'INFORMATION@2', 'AFTALE@2', 'SELVBETJENING@4'],
      );
      const aftale = status.actions[1];
      assert.equal(aftale.reservation.location, 'Gl. Landevej 61, 9000 aalborg, Rød stue');
      assert.equal(aftale.url, null);
      assert.match(status.actions[0].url, /^https:\/\/www\.tusindfryd\.dk\//);
    });
  }

  test('the sender named in the MeMo does not choose the sending organisation: the API key does', async () => {
    const model = await repaired('MeMo_Full_Example.v12.xml');
    const sent = await post(toMemoXml(model, '1.2'), senderY.apiKey);
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const row = await kuvert.services.db
      .selectFrom('message')
      .select('sender_id')
      .where('id', '=', sent.body.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.sender_id, senderY.id);
    // …so the letter is senderY's alone.
    assert.equal((await get(`/api/v1/messages/${sent.body.id}`, senderX.apiKey)).status, 404);
  });

  test('application/vnd.memo+xml is accepted too, and the letter reaches the mailbox', async () => {
    const model = await repaired('MeMo_Full_Example.v12.xml');
    const sent = await post(toMemoXml(model, '1.2'), senderX.apiKey, 'application/vnd.memo+xml');
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const status = await eventually(async () => {
      const s = JSON.parse((await get(`/api/v1/messages/${sent.body.id}`)).text);
      return s.status === 'available' ? s : null;
    });
    assert.deepEqual(
      status.events.map((e: { type: string }) => e.type),
      ['RECEIVED', 'VALIDATED', 'AVAILABLE_TO_RECIPIENT'],
    );
  });
});

describe('idempotency on the MeMo messageUUID', () => {
  test('the same MeMo again returns the original receipt (200); a different one with its UUID is 409', async () => {
    const model = await repaired('MeMo_Full_Example.v12.xml');
    const xml = toMemoXml(model, '1.2');
    const first = await post(xml);
    assert.equal(first.status, 201);
    const again = await post(xml);
    assert.equal(again.status, 200);
    assert.equal(again.body.id, first.body.id);
    assert.equal(again.body.status, 'duplicate');
    const before = await countRows();
    const changed = await post(toMemoXml({ ...model, notification: 'Noget andet' }, '1.2'));
    assert.equal(changed.status, 409);
    assert.equal(changed.body.code, 'message_uuid_conflict');
    assert.deepEqual(await countRows(), before);
  });

  test('the UUID is per sender: another sender may use the same one', async () => {
    const model = await repaired('MeMo_Full_Example.v12.xml');
    const xml = toMemoXml(model, '1.2');
    assert.equal((await post(xml, senderX.apiKey)).status, 201);
    assert.equal((await post(xml, senderY.apiKey)).status, 201);
  });
});

describe('export as MeMo: GET /api/v1/messages/{id}/memo', () => {
  test('a MeMo letter round-trips: post, export, parse → the same model, file bytes included', async () => {
    for (const [file, version] of [
      ['MeMo_Full_Example.v12.xml', '1.2'],
      ['MeMo_Full_Example.v11.xml', '1.1'],
    ] as const) {
      const model = await repaired(file);
      const sent = await post(toMemoXml(model, version));
      assert.equal(sent.status, 201, JSON.stringify(sent.body));
      const exported = await get(`/api/v1/messages/${sent.body.id}/memo?version=${version}`);
      assert.equal(exported.status, 200, exported.text);
      assert.match(exported.type, /^application\/xml/);
      // parseMemo validates against the schema of the version: the export is valid MeMo.
      const parsed = await parseMemo(exported.text);
      assert.equal(parsed.version, version);
      assert.deepEqual(parsed.message, model);
    }
  });

  test('without ?version the export is in the version the letter came in; 1.2-only content cannot go to 1.1', async () => {
    const model = await repaired('MeMo_Full_Example.v12.xml');
    const sent = await post(toMemoXml(model, '1.2'));
    const plain = await get(`/api/v1/messages/${sent.body.id}/memo`);
    assert.equal((await parseMemo(plain.text)).version, '1.2');
    // The 1.2 example has a Sender/Representative, which MeMo 1.1 cannot carry.
    const v11 = await get(`/api/v1/messages/${sent.body.id}/memo?version=1.1`);
    assert.equal(v11.status, 422);
    assert.equal(JSON.parse(v11.text).code, 'memo_export_unsupported');
    const bad = await get(`/api/v1/messages/${sent.body.id}/memo?version=2.0`);
    assert.equal(bad.status, 400);
  });

  test('a letter sent as JSON exports as valid MeMo with its files, flags and actions', async () => {
    const response = await fetch(`${kuvert.url}/api/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${senderX.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(
        letterBody(EXAMPLE_CPR, {
          notification: 'Du har fået post',
          legalNotification: true,
          actions: [{ actionCode: 'BETALING', label: 'Betal', url: 'https://betal.example/123' }],
        }),
      ),
    });
    const sent = (await response.json()) as any;
    assert.equal(response.status, 201, JSON.stringify(sent));
    for (const version of ['1.1', '1.2'] as const) {
      const exported = await get(`/api/v1/messages/${sent.id}/memo?version=${version}`);
      assert.equal(exported.status, 200, exported.text);
      const { message } = await parseMemo(exported.text);
      assert.equal(message.messageUUID, sent.messageUuid);
      assert.equal(message.label, 'Afgørelse om boligstøtte');
      assert.equal(message.messageID, 'SAG-2026-0001');
      assert.equal(message.notification, 'Du har fået post');
      assert.equal(message.legalNotification, true);
      assert.equal(message.recipient.recipientID, EXAMPLE_CPR);
      assert.equal(message.sender.label, 'Aalborg Kommune');
      assert.deepEqual(message.body?.mainDocument.files[0]?.content, tinyPdf);
      assert.equal(message.body?.mainDocument.actions[0]?.entryPoint?.url, 'https://betal.example/123');
    }
  });

  test('another sender’s letter is 404', async () => {
    const model = await repaired('MeMo_Full_Example.v12.xml');
    const sent = await post(toMemoXml(model, '1.2'));
    assert.equal((await get(`/api/v1/messages/${sent.body.id}/memo`, senderY.apiKey)).status, 404);
    assert.equal((await get(`/api/v1/messages/${randomUUID()}/memo`)).status, 404);
  });
});

describe('hostile and broken MeMo gets a clear 4xx and stores nothing', () => {
  const minimum = fixture('MeMo_Minimum_Example.v12.xml').toString('utf8');
  const root = minimum.indexOf('<memo:Message');
  const cases: [string, string, number, string][] = [
    [
      'XXE (an external entity)',
      `<?xml version="1.0"?>\n<!DOCTYPE memo:Message [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n${minimum
        .slice(root)
        .replace('Pladsanvisning</memo:label>', '&xxe;</memo:label>')}`,
      400,
      'xml_dtd_forbidden',
    ],
    [
      'billion laughs',
      `<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">` +
        `<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n${minimum
          .slice(root)
          .replace('Pladsanvisning</memo:label>', '&lol3;</memo:label>')}`,
      400,
      'xml_dtd_forbidden',
    ],
    ['XML that is not well-formed', minimum.replace('</memo:MessageHeader>', ''), 400, 'xml_malformed'],
    ['a document that is not MeMo', '<?xml version="1.0"?><invoice/>', 422, 'memo_wrong_root'],
    [
      'MeMo that breaks its schema',
      minimum.replace('<memo:messageType>DIGITALPOST</memo:messageType>', '<memo:messageType>BREV</memo:messageType>'),
      422,
      'memo_invalid',
    ],
  ];
  for (const [name, xml, status, code] of cases) {
    test(`${name} → ${status} ${code}`, async () => {
      const before = await countRows();
      const r = await post(xml);
      assert.equal(r.status, status, JSON.stringify(r.body));
      assert.equal(r.type, 'application/problem+json; charset=utf-8');
      assert.equal(r.body.code, code);
      assert.deepEqual(await countRows(), before);
    });
  }

  test('a body over the limit (12 MiB here) → 413 body_too_large', async () => {
    const before = await countRows();
    const r = await post(Buffer.alloc(12 * 1024 * 1024 + 1, 0x20));
    assert.equal(r.status, 413);
    assert.equal(r.body.code, 'body_too_large');
    assert.deepEqual(await countRows(), before);
  });

  test('a file over the document size limit → 413 document_too_large', async () => {
    const model = await repaired('MeMo_Full_Example.v12.xml');
    const big = Buffer.concat([tinyPdf.subarray(0, 9), Buffer.alloc(1024 * 1024, 0x20), tinyPdf.subarray(9)]);
    model.body!.additionalDocuments[0]!.files[0] = { ...model.body!.additionalDocuments[0]!.files[0]!, content: big };
    const before = await countRows();
    const r = await post(toMemoXml(model, '1.2'));
    assert.equal(r.status, 413, JSON.stringify(r.body));
    assert.equal(r.body.code, 'document_too_large');
    assert.equal(r.body.errors[0].field, '/MessageBody/AdditionalDocument/0/File/0/content');
    assert.deepEqual(await countRows(), before);
  });

  test('a schema error names the line and the element', async () => {
    const r = await post(
      minimum.replace('<memo:messageType>DIGITALPOST</memo:messageType>', '<memo:messageType>BREV</memo:messageType>'),
    );
    const issue = r.body.issues?.[0];
    assert.ok(issue, JSON.stringify(r.body));
    assert.equal(issue.line, minimum.split('\n').findIndex((l) => l.includes('<memo:messageType>')) + 1);
    assert.match(issue.element, /messageType/);
  });

  test('a file of a type not allowed, and an http link, are refused with the file or action named', async () => {
    const model = await repaired('MeMo_Full_Example.v12.xml');
    const body = model.body!;
    const exe: MemoMessage = {
      ...model,
      body: {
        ...body,
        technicalDocuments: [
          {
            files: [{ encodingFormat: 'application/x-msdownload', filename: 'x.exe', language: 'da', content: PNG }],
            actions: [],
          },
        ],
      },
    };
    const before = await countRows();
    const r1 = await post(toMemoXml(exe, '1.2'));
    assert.equal(r1.status, 422);
    assert.equal(r1.body.code, 'media_type_not_allowed');
    assert.equal(r1.body.errors[0].field, '/MessageBody/TechnicalDocument/0/File/0/content');
    const http = await repaired('MeMo_Full_Example.v12.xml');
    const action = http.body!.mainDocument.actions[0]!;
    http.body!.mainDocument.actions[0] = { ...action, entryPoint: { url: 'http://www.tusindfryd.dk/' } };
    const r2 = await post(toMemoXml(http, '1.2'));
    assert.equal(r2.status, 422);
    assert.equal(r2.body.code, 'insecure_action_url');
    assert.equal(r2.body.errors[0].field, '/MessageBody/MainDocument/Action/0/url');
    assert.deepEqual(await countRows(), before);
  });
});
