import type { Services } from '../../services.ts';
import { addMessageEvent } from './messages.repository.ts';

/**
 * Routes a received letter (job "deliver-message"): enrolled recipients get it in their mailbox at once, which the
 * sender sees as AVAILABLE. Idempotent: a retried job finds the message already routed and does nothing.
 */
export async function deliverMessage(services: Services, payload: { messageId: string }): Promise<void> {
  await services.db.transaction().execute(async (trx) => {
    const message = await trx
      .selectFrom('message')
      .innerJoin('recipient', 'recipient.id', 'message.recipient_id')
      .select(['message.id', 'message.sender_id', 'message.status', 'recipient.enrolment'])
      .where('message.id', '=', payload.messageId)
      .forUpdate('message')
      .executeTakeFirst();
    if (message?.status !== 'received') return;
    const now = new Date();
    switch (message.enrolment) {
      case 'automatic':
      case 'voluntary':
        await trx
          .updateTable('message')
          .set({ status: 'available', available_at: now })
          .where('id', '=', message.id)
          .execute();
        await addMessageEvent(trx, message, 'AVAILABLE_TO_RECIPIENT', {}, now);
        return;
      case 'exempted':
      case 'not_enrolled':
        // Exempted people and children under 15 get paper: the remote print channel takes these; until it exists the letter waits, visibly, as PRINT_QUEUED.
        await addMessageEvent(trx, message, 'PRINT_QUEUED', {}, now);
        return;
      case 'closed':
        await trx
          .updateTable('message')
          .set({ status: 'rejected', rejected_reason: 'recipient_closed' })
          .where('id', '=', message.id)
          .execute();
        await addMessageEvent(trx, message, 'FAILED', { reason: 'recipient_closed' }, now);
        return;
    }
  });
}
