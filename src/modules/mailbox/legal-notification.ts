import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { addMessageEvent } from '../events/index.ts';

/**
 * Inside the caller's transaction: serves a legal-notification letter (lovpligtig forkyndelse) — the sender gets
 * LEGALLY_NOTIFIED with the time — unless it was served before. mailbox_item.legally_notified_at is the guard, set
 * by one atomic upsert, so the event is added once even when opening and moving race. True if this call served it.
 */
export async function serveLegalNotification(
  trx: Db,
  message: {
    id: string;
    sender_id: string;
    recipient_id: string;
    available_at: Date | null;
    legal_notification: boolean;
  },
  at: Date,
): Promise<boolean> {
  if (!message.legal_notification) return false;
  const served = await sql<{ message_id: string }>`
    insert into mailbox_item (message_id, mailbox_id, available_at, legally_notified_at)
    values (${message.id}, ${message.recipient_id}, ${message.available_at ?? at}, ${at})
    on conflict (message_id) do update set legally_notified_at = excluded.legally_notified_at, updated_at = now()
      where mailbox_item.legally_notified_at is null
    returning message_id
  `.execute(trx);
  if (served.rows.length === 0) return false;
  await addMessageEvent(trx, message, 'LEGALLY_NOTIFIED', { notifiedAt: at.toISOString() }, at);
  return true;
}
