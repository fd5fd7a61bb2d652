import { sql } from 'kysely';
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres';
import type { Db } from '../../db/database.ts';
import { canSwitchSql, foldersJsonSql } from './mailbox-listing.repository.ts';

/** The query behind findMailboxMessage, for variants that read more in the same statement. */
function mailboxMessageQuery(db: Db, messageId: string) {
  return db
    .selectFrom('message')
    .innerJoin('sender', 'sender.id', 'message.sender_id')
    .leftJoin('mailbox_item', 'mailbox_item.message_id', 'message.id')
    .select([
      'message.id',
      'message.sender_id',
      'message.recipient_id',
      'message.label',
      'message.available_at',
      'message.first_read_at',
      'message.legal_notification',
      'message.notification',
      'message.reply_allowed',
      'message.reply_by',
      'sender.name as sender_name',
      'mailbox_item.folder',
      'mailbox_item.folder_id',
      'mailbox_item.unread',
      'mailbox_item.legally_notified_at',
      'mailbox_item.trashed_from',
      'mailbox_item.trashed_from_folder_id',
    ])
    .where('message.id', '=', messageId)
    .where('message.available_at', 'is not', null)
    .where('message.recalled_at', 'is', null)
    .where((eb) => eb.or([eb('mailbox_item.folder', 'is', null), eb('mailbox_item.folder', '<>', 'deleted')]));
}

/**
 * A letter that has reached a mailbox (available, not recalled, not deleted for good), with its sender's name and
 * the recipient's own state of it; undefined if none such.
 */
export async function findMailboxMessage(db: Db, messageId: string) {
  return mailboxMessageQuery(db, messageId).executeTakeFirst();
}

/**
 * findMailboxMessage with what the letter page shows besides, in the same statement (one round trip instead of
 * four): the letter's documents (as listMessageDocuments) and actions (as listMessageActions), and the navigation
 * without counts (as loadMailboxNav: the letter's mailbox's folders, whether `actorId` may switch mailboxes). From
 * JSON, the actions' times are ISO text and document sizes numbers.
 */
export async function findMailboxLetterPage(db: Db, messageId: string, nav: { actorId: string | null; now: Date }) {
  return mailboxMessageQuery(db, messageId)
    .select((eb) => [
      foldersJsonSql(sql.ref('message.recipient_id')).as('folders'),
      canSwitchSql(nav.actorId, nav.now).as('can_switch'),
      jsonArrayFrom(
        eb
          .selectFrom('message_document')
          .select([
            'message_document.position',
            'message_document.title',
            'message_document.filename',
            'message_document.media_type',
            'message_document.sha256',
            'message_document.size_bytes',
          ])
          .whereRef('message_document.message_id', '=', 'message.id')
          .where('message_document.role', '<>', 'technical')
          .orderBy('message_document.position'),
      ).as('documents'),
      jsonArrayFrom(
        eb
          .selectFrom('message_action')
          .select([
            'message_action.position',
            'message_action.document_position',
            'message_action.action_code',
            'message_action.label',
            'message_action.start_at',
            'message_action.end_at',
            'message_action.url',
            'message_action.reservation',
            'message_action.status',
          ])
          .whereRef('message_action.message_id', '=', 'message.id')
          .orderBy('message_action.position'),
      ).as('actions'),
      jsonObjectFrom(
        eb
          .selectFrom('mailbox_forward')
          .select(['mailbox_forward.forwarded_by_name', 'mailbox_forward.created_at', 'mailbox_forward.note'])
          .whereRef('mailbox_forward.message_id', '=', 'message.id'),
      ).as('forwarded'),
    ])
    .executeTakeFirst();
}
export type MailboxMessageRow = NonNullable<Awaited<ReturnType<typeof findMailboxMessage>>>;

/** The documents a recipient sees (technical ones are for machines). */
export async function listMessageDocuments(db: Db, messageId: string) {
  return db
    .selectFrom('message_document')
    .select(['position', 'title', 'filename', 'media_type', 'sha256', 'size_bytes'])
    .where('message_id', '=', messageId)
    .where('role', '<>', 'technical')
    .orderBy('position')
    .execute();
}

export async function findMessageDocument(db: Db, messageId: string, position: number) {
  return db
    .selectFrom('message_document')
    .select(['position', 'title', 'filename', 'media_type', 'sha256', 'size_bytes'])
    .where('message_id', '=', messageId)
    .where('position', '=', position)
    .where('role', '<>', 'technical')
    .executeTakeFirst();
}

export async function listMessageActions(db: Db, messageId: string) {
  return db
    .selectFrom('message_action')
    .select([
      'position',
      'document_position',
      'action_code',
      'label',
      'start_at',
      'end_at',
      'url',
      'reservation',
      'status',
    ])
    .where('message_id', '=', messageId)
    .orderBy('position')
    .execute();
}

/**
 * Sets first_read_at unless already set; true only for the call that set it (safe under concurrent opens). A letter
 * recalled meanwhile is not marked read.
 */
export async function markFirstRead(db: Db, messageId: string, at: Date): Promise<{ forwarded: boolean } | null> {
  const updated = await db
    .updateTable('message')
    .set({ first_read_at: at })
    .where('id', '=', messageId)
    .where('first_read_at', 'is', null)
    .where('recalled_at', 'is', null)
    .returning(['id', 'forwarded_from'])
    .executeTakeFirst();
  return updated ? { forwarded: updated.forwarded_from !== null } : null;
}

/** Gives each letter its mailbox_item row (in the Inbox) if it has none yet. */
export async function ensureMailboxItems(
  db: Db,
  letters: { id: string; recipient_id: string; available_at: Date | null }[],
): Promise<void> {
  if (letters.length === 0) return;
  await db
    .insertInto('mailbox_item')
    .values(
      letters.map((l) => ({
        message_id: l.id,
        mailbox_id: l.recipient_id,
        available_at: l.available_at ?? new Date(),
      })),
    )
    .onConflict((oc) => oc.column('message_id').doNothing())
    .execute();
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

export async function findRecipientName(db: Db, recipientId: string): Promise<string | null> {
  const row = await db.selectFrom('recipient').select('name').where('id', '=', recipientId).executeTakeFirst();
  return row?.name ?? null;
}
