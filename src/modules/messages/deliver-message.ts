import type { Db } from '../../db/database.ts';
import { enqueue } from '../../jobs/queue.ts';
import type { Services } from '../../services.ts';
import { addMessageEvent, type RoutableMessage } from '../events/index.ts';
import { deliverNemSms, scheduleNewMailNotifications } from '../notify/index.ts';
import { queueForPrint } from '../print/index.ts';
import { type RoutingFailure, routeMessage } from './routing.ts';
import { routeTestMessage } from './test-mode.ts';

/**
 * Routes a letter when it is due (job "deliver-message", run at doNotDeliverUntil 00:00 Copenhagen time, if set):
 * - enrolled (automatic, voluntary) → the mailbox: AVAILABLE_TO_RECIPIENT;
 * - exempted or not enrolled (under 15) → paper through remote print (routeToPrint): PRINT_QUEUED — unless the
 *   letter is mandatory, which means the sender requires Digital Post: then FAILED, reason recipient_not_digital;
 * - closed → FAILED, reason recipient_closed; anything else → FAILED, reason recipient_unknown.
 * The rule is routing.ts's table (routeMessage), which the bulk path reads too. Legal-notification letters route like any other; NemSMS messages go to the notify module (deliverNemSms). A letter
 * that becomes available schedules the recipient's new-mail notification. Idempotent: a retried job finds the letter routed (or recalled)
 * and does nothing.
 */
export async function deliverMessage(
  services: Services,
  payload: { messageId: string },
  now: Date = new Date(),
): Promise<void> {
  await services.db.transaction().execute(async (trx) => {
    const message = await trx
      .selectFrom('message')
      .innerJoin('recipient', 'recipient.id', 'message.recipient_id')
      .select([
        'message.id',
        'message.sender_id',
        'message.recipient_id',
        'message.status',
        'message.deliver_after',
        'message.mandatory',
        'message.legal_notification',
        'message.message_type',
        'message.test',
        'recipient.enrolment',
      ])
      .where('message.id', '=', payload.messageId)
      .forUpdate('message')
      .executeTakeFirst();
    if (!message || (message.status !== 'received' && message.status !== 'scheduled')) return;
    if (message.deliver_after && message.deliver_after > now) {
      // Not due yet (a job run early, e.g. by hand): try again when it is.
      await enqueue(trx, 'deliver-message', { messageId: message.id }, { runAt: message.deliver_after });
      return;
    }
    // A test letter is routed by the same table but handed to no channel (test-mode.ts).
    if (message.test) {
      await routeTestMessage(trx, message, now);
      return;
    }
    // As for letters: a mailbox closed since intake takes nothing more, not even an SMS (see routing.ts).
    const outcome = routeMessage({
      enrolment: message.enrolment,
      messageType: message.message_type,
      mandatory: message.mandatory,
    });
    switch (outcome) {
      case 'nemsms':
        return deliverNemSms(trx, message, now);
      case 'mailbox':
        await trx
          .updateTable('message')
          .set({ status: 'available', available_at: now })
          .where('id', '=', message.id)
          .execute();
        await addMessageEvent(trx, message, 'AVAILABLE_TO_RECIPIENT', {}, now);
        await scheduleNewMailNotifications(trx, [message.id], now);
        return;
      case 'print':
        return routeToPrint(trx, message, now);
      default:
        return fail(trx, message, outcome, now);
    }
  });
}

/**
 * Hands a letter to the paper channel, inside the routing transaction: marks it print_queued and queues it for the
 * remote print module, which records the PRINT_QUEUED event (once) and later batches and confirms it.
 */
export async function routeToPrint(trx: Db, message: RoutableMessage, now: Date = new Date()): Promise<void> {
  await trx.updateTable('message').set({ status: 'print_queued' }).where('id', '=', message.id).execute();
  await queueForPrint(trx, message, now);
}

async function fail(trx: Db, message: RoutableMessage, reason: RoutingFailure, now: Date): Promise<void> {
  await trx
    .updateTable('message')
    .set({ status: 'rejected', rejected_reason: reason })
    .where('id', '=', message.id)
    .execute();
  await addMessageEvent(trx, message, 'FAILED', { reason }, now);
}
