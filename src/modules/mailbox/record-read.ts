import type { Db } from '../../db/database.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import type { Actor } from '../identity/actor.ts';
import { addMessageEvent } from '../messages/messages.repository.ts';
import { markFirstRead } from './mailbox.repository.ts';

/**
 * Inside the caller's transaction: the first read sets first_read_at and adds the sender-visible READ event (and,
 * for a legal-notification letter, LEGALLY_NOTIFIED: it is served when first opened); every read writes an audit
 * event on the owner's mailbox, so the owner's activity log lists each one.
 */
export async function recordRead(
  trx: Db,
  actor: Extract<Actor, { kind: 'citizen' }>,
  message: { id: string; sender_id: string; recipient_id: string; legal_notification?: boolean },
  action: 'message.open' | 'message.document.open',
  details: Record<string, unknown> = {},
): Promise<{ firstRead: boolean }> {
  const now = new Date();
  const firstRead = await markFirstRead(trx, message.id, now);
  if (firstRead) await addMessageEvent(trx, message, 'READ', {}, now);
  if (firstRead && message.legal_notification) await addMessageEvent(trx, message, 'LEGALLY_NOTIFIED', {}, now);
  await recordAudit(trx, {
    actorKind: actor.kind,
    actorId: actor.recipientId,
    action,
    subjectType: 'message',
    subjectId: message.id,
    mailboxRecipientId: message.recipient_id,
    details,
  });
  return { firstRead };
}
