import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { sha256Hex } from '../../../documents/document-store.ts';
import { allowedMediaType, decodeDocument } from '../../../documents/validate-document.ts';
import type { ErrorCode } from '../../../http/errors.ts';
import { AppError } from '../../../http/problem.ts';
import { checkDraft, type MessageDraft, messageContentHash } from '../message-draft.ts';
import { DocumentInput, SendMessageBody } from '../messages.schemas.ts';
import { jsonDraft, type ResolvedDocument } from '../send-message.ts';

/**
 * One line of an NDJSON batch: the body of POST /api/v1/messages (the whole JSON message model, same rules, NemSMS
 * included) with `messageUuid` required. A document may also name, by `sha256`, the bytes of a document given inline
 * on an earlier line of the same batch — so one shared PDF travels once, not once per letter.
 */
export const BatchItem = Type.Object(
  {
    ...SendMessageBody.properties,
    messageUuid: Type.String({ format: 'uuid', description: 'Required in batches: it makes each item exactly-once' }),
    // Optional as in SendMessageBody: a NemSMS has none, a letter needs them (jsonDraft says so).
    documents: Type.Optional(
      Type.Array(
        Type.Union([
          DocumentInput,
          Type.Object(
            {
              title: DocumentInput.properties.title,
              filename: DocumentInput.properties.filename,
              mediaType: DocumentInput.properties.mediaType,
              role: DocumentInput.properties.role,
              language: DocumentInput.properties.language,
              sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
            },
            { additionalProperties: false },
          ),
        ]),
        { minItems: 1 },
      ),
    ),
  },
  { additionalProperties: false },
);
const checkItem = Compile(BatchItem);

export interface ItemDocument {
  role: 'main' | 'additional' | 'technical';
  title: string;
  filename: string;
  mediaType: string;
  language: string | null;
  documentId: string | null;
  sha256: string;
  size: number;
}

export interface ItemAction {
  document: number;
  actionCode: string;
  label: string;
  startDateTime: string | null;
  endDateTime: string | null;
  url: string | null;
  /** JSON text of the reservation (MeMo's shape), or null. */
  reservation: string | null;
}

/** A valid item, ready to be stored: every column of its message, documents and actions. */
/**
 * A batch line as the bulk path stores it: the letter's fields as the single path's MessageDraft names them (one
 * definition), with the recipient as an identifier, the documents and actions as resolved for set-based storage, and
 * the stored MeMo model as JSON text.
 */
export interface ParsedItem extends Omit<MessageDraft, 'recipient' | 'documents' | 'actions' | 'memo'> {
  line: number;
  /** The tar entry's name, or null (NDJSON and CSV items are known by their line). */
  entry: string | null;
  identifier: { cpr?: string; cvr?: string };
  /** JSON text of the stored MeMo model (MeMo entries), or null. */
  memo: string | null;
  documents: ItemDocument[];
  actions: ItemAction[];
  contentHash: string;
}

export interface ItemError {
  line: number;
  entry?: string | null;
  messageUuid: string | null;
  code: ErrorCode;
  field: string | null;
  detail: string;
}

/** Documents known to the batch (given inline earlier), and new bytes that must be stored before use. */
export interface BatchDocuments {
  known: Map<string, { mediaType: string; size: number }>;
  /** Inline content seen recently → its hash, so repeated inline copies are not decoded and hashed again. */
  recent: Map<string, { sha256: string; size: number; mediaType: string }>;
}

export type NewDocument = { sha256: string; mediaType: string; bytes: Buffer };
export type LineResult = { ok: true; item: ParsedItem; newDocuments: NewDocument[] } | { ok: false; error: ItemError };

export interface ItemLimits {
  maxDocumentBytes: number;
  maxDocumentsPerMessage: number;
}

const RECENT_LIMIT = 64;
const EMPTY = Buffer.alloc(0);

/**
 * Validates one NDJSON line by the same rules as POST /api/v1/messages (schema, CPR/CVR, document decoding and
 * limits, roles, actions) and computes the same content hash, so a letter sent alone and again in a batch is
 * recognised as the same letter.
 */
export function parseBatchLine(raw: string, line: number, documents: BatchDocuments, limits: ItemLimits): LineResult {
  const fail = (
    code: ErrorCode,
    field: string | null,
    detail: string,
    messageUuid: string | null = null,
  ): LineResult => ({
    ok: false,
    error: { line, messageUuid, code, field, detail },
  });
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return fail('malformed_json', '/', 'The line is not valid JSON.');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return fail('not_an_object', '/', 'Each line must be one letter as a JSON object ({…}).');
  }
  const uuidGuess =
    value && typeof value === 'object' && typeof (value as { messageUuid?: unknown }).messageUuid === 'string'
      ? ((value as { messageUuid: string }).messageUuid.slice(0, 64) as string)
      : null;
  if (!checkItem.Check(value)) {
    if (!uuidGuess) return fail('missing_message_uuid', '/messageUuid', 'Each batch item needs a messageUuid.');
    const all = [...checkItem.Errors(value)];
    const first = all.find((e) => e.keyword !== 'boolean' && e.keyword !== 'anyOf') ?? all[0];
    const extra = (first?.params as { additionalProperties?: string[] } | undefined)?.additionalProperties?.[0];
    const field = `${first?.instancePath ?? ''}${extra ? `/${extra}` : ''}` || '/';
    const code = first?.keyword === 'additionalProperties' ? 'unknown_field' : 'invalid_field';
    return fail(code, field, `${field}: ${extra ? 'is not a known field' : (first?.message ?? 'invalid')}`, uuidGuess);
  }
  const input = value as Parameters<typeof jsonDraft>[0] & { messageUuid: string };
  const messageUuid = input.messageUuid.toLowerCase();
  const newDocuments: NewDocument[] = [];
  const sizes = new Map<string, number>();
  const decoded = new Map<string, { sha256: string; size: number; mediaType: string }>();
  try {
    const draft = jsonDraft(input, limits.maxDocumentsPerMessage, (doc, i): ResolvedDocument => {
      if (doc.sha256 !== undefined) {
        const known = documents.known.get(doc.sha256);
        if (!known) {
          throw new AppError(
            422,
            'unknown_document',
            'No earlier line of this batch gave a document with this SHA-256.',
            `/documents/${i}/sha256`,
          );
        }
        if (known.mediaType !== doc.mediaType) {
          throw new AppError(
            422,
            'document_media_type_mismatch',
            `The document with this SHA-256 was given as ${known.mediaType}.`,
            `/documents/${i}/mediaType`,
          );
        }
        sizes.set(doc.sha256, known.size);
        return { bytes: EMPTY, sha256: doc.sha256, preChecked: true };
      }
      const content = doc.content as string;
      const recent = documents.recent.get(content);
      if (recent && recent.mediaType === doc.mediaType) {
        sizes.set(recent.sha256, recent.size);
        return { bytes: EMPTY, sha256: recent.sha256, preChecked: true };
      }
      const bytes = decodeDocument({ mediaType: doc.mediaType, content }, i, limits.maxDocumentBytes);
      const sha256 = sha256Hex(bytes);
      sizes.set(sha256, bytes.length);
      decoded.set(content, { sha256, size: bytes.length, mediaType: doc.mediaType });
      return { bytes, sha256 };
    });
    const result = itemFromDraft({ ...draft, memo: {} as MessageDraft['memo'] }, line, null, documents, limits);
    if (result.ok) {
      // Remembered only once the whole line is valid: a refused line leaves nothing for later lines to lean on.
      for (const [content, doc] of decoded) {
        if (documents.recent.size >= RECENT_LIMIT) documents.recent.clear();
        documents.recent.set(content, doc);
      }
      for (const doc of result.item.documents) doc.size = sizes.get(doc.sha256) ?? doc.size;
      newDocuments.push(...result.newDocuments);
      return { ok: true, item: result.item, newDocuments };
    }
    return result;
  } catch (error) {
    if (error instanceof AppError) return fail(error.code, error.field ?? null, error.message, messageUuid);
    throw error;
  }
}

/**
 * A batch item from a draft any intake built (JSON line, MeMo entry, CSV row): the single path's content checks
 * (checkDraft) and content hash, and the draft's new document bytes. `memo` is stored only for MeMo drafts: a JSON
 * letter's model is derived from its columns.
 */
export function itemFromDraft(
  draft: MessageDraft,
  line: number,
  entry: string | null,
  documents: BatchDocuments,
  limits: ItemLimits,
): LineResult {
  try {
    checkDraft(draft, limits);
  } catch (error) {
    if (error instanceof AppError) {
      return {
        ok: false,
        error: {
          line,
          entry,
          messageUuid: draft.messageUuid,
          code: error.code,
          field: error.field ?? null,
          detail: error.message,
        },
      };
    }
    throw error;
  }
  const newDocuments: NewDocument[] = [];
  const seen = new Set<string>();
  for (const doc of draft.documents) {
    if (doc.bytes.length === 0 || documents.known.has(doc.sha256) || seen.has(doc.sha256)) continue;
    seen.add(doc.sha256);
    newDocuments.push({ sha256: doc.sha256, mediaType: doc.mediaType, bytes: doc.bytes });
  }
  return {
    ok: true,
    newDocuments,
    item: {
      line,
      entry,
      messageUuid: draft.messageUuid,
      identifier: draft.recipient,
      recipientField: draft.recipientField,
      messageType: draft.messageType,
      label: draft.label,
      senderReference: draft.senderReference,
      notification: draft.notification,
      replyAllowed: draft.replyAllowed,
      replyBy: draft.replyBy,
      doNotDeliverUntil: draft.doNotDeliverUntil,
      deleteAfter: draft.deleteAfter,
      mandatory: draft.mandatory,
      legalNotification: draft.legalNotification,
      postType: draft.postType,
      memoVersion: draft.memoVersion,
      memo: draft.memoVersion ? JSON.stringify(draft.memo) : null,
      documents: draft.documents.map((d) => ({
        role: d.role,
        title: d.title,
        filename: d.filename,
        mediaType: allowedMediaType(d.mediaType) ?? d.mediaType,
        language: d.language,
        documentId: d.documentId,
        sha256: d.sha256,
        size: d.bytes.length || (documents.known.get(d.sha256)?.size ?? 0),
      })),
      actions: draft.actions.map((a) => ({
        document: a.document,
        actionCode: a.actionCode,
        label: a.label,
        startDateTime: a.startDateTime,
        endDateTime: a.endDateTime,
        url: a.url,
        reservation: a.reservation ? JSON.stringify(a.reservation) : null,
      })),
      contentHash: messageContentHash(draft),
      escalation: draft.escalation ?? null,
      ...(draft.escalationField ? { escalationField: draft.escalationField } : {}),
    },
  };
}
