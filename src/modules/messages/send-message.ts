import { randomUUID } from 'node:crypto';
import { sha256Hex } from '../../documents/document-store.ts';
import { decodeDocument } from '../../documents/validate-document.ts';
import { normaliseHttpsUrl, parseDate, parseDateTime } from '../../http/input.ts';
import { AppError } from '../../http/problem.ts';
import { normaliseCpr, normaliseCvr } from '../../kernel/identifiers.ts';
import type { Services } from '../../services.ts';
import type { SenderCaller } from '../identity/index.ts';
import { checkEscalationInput } from '../notify/index.ts';
import { acceptMessage, type SendMessageResult } from './accept-message.ts';
import { checkNemSms, type DraftAction, type DraftDocument, type MessageDraft } from './message-draft.ts';
import type { SendMessageBody } from './messages.schemas.ts';
import { DELETE_AFTER_FIELD, parseDeleteAfter } from './retention.ts';
import type { StoredMemoDocument, StoredMemoMessage } from './stored-memo.ts';

export type { SendMessageResult } from './accept-message.ts';

/** A date-time of the body in UTC, refused (422 naming the field) if it is a leap second or outside 0001–9999. */
const utc = (dateTime: string | undefined, field: string) =>
  dateTime === undefined ? null : parseDateTime(dateTime, field);

/**
 * Accepts a letter sent as Kuvert JSON: checks the recipient and decodes the documents, then hands it to the shared
 * sending path (acceptMessage), with the MeMo model it corresponds to, so it can be exported as MeMo later.
 */
export async function sendMessage(
  services: Services,
  caller: SenderCaller,
  input: SendMessageBody,
): Promise<SendMessageResult> {
  const { config } = services;
  const sender = await services.db
    .selectFrom('sender')
    .select(['id', 'name', 'cvr'])
    .where('id', '=', caller.senderId)
    .executeTakeFirstOrThrow();
  const draft = jsonDraft(input, config.maxDocumentsPerMessage, (doc, i) => {
    const bytes = decodeDocument(doc as { mediaType: string; content: string }, i, config.maxDocumentBytes);
    return { bytes, sha256: sha256Hex(bytes) };
  });
  return acceptMessage(services, caller, { ...draft, memo: memoOf(draft, sender) });
}

/** A JSON document as drafts need it: its bytes (empty when named by hash in a batch) and their SHA-256. */
export type ResolvedDocument = { bytes: Buffer; sha256: string; preChecked?: boolean };

/**
 * The letter of a Kuvert JSON body (POST /api/v1/messages, or one NDJSON batch line), checked for form: recipient
 * number, roles, actions. Each document's bytes come from `resolve` (decoded base64, or a batch's earlier document).
 * Throws AppError naming the field. The MeMo model is added by the caller (memoOf) where it is stored.
 */
export function jsonDraft(
  input: Omit<SendMessageBody, 'documents'> & {
    documents?: (Omit<NonNullable<SendMessageBody['documents']>[number], 'content'> & {
      content?: string;
      sha256?: string;
    })[];
  },
  maxDocuments: number,
  resolve: (doc: { mediaType: string; content?: string; sha256?: string }, index: number) => ResolvedDocument,
  /** A dry run (plan-message.ts) may leave the documents out: then a letter is not refused for having none. */
  options: { documentsOptional?: boolean } = {},
): Omit<MessageDraft, 'memo'> {
  let recipient: { cpr: string } | { cvr: string };
  if ('cpr' in input.recipient) {
    const cpr = normaliseCpr(input.recipient.cpr);
    if (!cpr) throw new AppError(422, 'invalid_cpr', 'The CPR number is not a valid CPR number.', '/recipient/cpr');
    recipient = { cpr };
  } else {
    const cvr = normaliseCvr(input.recipient.cvr);
    if (!cvr) throw new AppError(422, 'invalid_cvr', 'The CVR number is not a valid CVR number.', '/recipient/cvr');
    recipient = { cvr };
  }
  const messageType = input.messageType ?? 'DIGITALPOST';
  if (messageType === 'NEMSMS') {
    // Before any document is decoded: a NemSMS has none (checkDraft checks the draft again, as for MeMo).
    checkNemSms({
      documents: input.documents ?? [],
      actions: input.actions ?? [],
      notification: input.notification ?? null,
      memoVersion: null,
      replyAllowed: input.replyAllowed ?? false,
      legalNotification: input.legalNotification ?? false,
    });
  } else if (input.documents === undefined && !options.documentsOptional) {
    // Optional in the schema only because a NemSMS has none; a letter answers as the schema did when it was required.
    throw new AppError(400, 'invalid_field', "/documents: must have required property 'documents'", '/documents');
  }
  const inputDocuments = input.documents ?? [];
  if (inputDocuments.length > maxDocuments) {
    throw new AppError(422, 'too_many_documents', `At most ${maxDocuments} documents per letter.`, '/documents');
  }
  const documents: DraftDocument[] = inputDocuments.map((doc, i) => {
    const resolved = resolve(doc, i);
    return {
      role: doc.role ?? (i === 0 ? 'main' : 'additional'),
      title: doc.title,
      filename: doc.filename,
      mediaType: doc.mediaType,
      language: doc.language ?? 'da',
      documentId: null,
      bytes: resolved.bytes,
      sha256: resolved.sha256,
      field: `/documents/${i}/content`,
      ...(resolved.preChecked ? { preChecked: true } : {}),
    };
  });
  if (messageType === 'DIGITALPOST' && input.documents !== undefined && !documents.some((d) => d.role === 'main')) {
    throw new AppError(422, 'no_main_document', 'One document must have the role "main".', '/documents');
  }
  const firstMain = Math.max(
    0,
    documents.findIndex((d) => d.role === 'main'),
  );
  const actions: DraftAction[] = (input.actions ?? []).map((a, i) => ({
    document: a.document ?? firstMain,
    actionCode: a.actionCode,
    label: a.label,
    startDateTime: utc(a.startDateTime, `/actions/${i}/startDateTime`),
    endDateTime: utc(a.endDateTime, `/actions/${i}/endDateTime`),
    // Stored (and checked by the database) as the normalised href, never as written: `HTTPS://x` is `https://x/`.
    url: a.url === undefined ? null : normaliseHttpsUrl(a.url),
    reservation: a.reservation
      ? {
          description: a.reservation.description,
          reservationUUID: a.reservation.reservationUuid.toLowerCase(),
          abstract: a.reservation.abstract,
          location: a.reservation.location,
          startDateTime: utc(a.reservation.startDateTime, `/actions/${i}/reservation/startDateTime`),
          endDateTime: utc(a.reservation.endDateTime, `/actions/${i}/reservation/endDateTime`),
          ...(a.reservation.organizerMail === undefined ? {} : { organizerMail: a.reservation.organizerMail }),
          ...(a.reservation.organizerName === undefined ? {} : { organizerName: a.reservation.organizerName }),
        }
      : null,
    field: `/actions/${i}`,
  }));
  if (actions.some((a) => a.url !== null && a.reservation !== null)) {
    const i = actions.findIndex((a) => a.url !== null && a.reservation !== null);
    throw new AppError(
      422,
      'invalid_action',
      'An action has either a url or a reservation, not both.',
      `/actions/${i}`,
    );
  }
  return {
    messageUuid: input.messageUuid?.toLowerCase() ?? randomUUID(),
    recipient,
    recipientField: 'cpr' in recipient ? '/recipient/cpr' : '/recipient/cvr',
    messageType,
    label: input.label,
    senderReference: input.senderReference ?? null,
    notification: input.notification ?? null,
    replyAllowed: input.replyAllowed ?? false,
    replyBy: utc(input.replyBy, '/replyBy'),
    doNotDeliverUntil:
      input.doNotDeliverUntil === undefined ? null : parseDate(input.doNotDeliverUntil, '/doNotDeliverUntil'),
    deleteAfter: input.deleteAfter === undefined ? null : parseDeleteAfter(input.deleteAfter, DELETE_AFTER_FIELD.json),
    mandatory: input.mandatory ?? false,
    legalNotification: input.legalNotification ?? false,
    postType: input.postType ?? null,
    documents,
    actions,
    memoVersion: null,
    escalation:
      input.escalation === undefined
        ? null
        : checkEscalationInput(input.escalation, '/escalation', { mandatory: input.mandatory ?? false, messageType }),
  };
}

/** The MeMo model of a letter sent as JSON: the sender as Kuvert knows it, one MeMo document per JSON document. */
export function memoOf(
  draft: Omit<Parameters<typeof acceptMessage>[2], 'memo'>,
  sender: { id: string; name: string; cvr: string | null },
): StoredMemoMessage {
  const opt = <K extends string, V>(key: K, value: V | null) =>
    (value === null ? {} : { [key]: value }) as Partial<Record<K, V>>;
  const memoDoc = (indexes: number[]): StoredMemoDocument => {
    const first = draft.documents[indexes[0] as number] as DraftDocument;
    return {
      label: first.title,
      files: indexes.map((i) => {
        const d = draft.documents[i] as DraftDocument;
        return { encodingFormat: d.mediaType, filename: d.filename, language: d.language ?? 'da', sha256: d.sha256 };
      }),
      actions: draft.actions
        .filter((a) => indexes.includes(a.document))
        .map((a) => ({
          label: a.label,
          actionCode: a.actionCode,
          ...opt('startDateTime', a.startDateTime),
          ...opt('endDateTime', a.endDateTime),
          ...(a.reservation ? { reservation: a.reservation as never } : {}),
          ...(a.url ? { entryPoint: { url: a.url } } : {}),
        })),
    };
  };
  const positions = (role: string) => draft.documents.flatMap((d, i) => (d.role === role ? [i] : []));
  const recipientId = 'cpr' in draft.recipient ? draft.recipient.cpr : draft.recipient.cvr;
  return {
    messageType: draft.messageType,
    messageUUID: draft.messageUuid,
    ...opt('messageID', draft.senderReference),
    label: draft.label,
    ...opt('notification', draft.notification),
    reply: draft.replyAllowed,
    ...opt('replyByDateTime', draft.replyBy),
    ...opt('doNotDeliverUntilDate', draft.doNotDeliverUntil),
    mandatory: draft.mandatory,
    legalNotification: draft.legalNotification,
    ...opt('postType', draft.postType),
    sender: sender.cvr
      ? { senderID: sender.cvr, idType: 'CVR', label: sender.name }
      : { senderID: sender.id, idType: 'KUVERT', label: sender.name },
    recipient: { recipientID: recipientId, idType: 'cpr' in draft.recipient ? 'CPR' : 'CVR' },
    replyData: [],
    // A NemSMS has no MessageBody: it is its notification text alone.
    ...(positions('main').length === 0
      ? {}
      : {
          body: {
            createdDateTime: new Date().toISOString(),
            // All "main" documents are files of MeMo's one MainDocument; the others are a MeMo document each.
            mainDocument: memoDoc(positions('main')),
            additionalDocuments: positions('additional').map((i) => memoDoc([i])),
            technicalDocuments: positions('technical').map((i) => memoDoc([i])),
          },
        }),
  };
}
