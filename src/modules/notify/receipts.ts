import { sql } from 'kysely';
import type { Services } from '../../services.ts';
import { addMessageEvent } from '../events/index.ts';
import type { DeliveryReceipt } from './channel.ts';

/**
 * Records an SMS delivery receipt: the notification becomes 'delivered' (or 'failed'); for NemSMS the sender gets
 * NEMSMS_DELIVERED (or NEMSMS_REJECTED with the peer's status). Returns false when no sent SMS has that id (yet).
 */
export async function recordDeliveryReceipt(
  services: Services,
  receipt: DeliveryReceipt,
  now = new Date(),
): Promise<boolean> {
  return services.db.transaction().execute(async (trx) => {
    const updated = await sql<{ message_id: string | null; sender_id: string | null; channel: string }>`
      update notification
      set state = ${receipt.delivered ? 'delivered' : 'failed'},
          delivered_at = case when ${receipt.delivered} then ${now}::timestamptz else delivered_at end,
          failed_at = case when ${receipt.delivered} then failed_at else ${now}::timestamptz end,
          last_error = case when ${receipt.delivered} then last_error else ${`receipt ${receipt.status}`} end
      where provider_id = ${receipt.providerId} and channel in ('sms', 'nemsms') and state = 'sent'
      returning message_id, sender_id, channel
    `.execute(trx);
    for (const row of updated.rows) {
      if (row.channel !== 'nemsms' || !row.message_id || !row.sender_id) continue;
      const message = { id: row.message_id, sender_id: row.sender_id };
      if (receipt.delivered) await addMessageEvent(trx, message, 'NEMSMS_DELIVERED', {}, now);
      else await addMessageEvent(trx, message, 'NEMSMS_REJECTED', { reason: receipt.status.toLowerCase() }, now);
    }
    return updated.rows.length > 0;
  });
}

/**
 * Wires the SMS transport's receipts to the database. A receipt can overtake the commit of its own 'sent' state,
 * so an unknown id is tried again a few times.
 */
export function listenForDeliveryReceipts(services: Services): void {
  services.notifications.onReceipt = (receipt) => {
    const attempt = (left: number) => {
      recordDeliveryReceipt(services, receipt).then(
        (found) => {
          if (!found && left > 0) setTimeout(() => attempt(left - 1), 500).unref();
        },
        () => {
          if (left > 0) setTimeout(() => attempt(left - 1), 500).unref();
        },
      );
    };
    attempt(10);
  };
}
