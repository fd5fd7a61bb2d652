import type { DocumentRole } from '../../db/schema.ts';
import { sha256Hex } from '../../documents/document-store.ts';
import { checkDocumentContent, checkFileName } from '../../documents/validate-document.ts';
import { checkText, isHttpsHref, parseDate, parseDateTime } from '../../http/input.ts';
import { AppError } from '../../http/problem.ts';
import { type EscalationChoice, nemSmsTextProblem, SMS_MAX } from '../notify/index.ts';
import type { StoredMemoMessage } from './stored-memo.ts';

/** One file of a letter, decoded, with where it came from in the request (for error fields). */
export interface DraftDocument {
  role: DocumentRole;
  title: string;
  filename: string;
  mediaType: string;
  language: string | null;
  documentId: string | null;
  bytes: Buffer;
  sha256: string;
  field: string;
  /** Batches: the bytes were checked and stored when the batch first gave them; `bytes` may then be empty. */
  preChecked?: boolean;
}

export interface DraftAction {
  /** Position (in documents) of the first file of the document the action belongs to. */
  document: number;
  actionCode: string;
  label: string;
  startDateTime: string | null;
  endDateTime: string | null;
  url: string | null;
  /** In MeMo's shape (reservationUUID, …). */
  reservation: Record<string, unknown> | null;
  field: string;
}

/** A letter as both intake formats (JSON and MeMo) describe it, checked for form but not yet for content. */
export interface MessageDraft {
  messageUuid: string;
  recipient: { cpr: string } | { cvr: string };
  recipientField: string;
  messageType: 'DIGITALPOST' | 'NEMSMS';
  label: string;
  senderReference: string | null;
  notification: string | null;
  replyAllowed: boolean;
  replyBy: string | null;
  doNotDeliverUntil: string | null;
  /** Retention (retention.ts): an ISO instant as the sender gave it, or null (the sender's default applies). */
  deleteAfter: string | null;
  mandatory: boolean;
  legalNotification: boolean;
  postType: string | null;
  documents: DraftDocument[];
  actions: DraftAction[];
  /** Set when the letter arrived as MeMo: its whole model then counts for idempotency. */
  memoVersion: '1.1' | '1.2' | null;
  memo: StoredMemoMessage;
  /** What happens if it stays unread (checked; a named plan is resolved when stored). Absent: the sender's default. */
  escalation?: EscalationChoice | null;
  /** Where the escalation sits in the request (error fields): /escalation (JSON) or the MeMo extension. */
  escalationField?: string;
}

const LINK_ACTIONS = new Set(['BETALING', 'SELVBETJENING', 'INFORMATION']);

/** What decides whether two sends with the same messageUuid are the same letter; every intake path uses it. */
export type ContentHashInput = Omit<
  MessageDraft,
  'messageUuid' | 'recipientField' | 'recipient' | 'documents' | 'actions' | 'memo'
> & {
  /** Only read when memoVersion is set. */
  memo?: MessageDraft['memo'];
  recipient: { cpr?: string; cvr?: string };
  documents: readonly Pick<
    DraftDocument,
    'role' | 'title' | 'filename' | 'mediaType' | 'language' | 'documentId' | 'sha256'
  >[];
  actions: readonly Partial<DraftAction>[];
};

export function messageContentHash(draft: ContentHashInput): string {
  return sha256Hex(
    JSON.stringify({
      recipient: draft.recipient,
      messageType: draft.messageType,
      label: draft.label,
      senderReference: draft.senderReference,
      flags: [draft.notification, draft.replyAllowed, draft.replyBy, draft.doNotDeliverUntil],
      more: [draft.mandatory, draft.legalNotification, draft.postType],
      documents: draft.documents.map((d) => [
        d.role,
        d.title,
        d.filename,
        d.mediaType,
        d.language,
        d.documentId,
        d.sha256,
      ]),
      actions: draft.actions.map(({ field: _, ...a }) => a),
      // A MeMo message is the same only if all of it is; a JSON message's model is derived from the fields above.
      memo: draft.memoVersion ? draft.memo : null,
      // Only when given, so that the hashes of letters sent before retention existed stay what they were.
      ...(draft.deleteAfter ? { deleteAfter: draft.deleteAfter } : {}),
    }),
  );
}

/**
 * The content checks every intake path applies before anything is stored (single letters and batch items alike):
 * message type, document count, roles and bytes, actions. Throws AppError naming the field. A NemSMS
 * (messageType NEMSMS) is only its notification text: checkNemSms instead.
 */
export function checkDraft(
  draft: Pick<
    MessageDraft,
    'messageType' | 'documents' | 'actions' | 'notification' | 'memoVersion' | 'replyAllowed' | 'legalNotification'
  > &
    Partial<Pick<MessageDraft, 'label' | 'senderReference' | 'postType' | 'replyBy' | 'doNotDeliverUntil'>>,
  config: { maxDocumentsPerMessage: number; maxDocumentBytes: number },
  /** A dry run without its documents (plan-message.ts): the documents, and the actions that point into them, are not checked. */
  options: { withoutDocuments?: boolean } = {},
): void {
  checkDraftText(draft);
  if (draft.messageType === 'NEMSMS') {
    checkNemSms(draft);
    return;
  }
  if (options.withoutDocuments) return;
  if (draft.documents.length === 0) {
    throw new AppError(422, 'no_documents', 'A letter needs at least one document.', '/documents');
  }
  if (draft.documents.length > config.maxDocumentsPerMessage) {
    throw new AppError(
      422,
      'too_many_documents',
      `At most ${config.maxDocumentsPerMessage} documents per letter.`,
      '/documents',
    );
  }
  if (!draft.documents.some((d) => d.role === 'main')) {
    throw new AppError(422, 'no_main_document', 'One document must have the role "main".', '/documents');
  }
  for (const doc of draft.documents) {
    // A batch document named by sha256 was checked when its bytes first came (bytes are then empty here).
    if (doc.bytes.length > 0 || !doc.preChecked) {
      checkDocumentContent(doc.bytes, doc.mediaType, doc.field, config.maxDocumentBytes);
    }
    // Every intake path (JSON, MeMo, batches, the portal) names files by the same rules (no folders, type's extension).
    checkFileName(doc.filename, doc.mediaType, doc.field.replace(/\/content$/, '/filename'));
  }
  for (const action of draft.actions) checkAction(action, draft.documents);
}

/**
 * The texts and dates of a draft, whichever intake built it: no control characters (NUL and the like; PostgreSQL
 * cannot store NUL) or lone surrogates, no label that is only white space, dates that exist (no leap second, no year
 * 0000). Fields name the JSON property, or the MeMo element for MeMo messages.
 */
function checkDraftText(
  draft: Pick<MessageDraft, 'documents' | 'actions' | 'notification' | 'memoVersion'> &
    Partial<Pick<MessageDraft, 'label' | 'senderReference' | 'postType' | 'replyBy' | 'doNotDeliverUntil'>>,
): void {
  const memo = draft.memoVersion !== null;
  const header = (json: string, memoName: string) => (memo ? `/MessageHeader/${memoName}` : `/${json}`);
  checkText(draft.label, header('label', 'label'));
  checkText(draft.senderReference, header('senderReference', 'messageID'), { allowBlank: true });
  checkText(draft.notification, header('notification', 'notification'), { allowBlank: true });
  checkText(draft.postType, header('postType', 'postType'), { allowBlank: true });
  if (draft.replyBy) parseDateTime(draft.replyBy, header('replyBy', 'replyByDateTime'));
  if (draft.doNotDeliverUntil) parseDate(draft.doNotDeliverUntil, header('doNotDeliverUntil', 'doNotDeliverUntilDate'));
  for (const doc of draft.documents) {
    const base = doc.field.replace(/\/content$/, '');
    checkText(doc.title, `${base}/${memo ? 'label' : 'title'}`);
    checkText(doc.filename, `${base}/filename`);
  }
  for (const action of draft.actions) {
    checkText(action.label, `${action.field}/label`);
    if (action.startDateTime) parseDateTime(action.startDateTime, `${action.field}/startDateTime`);
    if (action.endDateTime) parseDateTime(action.endDateTime, `${action.field}/endDateTime`);
    const reservation = action.reservation ?? {};
    for (const [key, value] of Object.entries(reservation)) {
      if (typeof value === 'string') checkText(value, `${action.field}/reservation/${key}`);
    }
  }
}

const NEMSMS_TEXT_DETAIL: Record<NonNullable<ReturnType<typeof nemSmsTextProblem>>, string> = {
  nemsms_text_missing: 'A NemSMS needs its text in notification.',
  nemsms_too_long: `A NemSMS text is at most ${SMS_MAX} characters.`,
  nemsms_link: 'A NemSMS text may not contain links or web addresses.',
};

/**
 * The intake rules of a NemSMS, as Digital Post has them: the message is its notification text alone — no
 * documents, so no actions either — and the text must be one that can be sent (nemSmsTextProblem: present, at most
 * 160 characters, no links; MeMo and the JSON schema already cap notification at 150). Fields name the MeMo element
 * for MeMo messages, the JSON property otherwise. Throws AppError (422).
 */
export function checkNemSms(draft: {
  documents: readonly unknown[];
  actions: readonly unknown[];
  notification: string | null;
  memoVersion: MessageDraft['memoVersion'];
  replyAllowed: boolean;
  legalNotification: boolean;
}): void {
  const memo = draft.memoVersion !== null;
  // An SMS cannot be answered in Kuvert, and it is no legal notification: a sender asking for either is told so
  // rather than believing it happened.
  if (draft.replyAllowed) {
    throw new AppError(
      422,
      'nemsms_reply',
      'A NemSMS cannot be answered: send it without replyAllowed (or send a DIGITALPOST letter).',
      memo ? '/MessageHeader/reply' : '/replyAllowed',
    );
  }
  if (draft.legalNotification) {
    throw new AppError(
      422,
      'nemsms_legal_notification',
      'A NemSMS is not a legal notification: send it without legalNotification (or send a DIGITALPOST letter).',
      memo ? '/MessageHeader/legalNotification' : '/legalNotification',
    );
  }
  if (draft.documents.length > 0) {
    throw new AppError(
      422,
      'nemsms_documents',
      'A NemSMS carries only its notification text: send it without documents (or send a DIGITALPOST letter).',
      memo ? '/MessageBody' : '/documents',
    );
  }
  if (draft.actions.length > 0) {
    throw new AppError(
      422,
      'nemsms_actions',
      'A NemSMS carries only its notification text: send it without actions.',
      '/actions',
    );
  }
  const problem = nemSmsTextProblem(draft.notification);
  if (problem) {
    throw new AppError(
      422,
      problem,
      NEMSMS_TEXT_DETAIL[problem],
      memo ? '/MessageHeader/notification' : '/notification',
    );
  }
}

function checkAction(action: DraftAction, documents: DraftDocument[]): void {
  const target = documents[action.document];
  if (!target || target.role === 'technical') {
    throw new AppError(
      422,
      'invalid_action_document',
      'An action belongs to the main or an additional document of the letter.',
      `${action.field}/document`,
    );
  }
  // The intakes store the normalised href (httpsUrl); anything else would fail the database's https:// check.
  if (action.url !== null && !isHttpsHref(action.url)) {
    throw new AppError(422, 'insecure_action_url', 'Action links must be https URLs.', `${action.field}/url`);
  }
  const reservation = action.reservation as { startDateTime?: unknown; endDateTime?: unknown } | null;
  if (typeof reservation?.startDateTime === 'string' && typeof reservation.endDateTime === 'string') {
    checkPeriod(reservation.startDateTime, reservation.endDateTime, `${action.field}/reservation`);
  }
  if (LINK_ACTIONS.has(action.actionCode) && action.url === null) {
    throw new AppError(422, 'missing_action_url', `A ${action.actionCode} action needs a url.`, `${action.field}/url`);
  }
  if (action.actionCode === 'AFTALE' && action.reservation === null) {
    throw new AppError(
      422,
      'missing_reservation',
      'An AFTALE action needs a reservation.',
      `${action.field}/reservation`,
    );
  }
}

/** A reservation may not end before it starts. */
function checkPeriod(start: string | null, end: string | null, field: string): void {
  if (start === null || end === null) return;
  const from = Date.parse(parseDateTime(start, `${field}/startDateTime`, { allowLocal: true }));
  const to = Date.parse(parseDateTime(end, `${field}/endDateTime`, { allowLocal: true }));
  if (to < from) {
    throw new AppError(
      422,
      'invalid_period',
      'The end date-time is before the start date-time.',
      `${field}/endDateTime`,
    );
  }
}
