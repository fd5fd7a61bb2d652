import { AppError, notFound } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import { recordAudit } from '../audit/index.ts';
import { addMessageEvent } from '../events/index.ts';
import { callerAudit, type SenderCaller } from '../identity/index.ts';

/**
 * A sender takes back a letter nobody has read yet: it leaves the mailbox at once (mailbox queries skip recalled
 * letters), is never delivered if it was still waiting, and the sender sees RECALLED. Refused once read
 * (409 already_read), once printed and posted (409 already_printed) or if delivery failed (409 message_failed).
 * Recalling a recalled letter changes nothing. Another sender's letter is 404.
 */
export async function recallMessage(services: Services, caller: SenderCaller, messageId: string): Promise<void> {
  if (!/^[0-9a-f-]{36}$/i.test(messageId)) throw notFound('message');
  await services.db.transaction().execute(async (trx) => {
    // Locked, so a first read cannot slip in between the check and the recall (markFirstRead skips recalled letters).
    const message = await trx
      .selectFrom('message')
      .select(['id', 'sender_id', 'recipient_id', 'status', 'first_read_at'])
      .where('id', '=', messageId.toLowerCase())
      .where('sender_id', '=', caller.senderId)
      .forUpdate()
      .executeTakeFirst();
    if (!message) throw notFound('message');
    if (message.status === 'recalled') return;
    if (message.first_read_at) {
      throw new AppError(409, 'already_read', 'The recipient has already read this letter; it cannot be recalled.');
    }
    if (message.status === 'rejected') {
      throw new AppError(409, 'message_failed', 'This letter was never delivered; there is nothing to recall.');
    }
    const printed = await trx
      .selectFrom('message_event')
      .select('id')
      .where('message_id', '=', message.id)
      .where('type', '=', 'PHYSICAL_LETTER_SENT')
      .executeTakeFirst();
    if (printed) {
      throw new AppError(409, 'already_printed', 'This letter has been printed and posted; it cannot be recalled.');
    }
    const now = new Date();
    await trx
      .updateTable('message')
      .set({ status: 'recalled', recalled_at: now })
      .where('id', '=', message.id)
      .execute();
    // Copies a recipient forwarded (unlikely before a first read, but possible) leave the other mailboxes with it.
    await trx
      .updateTable('message')
      .set({ status: 'recalled', recalled_at: now })
      .where('forwarded_from', '=', message.id)
      .where('recalled_at', 'is', null)
      .execute();
    await addMessageEvent(trx, message, 'RECALLED', { previousStatus: message.status }, now);
    await recordAudit(trx, {
      ...callerAudit(caller),
      action: 'message.recall',
      subjectType: 'message',
      subjectId: message.id,
      mailboxRecipientId: message.recipient_id,
      details: { previousStatus: message.status },
    });
  });
}
