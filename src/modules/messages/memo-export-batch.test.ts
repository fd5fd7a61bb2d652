import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Json } from '../../../test/support/batches.ts';
import { createPerson, createSender, tinyPdf } from '../../../test/support/fixtures.ts';
import { eventually, startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';
import { sha256Hex } from '../../documents/document-store.ts';
import { type MemoDocument, type MemoVersion, parseMemo, validateMemoSchema } from './memo/index.ts';

const ANNA = '1503851234';
const ANNA_DASHED = '150385-1234';
const COMPANY = '64942212';
const SENDER_CVR = '29190623';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const GUIDE = Buffer.from('Vejledning til samtalen.\nMød op i god tid.\n', 'utf8');
const APPENDIX = Buffer.from('Bilag: beregningsgrundlag.\n', 'utf8');
const TECHNICAL = Buffer.from('{"sag":"77","kode":"X1"}\n', 'utf8');
const b64 = (b: Buffer) => b.toString('base64');

const RESERVATION_UUID = 'b2a7c1de-4f3a-4c55-9d8e-0a1b2c3d4e5f';

/** To Anna (CPR): main PDF, two additional documents, actions on two of them, every flag set. */
const letterA = (uuid: string) => ({
  messageUuid: uuid,
  recipient: { cpr: ANNA_DASHED },
  label: 'Indkaldelse til samtale',
  senderReference: 'SAG-77',
  notification: 'Du er indkaldt til en samtale',
  replyAllowed: true,
  replyBy: '2026-12-24T12:00:00+01:00',
  doNotDeliverUntil: '2099-01-01',
  mandatory: true,
  legalNotification: true,
  postType: 'INDKALDELSE',
  documents: [
    { title: 'Indkaldelse', filename: 'indkaldelse.pdf', mediaType: 'application/pdf', content: b64(tinyPdf) },
    {
      title: 'Vejledning',
      filename: 'vejledning.txt',
      mediaType: 'text/plain',
      role: 'additional',
      language: 'en',
      content: b64(GUIDE),
    },
    { title: 'Kort', filename: 'kort.png', mediaType: 'image/png', role: 'additional', content: b64(PNG) },
  ],
  actions: [
    { actionCode: 'INFORMATION', label: 'Læs mere', url: 'https://example.dk/info' },
    { actionCode: 'BEKRAEFT', label: 'Bekræft modtagelse', document: 1 },
    {
      actionCode: 'AFTALE',
      label: 'Sæt i kalender',
      startDateTime: '2026-12-10T08:00:00Z',
      endDateTime: '2026-12-10T10:00:00+01:00',
      reservation: {
        description: 'Samtale om sagen',
        reservationUuid: RESERVATION_UUID.toUpperCase(),
        abstract: 'Samtale',
        location: 'Rådhuset, lokale 2',
        startDateTime: '2026-12-10T09:00:00+01:00',
        endDateTime: '2026-12-10T10:00:00+01:00',
        organizerName: 'Sagsbehandler',
      },
    },
  ],
});

/** To a company (CVR): the PDF named by hash, a second main file, an additional and a technical document. */
const letterB = (uuid: string) => ({
  messageUuid: uuid,
  recipient: { cvr: COMPANY },
  label: 'Afgørelse om tilskud',
  documents: [
    { title: 'Afgørelse', filename: 'afgoerelse.pdf', mediaType: 'application/pdf', sha256: sha256Hex(tinyPdf) },
    { title: 'Beregning', filename: 'beregning.txt', mediaType: 'text/plain', role: 'main', content: b64(APPENDIX) },
    {
      title: 'Klagevejledning',
      filename: 'klage.txt',
      mediaType: 'text/plain',
      role: 'additional',
      content: b64(GUIDE),
    },
    { title: 'Data', filename: 'data.txt', mediaType: 'text/plain', role: 'technical', content: b64(TECHNICAL) },
  ],
  actions: [{ actionCode: 'SELVBETJENING', label: 'Klag her', url: 'https://klage.example.dk/', document: 2 }],
});

const file = (encodingFormat: string, filename: string, content: Buffer, language = 'da') => ({
  encodingFormat,
  filename,
  language,
  content,
});

/** What the MeMo body of each letter must be, file bytes included. */
const expectedBodyA: { main: MemoDocument; additional: MemoDocument[]; technical: MemoDocument[] } = {
  main: {
    label: 'Indkaldelse',
    files: [file('application/pdf', 'indkaldelse.pdf', tinyPdf)],
    actions: [
      { label: 'Læs mere', actionCode: 'INFORMATION', entryPoint: { url: 'https://example.dk/info' } },
      {
        label: 'Sæt i kalender',
        actionCode: 'AFTALE',
        startDateTime: '2026-12-10T08:00:00.000Z',
        endDateTime: '2026-12-10T09:00:00.000Z',
        reservation: {
          description: 'Samtale om sagen',
          reservationUUID: RESERVATION_UUID,
          abstract: 'Samtale',
          location: 'Rådhuset, lokale 2',
          startDateTime: '2026-12-10T08:00:00.000Z',
          endDateTime: '2026-12-10T09:00:00.000Z',
          organizerName: 'Sagsbehandler',
        },
      },
    ],
  },
  additional: [
    {
      label: 'Vejledning',
      files: [file('text/plain', 'vejledning.txt', GUIDE, 'en')],
      actions: [{ label: 'Bekræft modtagelse', actionCode: 'BEKRAEFT' }],
    },
    { label: 'Kort', files: [file('image/png', 'kort.png', PNG)], actions: [] },
  ],
  technical: [],
};
const expectedBodyB: typeof expectedBodyA = {
  main: {
    label: 'Afgørelse',
    files: [file('application/pdf', 'afgoerelse.pdf', tinyPdf), file('text/plain', 'beregning.txt', APPENDIX)],
    actions: [],
  },
  additional: [
    {
      label: 'Klagevejledning',
      files: [file('text/plain', 'klage.txt', GUIDE)],
      actions: [{ label: 'Klag her', actionCode: 'SELVBETJENING', entryPoint: { url: 'https://klage.example.dk/' } }],
    },
  ],
  technical: [{ label: 'Data', files: [file('text/plain', 'data.txt', TECHNICAL)], actions: [] }],
};

/** The fields of a letter's status that come from what the sender sent (not ids, times or the intake format). */
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
  // By document, then as given: a MeMo letter lists each document's actions with it.
  actions: status.actions.map(({ status: _, ...a }: Json) => a).sort((a: Json, b: Json) => a.document - b.document),
});

describe('a JSON letter sent in a bulk batch exports as valid MeMo and round-trips', () => {
  let kuvert: TestKuvert;
  let senderX: Awaited<ReturnType<typeof createSender>>;
  let senderY: Awaited<ReturnType<typeof createSender>>;
  const logs: string[] = [];
  const uuidA = randomUUID();
  const uuidB = randomUUID();
  const ids: Record<string, string> = {};

  before(async () => {
    // Info level: every request is logged, so the log check below sees the export requests.
    kuvert = await startTestKuvert({ env: { LOG_LEVEL: 'info' }, logSink: { write: (line) => logs.push(line) } });
    senderX = await createSender(kuvert.services.db, 'Randers Kommune');
    await kuvert.services.db.updateTable('sender').set({ cvr: SENDER_CVR }).where('id', '=', senderX.id).execute();
    senderY = await createSender(kuvert.services.db, 'Viborg Kommune');
    await createPerson(kuvert.services.db, ANNA, 'Anna Andersen');
    await kuvert.services.db
      .insertInto('recipient')
      .values({ kind: 'business', cvr: COMPANY, name: 'Firma A/S', enrolment: 'automatic' })
      .execute();

    const ndjson = `${[letterA(uuidA), letterB(uuidB)].map((l) => JSON.stringify(l)).join('\n')}\n`;
    const response = await fetch(`${kuvert.url}/api/v1/batches`, {
      method: 'POST',
      headers: { authorization: `Bearer ${senderX.apiKey}`, 'content-type': 'application/x-ndjson' },
      body: ndjson,
    });
    const submitted = (await response.json()) as Json;
    assert.equal(response.status, 202, JSON.stringify(submitted));
    const done = await eventually(async () => {
      const status = await fetch(`${kuvert.url}/api/v1/batches/${submitted.id}`, {
        headers: { authorization: `Bearer ${senderX.apiKey}` },
      });
      const body = (await status.json()) as Json;
      return ['completed', 'cancelled', 'failed'].includes(body.state) ? body : null;
    }, 30_000);
    assert.deepEqual(done.counts, { total: 2, processed: 2, accepted: 2, duplicates: 0, failed: 0 });
    for (const uuid of [uuidA, uuidB]) {
      const row = await kuvert.services.db
        .selectFrom('message')
        .select(['id', 'memo'])
        .where('message_uuid', '=', uuid)
        .executeTakeFirstOrThrow();
      // The case under test: batch JSON letters are stored without a MeMo model.
      assert.equal(row.memo, null);
      ids[uuid] = row.id;
    }
  });
  after(async () => kuvert?.stop());

  async function exportOf(id: string, version: MemoVersion | undefined, key = senderX.apiKey) {
    const query = version ? `?version=${version}` : '';
    const response = await fetch(`${kuvert.url}/api/v1/messages/${id}/memo${query}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
  }
  async function statusOf(id: string) {
    const response = await fetch(`${kuvert.url}/api/v1/messages/${id}`, {
      headers: { authorization: `Bearer ${senderX.apiKey}` },
    });
    assert.equal(response.status, 200);
    return (await response.json()) as Json;
  }
  async function sendMemo(xml: string) {
    const response = await fetch(`${kuvert.url}/api/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${senderX.apiKey}`, 'content-type': 'application/xml' },
      body: xml,
    });
    return { status: response.status, body: (await response.json()) as Json };
  }

  const cases = [
    { name: 'to a person (CPR)', uuid: uuidA, letter: letterA, body: expectedBodyA },
    { name: 'to a company (CVR)', uuid: uuidB, letter: letterB, body: expectedBodyB },
  ];

  for (const c of cases) {
    test(`${c.name}: MeMo 1.2 and 1.1 exports validate and carry the letter, files byte for byte`, async () => {
      const json = c.letter(c.uuid);
      for (const version of ['1.2', '1.1'] as const) {
        const exported = await exportOf(ids[c.uuid] as string, version);
        assert.equal(exported.status, 200, exported.text);
        assert.match(exported.type, /^application\/xml/);
        const verdict = await validateMemoSchema(exported.text, version);
        assert.deepEqual(verdict, { outcome: 'valid', issues: [] }, `MeMo ${version} schema`);

        const parsed = await parseMemo(exported.text);
        assert.equal(parsed.version, version);
        const m = parsed.message;
        assert.equal(m.messageType, 'DIGITALPOST');
        assert.equal(m.messageUUID, c.uuid);
        assert.equal(m.label, json.label);
        assert.equal(m.messageID, 'senderReference' in json ? json.senderReference : undefined);
        assert.equal(m.notification, 'notification' in json ? json.notification : undefined);
        assert.equal(m.reply, 'replyAllowed' in json ? json.replyAllowed : false);
        assert.equal(
          m.replyByDateTime && new Date(m.replyByDateTime).toISOString(),
          'replyBy' in json ? new Date(json.replyBy).toISOString() : undefined,
        );
        assert.equal(m.doNotDeliverUntilDate, 'doNotDeliverUntil' in json ? json.doNotDeliverUntil : undefined);
        assert.equal(m.mandatory ?? false, 'mandatory' in json ? json.mandatory : false);
        assert.equal(m.legalNotification ?? false, 'legalNotification' in json ? json.legalNotification : false);
        assert.equal(m.postType, 'postType' in json ? json.postType : undefined);
        assert.deepEqual(m.sender, { senderID: SENDER_CVR, idType: 'CVR', label: 'Randers Kommune' });
        assert.deepEqual(
          m.recipient,
          'cpr' in json.recipient ? { recipientID: ANNA, idType: 'CPR' } : { recipientID: COMPANY, idType: 'CVR' },
        );
        assert.ok(m.body);
        assert.deepEqual(m.body.mainDocument, c.body.main);
        assert.deepEqual(m.body.additionalDocuments, c.body.additional);
        assert.deepEqual(m.body.technicalDocuments, c.body.technical);

        // The bytes as written in the XML, decoded by hand rather than by the parser.
        const contents = [...exported.text.matchAll(/<memo:content>([^<]*)<\/memo:content>/g)].map((x) =>
          Buffer.from(x[1] as string, 'base64'),
        );
        const sent = [c.body.main, ...c.body.additional, ...c.body.technical].flatMap((d) =>
          d.files.map((f) => f.content),
        );
        assert.deepEqual(contents, sent);

        // The only CPR number is the recipient's, in its one place.
        const cprCount = exported.text.split(ANNA).length - 1 + (exported.text.split(ANNA_DASHED).length - 1);
        if ('cpr' in json.recipient) {
          assert.equal(cprCount, 1);
          assert.ok(exported.text.includes(`<memo:recipientID>${ANNA}</memo:recipientID>`));
        } else assert.equal(cprCount, 0);
      }
      // Without ?version a letter sent as JSON exports as MeMo 1.2.
      const plain = await exportOf(ids[c.uuid] as string, undefined);
      assert.equal(plain.status, 200, plain.text);
      assert.equal((await parseMemo(plain.text)).version, '1.2');
    });

    test(`${c.name}: the export sent back as MeMo under a new UUID is accepted as the same letter`, async () => {
      const original = model(await statusOf(ids[c.uuid] as string));
      for (const version of ['1.2', '1.1'] as const) {
        const exported = await exportOf(ids[c.uuid] as string, version);
        assert.equal(exported.status, 200, exported.text);
        const fresh = randomUUID();
        const xml = exported.text.replace(
          `<memo:messageUUID>${c.uuid}</memo:messageUUID>`,
          `<memo:messageUUID>${fresh}</memo:messageUUID>`,
        );
        assert.notEqual(xml, exported.text);
        const sent = await sendMemo(xml);
        assert.equal(sent.status, 201, JSON.stringify(sent.body));
        assert.equal(sent.body.messageUuid, fresh);
        const again = await statusOf(sent.body.id);
        assert.equal(again.memoVersion, version);
        if (c.uuid === uuidA) {
          // One file per document: everything the sender gave comes back unchanged.
          assert.deepEqual(model(again), original);
        } else {
          // MeMo has one label per document, so the second main file takes the main document's label.
          const withoutTitles = (s: ReturnType<typeof model>) => ({
            ...s,
            documents: s.documents.map(({ title: _, ...d }: Json) => d),
          });
          assert.deepEqual(withoutTitles(model(again)), withoutTitles(original));
          assert.deepEqual(
            again.documents.map((d: Json) => d.title),
            ['Afgørelse', 'Afgørelse', 'Klagevejledning', 'Data'],
          );
        }
        // And the re-sent letter (now stored with a MeMo model) exports to the same body again.
        const second = await exportOf(sent.body.id, version);
        assert.equal(second.status, 200, second.text);
        const body = (await parseMemo(second.text)).message.body;
        assert.deepEqual(body?.additionalDocuments, c.body.additional);
        assert.deepEqual(body?.technicalDocuments, c.body.technical);
      }
    });
  }

  test('another sender gets 404 for the export; no CPR number reaches the logs', async () => {
    const from = logs.length;
    for (const uuid of [uuidA, uuidB]) {
      const other = await exportOf(ids[uuid] as string, '1.2', senderY.apiKey);
      assert.equal(other.status, 404);
      assert.equal(JSON.parse(other.text).code, 'not_found');
      assert.ok(!other.text.includes(ANNA));
      assert.equal((await exportOf(ids[uuid] as string, '1.1')).status, 200);
    }
    const lines = logs.slice(from);
    assert.ok(
      lines.some((l) => l.includes('/memo')),
      'the export requests were logged',
    );
    // The logger masks CPR-like numbers as a last defence; a masked number would mean one was logged.
    for (const line of logs) {
      assert.ok(!line.includes(ANNA) && !line.includes(ANNA_DASHED), line);
      assert.ok(!line.includes('**********'), line);
    }
  });
});
