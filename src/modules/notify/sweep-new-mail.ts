import { sql } from 'kysely';
import { enqueue } from '../../jobs/queue.ts';
import type { Services } from '../../services.ts';
import { composeNewMail, type LetterSummary } from './compose.ts';
import {
  insertNotifications,
  loadRecipientTargets,
  type NewNotification,
  wantedContacts,
} from './notify.repository.ts';
import { firstAttemptAt } from './quiet-hours.ts';

const SWEEP_BATCH = 2000;

/** The mailbox link in notifications. */
export const mailboxUrl = (services: Services) => `${services.config.publicUrl}/post`;

/**
 * Job 'notify-sweep' (every minute): turns per-recipient pending rows older than the coalescing window into one
 * notification per usable contact detail the person wants (e-mail and/or SMS), in their language; SMS outside
 * 08–21 Copenhagen time wait for the morning unless a letter is urgent. Each batch of recipients is one
 * transaction (claim with skip locked, queue with de-duplication keys), so two sweeps never notify twice.
 */
export async function sweepPendingNotifications(
  services: Services,
  now: Date = new Date(),
): Promise<{ queued: number }> {
  const { config } = services;
  const windowStart = new Date(now.getTime() - config.notify.coalesceSeconds * 1000);
  let queued = 0;
  for (;;) {
    const claimed = await services.db.transaction().execute(async (trx) => {
      const pending = await sql<{ recipient_id: string; first_at: Date; last_at: Date }>`
        delete from notify_pending
        where recipient_id in (
          select recipient_id from notify_pending where first_at <= ${windowStart}
          order by first_at limit ${SWEEP_BATCH} for update skip locked
        )
        returning recipient_id, first_at, last_at
      `.execute(trx);
      if (pending.rows.length === 0) return 0;
      const spans = pending.rows;
      const letters = await sql<{
        recipient_id: string;
        message_id: string;
        sender_id: string;
        sender_name: string;
        label: string;
        label_public: boolean;
        urgent: boolean;
      }>`
        select m.recipient_id, m.id as message_id, m.sender_id, s.name as sender_name, m.label,
          coalesce(o.label_in_notification, d.label_in_notification, false) as label_public,
          coalesce(o.urgent, false) as urgent
        from jsonb_to_recordset(${JSON.stringify(spans)}::jsonb) as p(recipient_id uuid, first_at timestamptz, last_at timestamptz)
        join message m on m.recipient_id = p.recipient_id and m.available_at between p.first_at and p.last_at
        join sender s on s.id = m.sender_id
        left join notify_message_option o on o.message_id = m.id
        left join notify_sender_default d on d.sender_id = m.sender_id
        where m.status = 'available' and m.first_read_at is null
        order by m.available_at, m.id
      `.execute(trx);
      const byRecipient = new Map<string, typeof letters.rows>();
      for (const letter of letters.rows) {
        const list = byRecipient.get(letter.recipient_id) ?? [];
        list.push(letter);
        byRecipient.set(letter.recipient_id, list);
      }
      const targets = await loadRecipientTargets(trx, [...byRecipient.keys()], now);
      const rows: NewNotification[] = [];
      for (const span of spans) {
        const list = byRecipient.get(span.recipient_id);
        const target = targets.get(span.recipient_id);
        if (!list || !target) continue;
        const summaries: LetterSummary[] = list.map((l) => ({
          senderName: l.sender_name,
          publicLabel: l.label_public ? l.label : null,
        }));
        const text = composeNewMail(summaries, target.preference.language, mailboxUrl(services));
        const urgent = list.some((l) => l.urgent);
        const senderIds = new Set(list.map((l) => l.sender_id));
        for (const contact of wantedContacts(target)) {
          const sms = contact.kind === 'mobile';
          rows.push({
            recipientId: span.recipient_id,
            senderId: senderIds.size === 1 ? (list[0]?.sender_id ?? null) : null,
            messageId: list.length === 1 ? (list[0]?.message_id ?? null) : null,
            channel: sms ? 'sms' : 'email',
            purpose: 'new_mail',
            contactDetailId: contact.id,
            address: contact.value,
            subject: sms ? null : text.subject,
            body: sms ? text.sms : text.emailBody,
            dedupKey: `new-mail:${span.recipient_id}:${new Date(span.first_at).toISOString()}:${contact.id}`,
            urgent,
            nextAttemptAt: firstAttemptAt(sms ? 'sms' : 'email', urgent, now, config.notify),
            createdAt: now,
          });
        }
      }
      const added = await insertNotifications(trx, rows);
      if (added > 0) await enqueue(trx, 'notify-send', {}, { jobKey: 'notify-send' });
      return { spans: spans.length, added };
    });
    if (claimed === 0) break;
    queued += claimed.added;
    if (claimed.spans < SWEEP_BATCH) break;
  }
  return { queued };
}
