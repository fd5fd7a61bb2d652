import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sha256Hex } from '../document-store.ts';
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
