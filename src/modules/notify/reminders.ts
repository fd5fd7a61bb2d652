import type { Db } from '../../db/database.ts';
import type { Services } from '../../services.ts';
import { composeReminder } from './compose.ts';
import { loadRecipientTargets, type NewNotification, wantedContacts } from './notify.repository.ts';
import { firstAttemptAt } from './quiet-hours.ts';
import { mailboxUrl } from './sweep-new-mail.ts';

/** An unread letter to remind of. `channels`: which channels the reminder may use (both when not given). */
export interface ReminderLetter {
  message_id: string;
  recipient_id: string;
  sender_id: string;
  sender_name: string;
  label: string;
  label_public: boolean;
  urgent: boolean;
  channels?: readonly ('email' | 'sms')[];
  /** The escalation step (so a plan's second reminder is not taken for a repeat of its first). */
  step?: number;
}

/**
 * The reminder notifications of these letters (one per usable address the recipient wants and the channels allow;
 * an SMS waits for the end of quiet hours unless urgent). Shared by the legacy follow-ups and escalation plans.
 */
export async function reminderNotifications(
  services: Services,
  trx: Db,
  letters: readonly ReminderLetter[],
  now: Date,
): Promise<NewNotification[]> {
  const targets = await loadRecipientTargets(trx, [...new Set(letters.map((r) => r.recipient_id))], now);
  const rows: NewNotification[] = [];
  for (const row of letters) {
    const target = targets.get(row.recipient_id);
    if (!target) continue;
    const text = composeReminder(
      { senderName: row.sender_name, publicLabel: row.label_public ? row.label : null },
      target.preference.language,
      mailboxUrl(services),
    );
    for (const contact of wantedContacts(target)) {
      const sms = contact.kind === 'mobile';
      if (row.channels && !row.channels.includes(sms ? 'sms' : 'email')) continue;
      rows.push({
        recipientId: row.recipient_id,
        senderId: row.sender_id,
        messageId: row.message_id,
        channel: sms ? 'sms' : 'email',
        purpose: 'reminder',
        contactDetailId: contact.id,
        address: contact.value,
        subject: sms ? null : text.subject,
        body: sms ? text.sms : text.emailBody,
        dedupKey: `reminder:${row.message_id}:${contact.id}${row.step === undefined ? '' : `:${row.step}`}`,
        urgent: row.urgent,
        nextAttemptAt: firstAttemptAt(sms ? 'sms' : 'email', row.urgent, now, services.config.notify),
        createdAt: now,
      });
    }
  }
  return rows;
}
