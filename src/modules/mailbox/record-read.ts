import type { Db } from '../../db/database.ts';
import type { Actor } from '../../kernel/actor.ts';
import { recordAudit } from '../audit/index.ts';
import { addMessageEvent } from '../events/index.ts';
import { serveLegalNotification } from './legal-notification.ts';
import { markFirstRead } from './letter.repository.ts';

type ReadMessage = {
  id: string;
  sender_id: string;
  recipient_id: string;
  legal_notification?: boolean;
  available_at?: Date | null;
  /** As read just before (findMailboxMessage): a letter already read skips the first-read update. */
  first_read_at?: Date | null;
  /** The recipient's own mark as read just before (null: no mailbox_item row): only true needs clearing. */
  unread?: boolean | null;
};

type ReadAction = 'message.open' | 'message.document.open';

/** Who reads: a person in the web mailbox, or a business's system through the inbox API (audited as its client). */
export type Reader = Extract<Actor, { kind: 'citizen' }> | { kind: 'system_client'; clientId: string };

/**
 * recordRead in a transaction of its own, or, when the letter was just seen read already and not marked unread (so
 * only the audit event is written), as that one statement: one round trip instead of three (begin, append, commit).
 */
export async function recordReadNow(
  db: Db,
  actor: Reader,
  message: ReadMessage,
  action: ReadAction,
  details: Record<string, unknown> = {},
): Promise<{ firstRead: boolean }> {
  const onlyAudit = message.first_read_at instanceof Date && (message.unread === false || message.unread === null);
  if (onlyAudit) return recordRead(db, actor, message, action, details);
  return db.transaction().execute((trx) => recordRead(trx, actor, message, action, details));
}

/**
 * Inside the caller's transaction: the first read sets first_read_at and adds the sender-visible READ event (and,
 * for a legal-notification letter, LEGALLY_NOTIFIED unless moving or deleting it served it already: it is served
 * when first opened, moved or deleted); every read clears the recipient's own unread mark and writes an audit event
 * on the owner's mailbox, so the owner's activity log lists each one.
 */
export async function recordRead(
  trx: Db,
  actor: Reader,
  message: ReadMessage,
  action: ReadAction,
  details: Record<string, unknown> = {},
): Promise<{ firstRead: boolean }> {
  const now = new Date();
  // A letter seen already read stays read (first_read_at is never cleared), so the update would change nothing; one
  // seen unread is updated conditionally, so concurrent first opens still record exactly one first read.
  const marked = message.first_read_at instanceof Date ? null : await markFirstRead(trx, message.id, now);
  const firstRead = marked !== null;
  // A forwarded copy is no delivery of the sender's: its reading is the new recipient's business, not the sender's.
  if (marked && !marked.forwarded) await addMessageEvent(trx, message, 'READ', {}, now);
  if (firstRead && message.legal_notification) {
    await serveLegalNotification(
      trx,
      { ...message, legal_notification: true, available_at: message.available_at ?? null },
      now,
    );
  }
  // The recipient's own mark: opening a letter they had marked unread makes it read again (rows exist only after
  // an earlier action, so this touches nothing for most letters; it is skipped when the letter was just seen not
  // marked unread — a mark set concurrently with this open is then kept, as if set just after it).
  if (message.unread === undefined || message.unread === true) {
    await trx
      .updateTable('mailbox_item')
      .set({ unread: false, updated_at: now })
      .where('message_id', '=', message.id)
      .where('unread', '=', true)
      .execute();
  }
  await recordAudit(trx, {
    actorKind: actor.kind,
    actorId: actor.kind === 'citizen' ? actor.recipientId : actor.clientId,
    action,
    subjectType: 'message',
    subjectId: message.id,
    mailboxRecipientId: message.recipient_id,
    details,
  });
  return { firstRead };
}
