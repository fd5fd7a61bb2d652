import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { enqueue } from '../../jobs/queue.ts';
import { addMessageEvent, type RoutableMessage } from '../events/index.ts';
import { nemSmsTextProblem } from './compose.ts';
import { reconfirmationCutoff } from './contact-details.ts';
import { insertNotifications } from './notify.repository.ts';
import { nemSmsRefusal } from './plan-notifications.ts';
import { nextSmsTime } from './quiet-hours.ts';

/**
 * Routes a NemSMS message (messageType NEMSMS) when it is due, inside the routing transaction: to the recipient's
 * confirmed mobile number if they opted in to NemSMS, else REJECTED with a reason (event NEMSMS_REJECTED, status
 * rejected). The text is the message's `notification` (MeMo: MessageHeader/notification): at most 160 characters, no
 * links. NemSMS never goes to the mailbox or to print. Quiet hours apply (08–21 Copenhagen time) unless the letter is
 * marked urgent. Idempotent: the SMS is keyed by the message id.
 */
export async function deliverNemSms(trx: Db, message: RoutableMessage, now: Date): Promise<void> {
  const row = await sql<{
    notification: string | null;
    nemsms: boolean | null;
    mobile_id: string | null;
    mobile: string | null;
    urgent: boolean | null;
  }>`
    select m.notification, p.nemsms, c.id as mobile_id, c.value as mobile, o.urgent
    from message m
    left join notify_preference p on p.recipient_id = m.recipient_id
    left join notify_message_option o on o.message_id = m.id
    left join lateral (
      select id, value from contact_detail
      where recipient_id = m.recipient_id and kind = 'mobile' and confirmed_at is not null and failing_since is null
        and last_confirmed_at > ${reconfirmationCutoff(now)}
      order by created_at limit 1
    ) c on true
    where m.id = ${message.id}
  `.execute(trx);
  const found = row.rows[0];
  const problem = nemSmsTextProblem(found?.notification);
  const reason = problem ?? nemSmsRefusal({ nemsms: found?.nemsms === true, mobile: Boolean(found?.mobile_id) });
  if (reason || !found?.mobile || !found.mobile_id) {
    await trx
      .updateTable('message')
      .set({ status: 'rejected', rejected_reason: reason ?? 'no_confirmed_mobile' })
      .where('id', '=', message.id)
      .execute();
    await addMessageEvent(trx, message, 'NEMSMS_REJECTED', { reason: reason ?? 'no_confirmed_mobile' }, now);
    return;
  }
  const urgent = found.urgent ?? false;
  // The status stays as it is (no available_at: the mailbox lists only letters with one); the sender follows the
  // SMS by its events NEMSMS_SENT, NEMSMS_DELIVERED or NEMSMS_REJECTED.
  await insertNotifications(trx, [
    {
      recipientId: message.recipient_id,
      senderId: message.sender_id,
      messageId: message.id,
      channel: 'nemsms',
      purpose: 'nemsms',
      contactDetailId: found.mobile_id,
      address: found.mobile,
      subject: null,
      body: (found.notification ?? '').trim(),
      dedupKey: `nemsms:${message.id}`,
      urgent,
      nextAttemptAt: urgent ? now : nextSmsTime(now),
      createdAt: now,
    },
  ]);
  await enqueue(trx, 'notify-send', {}, { jobKey: 'notify-send' });
}
