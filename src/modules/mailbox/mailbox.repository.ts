import type { Db } from '../../db/database.ts';

/** One line of a mailbox listing. */
export interface InboxItem {
  id: string;
  label: string;
  senderName: string;
  availableAt: Date;
  firstReadAt: Date | null;
}

/**
 * A page of a recipient's mailbox, newest first (ties by id), starting after the message `before` (keyset
 * pagination on (available_at, id): no OFFSET, stable while new mail arrives). Fetches `limit + 1` rows so the
 * caller can tell whether there is a next page. A `before` that is not in this mailbox yields no rows.
 */
export async function listInboxPage(
  db: Db,
  recipientId: string,
  options: { before?: string; limit: number },
): Promise<InboxItem[]> {
  let query = db
    .selectFrom('message')
    .innerJoin('sender', 'sender.id', 'message.sender_id')
    .select([
      'message.id',
      'message.label',
      'message.available_at',
      'message.first_read_at',
      'sender.name as sender_name',
    ])
    .where('message.recipient_id', '=', recipientId)
    .where('message.available_at', 'is not', null)
    // A recalled letter leaves the mailbox at once (the inbox index holds no recalled letters either).
    .where('message.recalled_at', 'is', null);
  const before = options.before;
  if (before) {
    query = query.where((eb) => {
      const cursorAt = eb
        .selectFrom('message as cursor')
        .select('cursor.available_at')
        .where('cursor.id', '=', before)
        .where('cursor.recipient_id', '=', recipientId);
      // Same order as the index message_recipient_inbox: available_at descending, then id ascending.
      return eb.or([
        eb('message.available_at', '<', cursorAt),
        eb.and([eb('message.available_at', '=', cursorAt), eb('message.id', '>', before)]),
      ]);
    });
  }
  const rows = await query
    .orderBy('message.available_at', 'desc')
    .orderBy('message.id', 'asc')
    .limit(options.limit + 1)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    label: row.label,
    senderName: row.sender_name,
    availableAt: row.available_at as Date,
    firstReadAt: row.first_read_at,
  }));
}

/** A letter that has reached a mailbox (available, not recalled), with its sender's name; null if none such. */
export async function findMailboxMessage(db: Db, messageId: string) {
  return db
    .selectFrom('message')
    .innerJoin('sender', 'sender.id', 'message.sender_id')
    .select([
      'message.id',
      'message.sender_id',
      'message.recipient_id',
      'message.label',
      'message.available_at',
      'message.first_read_at',
      'message.legal_notification',
      'sender.name as sender_name',
    ])
    .where('message.id', '=', messageId)
    .where('message.available_at', 'is not', null)
    .where('message.recalled_at', 'is', null)
    .executeTakeFirst();
}

export async function listMessageDocuments(db: Db, messageId: string) {
  return db
    .selectFrom('message_document')
    .select(['position', 'title', 'filename', 'media_type', 'sha256', 'size_bytes'])
    .where('message_id', '=', messageId)
    .orderBy('position')
    .execute();
}

export async function findMessageDocument(db: Db, messageId: string, position: number) {
  return db
    .selectFrom('message_document')
    .select(['position', 'title', 'filename', 'media_type', 'sha256', 'size_bytes'])
    .where('message_id', '=', messageId)
    .where('position', '=', position)
    .executeTakeFirst();
}

/**
 * Sets first_read_at unless already set; true only for the call that set it (safe under concurrent opens). A letter
 * recalled meanwhile is not marked read.
 */
export async function markFirstRead(db: Db, messageId: string, at: Date): Promise<boolean> {
  const updated = await db
    .updateTable('message')
    .set({ first_read_at: at })
    .where('id', '=', messageId)
    .where('first_read_at', 'is', null)
    .where('recalled_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return updated !== undefined;
}

/** A sender's latest letters with their statuses and dates; no recipient and no content. */
export async function listSenderLetters(db: Db, senderId: string, limit: number) {
  return db
    .selectFrom('message')
    .select(['id', 'label', 'sender_reference', 'status', 'received_at', 'available_at', 'first_read_at'])
    .where('sender_id', '=', senderId)
    .orderBy('received_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export async function findSenderName(db: Db, senderId: string): Promise<string | null> {
  const row = await db.selectFrom('sender').select('name').where('id', '=', senderId).executeTakeFirst();
  return row?.name ?? null;
}
