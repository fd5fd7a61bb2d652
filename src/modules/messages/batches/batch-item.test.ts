import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sha256Hex } from '../../../documents/document-store.ts';
import { type BatchDocuments, parseBatchLine } from './batch-item.ts';

const pdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n', 'latin1');
const limits = { maxDocumentBytes: 1024 * 1024, maxDocumentsPerMessage: 3 };
const uuid = '7b0f6c1e-3c59-4a8e-9d43-0c8f0e3c2a11';
const item = (documents: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ messageUuid: uuid, recipient: { cpr: '150385-1234' }, label: 'Brev', documents, ...extra });
const inline = { title: 'Brev', filename: 'b.pdf', mediaType: 'application/pdf', content: pdf.toString('base64') };
const fresh = (): BatchDocuments => ({ known: new Map(), recent: new Map() });

test('a shared PDF is decoded once: later inline copies and references by SHA-256 reuse it', () => {
  const documents = fresh();
  const first = parseBatchLine(item([inline]), 1, documents, limits);
  assert.ok(first.ok);
  assert.equal(first.newDocuments.length, 1);
  assert.equal(first.item.identifier.cpr, '1503851234');
  documents.known.set(sha256Hex(pdf), { mediaType: 'application/pdf', size: pdf.length });
  const again = parseBatchLine(item([inline]), 2, documents, limits);
  assert.ok(again.ok);
  assert.equal(again.newDocuments.length, 0);
  const byRef = parseBatchLine(
    item([{ title: 'Brev', filename: 'b.pdf', mediaType: 'application/pdf', sha256: sha256Hex(pdf) }]),
    3,
    documents,
    limits,
  );
  assert.ok(byRef.ok);
  assert.equal(byRef.item.contentHash, first.item.contentHash, 'inline or by reference, the same letter');
});

test('per-item errors carry the line, the messageUuid, a stable code and the field', () => {
  const cases: [string, string, string | null][] = [
    ['{', 'malformed_json', '/'],
    [item([inline], { messageUuid: undefined }), 'missing_message_uuid', '/messageUuid'],
    [item([inline], { colour: 'red' }), 'unknown_field', '/colour'],
    [item([inline], { recipient: { cpr: '3213999999' } }), 'invalid_cpr', '/recipient/cpr'],
    [item([inline, inline, inline, inline]), 'too_many_documents', '/documents'],
    [item([{ ...inline, content: '!!!' }]), 'invalid_base64', '/documents/0/content'],
    [
      item([{ title: 'x', filename: 'x.pdf', mediaType: 'application/pdf', sha256: 'a'.repeat(64) }]),
      'unknown_document',
      '/documents/0/sha256',
    ],
  ];
  for (const [raw, code, field] of cases) {
    const result = parseBatchLine(raw, 7, fresh(), limits);
    assert.ok(!result.ok, code);
    assert.equal(result.error.code, code, raw.slice(0, 80));
    assert.equal(result.error.field, field, code);
    assert.equal(result.error.line, 7);
  }
});

test('lines that pass the schema but could not be stored are refused at line validation, naming line and field', () => {
  const link = (url: string) => [{ actionCode: 'BETALING', label: 'Betal', url }];
  const meeting = (start: string, end: string) => [
    {
      actionCode: 'AFTALE',
      label: 'Møde',
      reservation: {
        description: 'Møde',
        reservationUuid: uuid,
        abstract: 'Møde',
        location: 'Rådhuset',
        startDateTime: start,
        endDateTime: end,
      },
    },
  ];
  const cases: [string, string, string][] = [
    [item([inline], { label: 'Brev\u0000' }), 'invalid_characters', '/label'],
    [item([inline], { notification: 'Ny\u0000post' }), 'invalid_characters', '/notification'],
    [item([inline], { senderReference: 'SAG\u0001' }), 'invalid_characters', '/senderReference'],
    [item([{ ...inline, title: 'Af\u0000' }]), 'invalid_characters', '/documents/0/title'],
    [item([inline], { label: 'Brev \uD800' }), 'invalid_characters', '/label'],
    [item([inline], { label: '   ' }), 'blank_text', '/label'],
    [item([inline], { doNotDeliverUntil: '0000-01-01' }), 'invalid_date', '/doNotDeliverUntil'],
    [item([inline], { replyBy: '2026-02-28T23:59:60Z' }), 'invalid_date_time', '/replyBy'],
    [item([inline], { replyBy: '0000-03-01T10:00:00Z' }), 'invalid_date_time', '/replyBy'],
    [item([inline], { actions: link('ftp://pay.example') }), 'insecure_action_url', '/actions/0/url'],
    [item([inline], { actions: [{ ...link('https://x')[0], label: '\t' }] }), 'invalid_characters', '/actions/0/label'],
    [
      item([inline], { actions: meeting('2026-03-02T10:00:00Z', '2026-03-02T09:00:00Z') }),
      'invalid_period',
      '/actions/0/reservation/endDateTime',
    ],
    [
      item([inline], { actions: meeting('2026-03-02T10:00:00Z', '2026-06-30T23:59:60Z') }),
      'invalid_date_time',
      '/actions/0/reservation/endDateTime',
    ],
  ];
  for (const [raw, code, field] of cases) {
    const result = parseBatchLine(raw, 12, fresh(), limits);
    assert.ok(!result.ok, `${code} ${field}`);
    assert.equal(result.error.code, code, raw.slice(0, 120));
    assert.equal(result.error.field, field, code);
    assert.equal(result.error.line, 12);
    assert.equal(result.error.messageUuid, uuid);
  }
});

test('an https action URL however written is stored as its normalised href, which the database accepts', () => {
  for (const [written, stored] of [
    ['HTTPS://pay.example/x', 'https://pay.example/x'],
    ['https:pay.example', 'https://pay.example/'],
    ['  https://pay.example', 'https://pay.example/'],
    ['https://PAY.example:443/æ', 'https://pay.example/%C3%A6'],
  ] as const) {
    const result = parseBatchLine(
      item([inline], { actions: [{ actionCode: 'BETALING', label: 'Betal', url: written }] }),
      1,
      fresh(),
      limits,
    );
    assert.ok(result.ok, written);
    assert.equal(result.item.actions[0]?.url, stored);
  }
});

test('date-times with an offset are stored in UTC; a date-time on a real day passes', () => {
  const result = parseBatchLine(item([inline], { replyBy: '2026-03-01T01:30:00+02:00' }), 1, fresh(), limits);
  assert.ok(result.ok);
  assert.equal(result.item.replyBy, '2026-02-28T23:30:00.000Z');
});
