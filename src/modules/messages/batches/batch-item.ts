import { type Static, Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { AppError } from '../../../http/problem.ts';
import { normaliseCpr, normaliseCvr } from '../../registry/identifiers.ts';
import { messageContentHash } from '../accept-message.ts';
import { sha256Hex } from '../document-store.ts';
import { DocumentInput, RecipientInput } from '../messages.schemas.ts';
import { decodeDocument } from '../validate-document.ts';

const documentMeta = {
  title: DocumentInput.properties.title,
  filename: DocumentInput.properties.filename,
  mediaType: DocumentInput.properties.mediaType,
};

/**
 * One line of an NDJSON batch: the body of POST /api/v1/messages with `messageUuid` required. A document may also
 * name, by `sha256`, the bytes of a document given inline on an earlier line of the same batch — so one shared
 * PDF travels once, not once per letter.
 */
export const BatchItem = Type.Object(
  {
    messageUuid: Type.String({ format: 'uuid', description: 'Required in batches: it makes each item exactly-once' }),
    recipient: RecipientInput,
    label: Type.String({ minLength: 1, maxLength: 250 }),
    senderReference: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    documents: Type.Array(
      Type.Union([
        DocumentInput,
        Type.Object(
          { ...documentMeta, sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }) },
          { additionalProperties: false },
        ),
      ]),
      { minItems: 1 },
    ),
  },
  { additionalProperties: false },
);
export type BatchItem = Static<typeof BatchItem>;
const checkItem = Compile(BatchItem);

export interface ItemDocument {
  title: string;
  filename: string;
  mediaType: string;
  sha256: string;
  size: number;
}

/** A valid line, ready to be stored. */
export interface ParsedItem {
  line: number;
  messageUuid: string;
  identifier: { cpr?: string; cvr?: string };
  label: string;
  senderReference: string | null;
  documents: ItemDocument[];
  contentHash: string;
}

export interface ItemError {
  line: number;
  messageUuid: string | null;
  code: string;
  field: string | null;
  detail: string;
}

/** Documents known to the batch (given inline earlier), and new bytes that must be stored before use. */
export interface BatchDocuments {
  known: Map<string, { mediaType: string; size: number }>;
  /** Inline content seen recently → its hash, so repeated inline copies are not decoded and hashed again. */
  recent: Map<string, { sha256: string; size: number; mediaType: string }>;
}

export type LineResult =
  | { ok: true; item: ParsedItem; newDocuments: { sha256: string; mediaType: string; bytes: Buffer }[] }
  | { ok: false; error: ItemError };

const RECENT_LIMIT = 64;

/**
 * Validates one line by the same rules as sendMessage (schema, CPR/CVR, document decoding and limits) and computes
 * the same content hash, so a letter sent alone and again in a batch is recognised as the same letter.
 */
export function parseBatchLine(
  raw: string,
  line: number,
  documents: BatchDocuments,
  limits: { maxDocumentBytes: number; maxDocumentsPerMessage: number },
): LineResult {
  const fail = (code: string, field: string | null, detail: string, messageUuid: string | null = null): LineResult => ({
    ok: false,
    error: { line, messageUuid, code, field, detail },
  });
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return fail('malformed_json', '/', 'The line is not valid JSON.');
  }
  const uuidGuess =
    value && typeof value === 'object' && typeof (value as { messageUuid?: unknown }).messageUuid === 'string'
      ? ((value as { messageUuid: string }).messageUuid.slice(0, 64) as string)
      : null;
  if (!checkItem.Check(value)) {
    if (!uuidGuess) return fail('missing_message_uuid', '/messageUuid', 'Each batch item needs a messageUuid.');
    const first = [...checkItem.Errors(value)].find((e) => e.keyword !== 'boolean') ?? checkItem.Errors(value)[0];
    const extra = (first?.params as { additionalProperties?: string[] } | undefined)?.additionalProperties?.[0];
    const field = `${first?.instancePath ?? ''}${extra ? `/${extra}` : ''}` || '/';
    const code = first?.keyword === 'additionalProperties' ? 'unknown_field' : 'invalid_field';
    return fail(code, field, `${field}: ${extra ? 'is not a known field' : (first?.message ?? 'invalid')}`, uuidGuess);
  }
  const item = value as BatchItem;
  const messageUuid = item.messageUuid.toLowerCase();
  let identifier: { cpr?: string; cvr?: string };
  if ('cpr' in item.recipient) {
    const cpr = normaliseCpr(item.recipient.cpr);
    if (!cpr) return fail('invalid_cpr', '/recipient/cpr', 'The CPR number is not a valid CPR number.', messageUuid);
    identifier = { cpr };
  } else {
    const cvr = normaliseCvr(item.recipient.cvr);
    if (!cvr) return fail('invalid_cvr', '/recipient/cvr', 'The CVR number is not a valid CVR number.', messageUuid);
    identifier = { cvr };
  }
  if (item.documents.length > limits.maxDocumentsPerMessage) {
    return fail(
      'too_many_documents',
      '/documents',
      `At most ${limits.maxDocumentsPerMessage} documents per letter.`,
      messageUuid,
    );
  }
  const docs: ItemDocument[] = [];
  const newDocuments: { sha256: string; mediaType: string; bytes: Buffer }[] = [];
  for (const [i, doc] of item.documents.entries()) {
    const meta = { title: doc.title, filename: doc.filename, mediaType: doc.mediaType };
    if ('sha256' in doc) {
      const known = documents.known.get(doc.sha256);
      if (!known) {
        return fail(
          'unknown_document',
          `/documents/${i}/sha256`,
          'No earlier line of this batch gave a document with this SHA-256.',
          messageUuid,
        );
      }
      if (known.mediaType !== doc.mediaType) {
        return fail(
          'document_media_type_mismatch',
          `/documents/${i}/mediaType`,
          `The document with this SHA-256 was given as ${known.mediaType}.`,
          messageUuid,
        );
      }
      docs.push({ ...meta, sha256: doc.sha256, size: known.size });
      continue;
    }
    const recent = documents.recent.get(doc.content);
    if (recent && recent.mediaType === doc.mediaType) {
      docs.push({ ...meta, sha256: recent.sha256, size: recent.size });
      continue;
    }
    let bytes: Buffer;
    try {
      bytes = decodeDocument(doc, i, limits.maxDocumentBytes);
    } catch (error) {
      if (error instanceof AppError) return fail(error.code, error.field ?? null, error.message, messageUuid);
      throw error;
    }
    const sha256 = sha256Hex(bytes);
    if (documents.recent.size >= RECENT_LIMIT) documents.recent.clear();
    documents.recent.set(doc.content, { sha256, size: bytes.length, mediaType: doc.mediaType });
    if (!documents.known.has(sha256)) newDocuments.push({ sha256, mediaType: doc.mediaType, bytes });
    docs.push({ ...meta, sha256, size: bytes.length });
  }
  return {
    ok: true,
    newDocuments,
    item: {
      line,
      messageUuid,
      identifier,
      label: item.label,
      senderReference: item.senderReference ?? null,
      documents: docs,
      contentHash: contentHashOf(identifier, item.label, item.senderReference ?? null, docs),
    },
  };
}

/**
 * The content hash of a batch item: the single-letter path's own (`messageContentHash`), with every field a batch
 * item cannot carry at its default, so a letter sent alone and again in a batch is recognised as the same letter.
 */
export function contentHashOf(
  identifier: { cpr?: string; cvr?: string },
  label: string,
  senderReference: string | null,
  documents: readonly ItemDocument[],
): string {
  return messageContentHash({
    recipient: identifier,
    messageType: 'DIGITALPOST',
    label,
    senderReference,
    notification: null,
    replyAllowed: false,
    replyBy: null,
    doNotDeliverUntil: null,
    mandatory: false,
    legalNotification: false,
    postType: null,
    documents: documents.map((d, i) => ({
      role: i === 0 ? 'main' : 'additional',
      title: d.title,
      filename: d.filename,
      mediaType: d.mediaType,
      language: 'da',
      documentId: null,
      sha256: d.sha256,
    })),
    actions: [],
    memoVersion: null,
  });
}
