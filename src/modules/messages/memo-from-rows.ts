import type { Db } from '../../db/database.ts';
import type { StoredMemoDocument, StoredMemoMessage } from './stored-memo.ts';

/** The relational rows of one letter that its MeMo model is built from. */
export interface LetterRows {
  message: {
    message_type: 'DIGITALPOST' | 'NEMSMS';
    message_uuid: string;
    sender_message_id: string | null;
    sender_reference: string | null;
    label: string;
    notification: string | null;
    reply_allowed: boolean;
    reply_by: Date | null;
    do_not_deliver_until: string | null;
    mandatory: boolean;
    legal_notification: boolean;
    post_type: string | null;
    received_at: Date;
  };
  sender: { id: string; name: string; cvr: string | null };
  recipient: { kind: 'person' | 'business'; cpr: string | null; cvr: string | null };
  documents: {
    position: number;
    title: string;
    filename: string;
    media_type: string;
    sha256: string;
    role: 'main' | 'additional' | 'technical';
    document_id: string | null;
    language: string | null;
  }[];
  actions: {
    document_position: number;
    action_code: string;
    label: string;
    start_at: Date | null;
    end_at: Date | null;
    url: string | null;
    reservation: Record<string, unknown> | null;
  }[];
}

/** Reads the rows of one of the sender's letters (undefined when it is not theirs or does not exist). */
export async function loadLetterRows(db: Db, senderId: string, messageId: string): Promise<LetterRows | undefined> {
  const row = await db
    .selectFrom('message as m')
    .innerJoin('sender as s', 's.id', 'm.sender_id')
    .innerJoin('recipient as r', 'r.id', 'm.recipient_id')
    .select([
      'm.id',
      'm.message_type',
      'm.message_uuid',
      'm.sender_message_id',
      'm.sender_reference',
      'm.label',
      'm.notification',
      'm.reply_allowed',
      'm.reply_by',
      'm.do_not_deliver_until',
      'm.mandatory',
      'm.legal_notification',
      'm.post_type',
      'm.received_at',
      's.id as sender_id',
      's.name as sender_name',
      's.cvr as sender_cvr',
      'r.kind as recipient_kind',
      'r.cpr as recipient_cpr',
      'r.cvr as recipient_cvr',
    ])
    .where('m.id', '=', messageId)
    .where('m.sender_id', '=', senderId)
    .executeTakeFirst();
  if (!row) return undefined;
  const [documents, actions] = await Promise.all([
    db
      .selectFrom('message_document')
      .select(['position', 'title', 'filename', 'media_type', 'sha256', 'role', 'document_id', 'language'])
      .where('message_id', '=', row.id)
      .orderBy('position')
      .execute(),
    db
      .selectFrom('message_action')
      .select(['document_position', 'action_code', 'label', 'start_at', 'end_at', 'url', 'reservation'])
      .where('message_id', '=', row.id)
      .orderBy('position')
      .execute(),
  ]);
  return {
    message: row,
    sender: { id: row.sender_id, name: row.sender_name, cvr: row.sender_cvr },
    recipient: { kind: row.recipient_kind, cpr: row.recipient_cpr, cvr: row.recipient_cvr },
    documents,
    actions,
  };
}

/**
 * The MeMo model of a letter stored without one (JSON letters of bulk batches and CSV mailings keep only their
 * columns, for ingest speed), built from its rows the way send-message.ts's memoOf builds it for a JSON letter:
 * the sender as Kuvert knows it, every "main" file one MainDocument, every other document its own MeMo document
 * (consecutive files sharing a role and a document id stay one document, as a MeMo letter's files were stored).
 */
export function memoFromRows(rows: LetterRows): StoredMemoMessage {
  const { message: m, sender, recipient } = rows;
  const opt = <K extends string, V>(key: K, value: V | null) =>
    (value === null ? {} : { [key]: value }) as Partial<Record<K, V>>;

  // Groups of rows, each one MeMo document: all main files together; the others by (role, document id) runs.
  const mains = rows.documents.filter((d) => d.role === 'main');
  const groups: { role: 'additional' | 'technical'; files: LetterRows['documents'] }[] = [];
  for (const doc of rows.documents) {
    if (doc.role === 'main') continue;
    const last = groups.at(-1);
    const lastDoc = last?.files.at(-1);
    if (
      last &&
      lastDoc &&
      last.role === doc.role &&
      doc.document_id !== null &&
      lastDoc.document_id === doc.document_id
    ) {
      last.files.push(doc);
    } else groups.push({ role: doc.role, files: [doc] });
  }
  const memoDoc = (files: LetterRows['documents']): StoredMemoDocument => {
    const first = files[0];
    const positions = new Set(files.map((f) => f.position));
    return {
      ...opt('documentID', first?.document_id ?? null),
      ...opt('label', first?.title ?? null),
      files: files.map((f) => ({
        encodingFormat: f.media_type,
        filename: f.filename,
        language: f.language ?? 'da',
        sha256: f.sha256,
      })),
      actions: rows.actions
        .filter((a) => positions.has(a.document_position))
        .map((a) => ({
          label: a.label,
          actionCode: a.action_code,
          ...opt('startDateTime', a.start_at?.toISOString() ?? null),
          ...opt('endDateTime', a.end_at?.toISOString() ?? null),
          ...(a.reservation ? { reservation: a.reservation as never } : {}),
          ...(a.url ? { entryPoint: { url: a.url } } : {}),
        })),
    };
  };

  const byCpr = recipient.kind === 'person' ? recipient.cpr !== null : recipient.cvr === null;
  return {
    messageType: m.message_type,
    messageUUID: m.message_uuid,
    ...opt('messageID', m.sender_message_id ?? m.sender_reference),
    label: m.label,
    ...opt('notification', m.notification),
    reply: m.reply_allowed,
    ...opt('replyByDateTime', m.reply_by?.toISOString() ?? null),
    ...opt('doNotDeliverUntilDate', m.do_not_deliver_until),
    mandatory: m.mandatory,
    legalNotification: m.legal_notification,
    ...opt('postType', m.post_type),
    sender: sender.cvr
      ? { senderID: sender.cvr, idType: 'CVR', label: sender.name }
      : { senderID: sender.id, idType: 'KUVERT', label: sender.name },
    recipient: byCpr
      ? { recipientID: recipient.cpr as string, idType: 'CPR' }
      : { recipientID: recipient.cvr as string, idType: 'CVR' },
    replyData: [],
    ...(mains.length === 0
      ? {}
      : {
          body: {
            createdDateTime: m.received_at.toISOString(),
            mainDocument: memoDoc(mains),
            additionalDocuments: groups.filter((g) => g.role === 'additional').map((g) => memoDoc(g.files)),
            technicalDocuments: groups.filter((g) => g.role === 'technical').map((g) => memoDoc(g.files)),
          },
        }),
  };
}
