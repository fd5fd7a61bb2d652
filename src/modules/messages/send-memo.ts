import type { Config } from '../../config.ts';
import type { DocumentRole } from '../../db/schema.ts';
import { sha256Hex } from '../../documents/document-store.ts';
import { normaliseHttpsUrl, parseDate, parseDateTime } from '../../http/input.ts';
import type { Services } from '../../services.ts';
import type { SenderCaller } from '../identity/index.ts';
import { acceptMessage, type SendMessageResult } from './accept-message.ts';
import { type MemoDocument, type MemoParseResult, parseMemo, recipientIdentifier } from './memo/index.ts';
import { memoDeleteAfter } from './memo/kuvert-retention.ts';
import { MEMO_ESCALATION_FIELD, memoEscalation } from './memo-escalation.ts';
import type { DraftAction, DraftDocument, MessageDraft } from './message-draft.ts';
import { toStoredMemo } from './stored-memo.ts';

/** The largest MeMo document accepted on POST /api/v1/messages: every file at its size limit, in base64, or 12 MiB. */
export function memoBodyLimit(config: Config): number {
  return Math.max(12 * 1024 * 1024, Math.ceil((config.maxDocumentBytes * 4) / 3) * 4 + 1024 * 1024);
}

/** An xs:dateTime in UTC (without an offset: the server's local time, as before); leap seconds and year 0 refused. */
const utc = (dateTime: string | undefined, field: string) =>
  dateTime === undefined ? null : parseDateTime(dateTime, field, { allowLocal: true });

/**
 * Accepts a letter sent as a MeMo 1.1 or 1.2 document: parses it safely and validates it against its schema
 * (MemoError otherwise, with line and element), then hands it to the shared sending path. The messageUUID is the
 * idempotency key; the MeMo Sender is kept as written but does not choose the sending organisation — the API key does.
 */
export async function sendMemoMessage(
  services: Services,
  caller: SenderCaller,
  xml: Buffer,
): Promise<SendMessageResult> {
  const parsed = await parseMemo(xml, { maxBytes: memoBodyLimit(services.config) });
  return acceptMessage(services, caller, memoDraft(parsed));
}

/** The letter of a parsed, schema-valid MeMo message (single or a batch entry); throws MemoError for the recipient. */
export function memoDraft({
  version,
  message,
  extensions = [],
}: Pick<MemoParseResult, 'version' | 'message'> & Partial<Pick<MemoParseResult, 'extensions'>>): MessageDraft {
  const recipient = recipientIdentifier(message);

  const documents: DraftDocument[] = [];
  const actions: DraftAction[] = [];
  const addDocument = (doc: MemoDocument, role: DocumentRole, path: string) => {
    const first = documents.length;
    doc.files.forEach((file, j) => {
      documents.push({
        role,
        title: doc.label ?? file.filename,
        filename: file.filename,
        mediaType: file.encodingFormat,
        language: file.language,
        documentId: doc.documentID ?? null,
        bytes: file.content,
        sha256: sha256Hex(file.content),
        field: `${path}/File/${j}/content`,
      });
    });
    doc.actions.forEach((action, k) => {
      actions.push({
        document: first,
        actionCode: action.actionCode,
        label: action.label,
        startDateTime: utc(action.startDateTime, `${path}/Action/${k}/startDateTime`),
        endDateTime: utc(action.endDateTime, `${path}/Action/${k}/endDateTime`),
        url: action.entryPoint ? normaliseHttpsUrl(action.entryPoint.url) : null,
        reservation: action.reservation ? { ...action.reservation } : null,
        field: `${path}/Action/${k}`,
      });
    });
  };
  const body = message.body;
  if (body) {
    addDocument(body.mainDocument, 'main', '/MessageBody/MainDocument');
    for (const [i, d] of body.additionalDocuments.entries()) {
      addDocument(d, 'additional', `/MessageBody/AdditionalDocument/${i}`);
    }
    for (const [i, d] of body.technicalDocuments.entries()) {
      addDocument(d, 'technical', `/MessageBody/TechnicalDocument/${i}`);
    }
  }

  return {
    messageUuid: message.messageUUID.toLowerCase(),
    recipient,
    recipientField: '/MessageHeader/Recipient/recipientID',
    messageType: message.messageType,
    label: message.label,
    senderReference: message.messageID ?? null,
    notification: message.notification ?? null,
    replyAllowed: message.reply ?? false,
    replyBy: utc(message.replyByDateTime, '/MessageHeader/replyByDateTime'),
    doNotDeliverUntil:
      message.doNotDeliverUntilDate === undefined
        ? null
        : parseDate(message.doNotDeliverUntilDate, '/MessageHeader/doNotDeliverUntilDate'),
    // Kuvert's extensions, outside the MeMo model (memo/kuvert-extension.ts).
    deleteAfter: memoDeleteAfter(extensions),
    mandatory: message.mandatory ?? false,
    legalNotification: message.legalNotification ?? false,
    postType: message.postType ?? null,
    documents,
    actions,
    memoVersion: version,
    memo: toStoredMemo(message, (file) => sha256Hex(file.content)),
    escalation: memoEscalation(extensions, {
      mandatory: message.mandatory ?? false,
      messageType: message.messageType,
    }),
    escalationField: MEMO_ESCALATION_FIELD,
  };
}
