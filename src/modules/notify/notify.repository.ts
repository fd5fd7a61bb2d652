import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { reconfirmationCutoff } from './contact-details.ts';
import type { NotificationChannelKind, NotificationPurpose } from './notify.tables.ts';

export interface NotifyPreference {
  byEmail: boolean;
  bySms: boolean;
  language: 'da' | 'en';
  nemsms: boolean;
}

export const DEFAULT_PREFERENCE: NotifyPreference = { byEmail: true, bySms: true, language: 'da', nemsms: false };

export interface RecipientTarget {
  preference: NotifyPreference;
  /** Usable (confirmed, working, recent) contact details. */
  contacts: { id: string; kind: 'email' | 'mobile'; value: string }[];
}

/**
 * The contact details a notification goes to: the usable ones of the kinds the person wants (e-mail and/or SMS).
 * The one rule for new-mail notifications, reminders and the sender's dry run (plan-notifications.ts).
 */
export function wantedContacts(target: RecipientTarget): RecipientTarget['contacts'] {
  return target.contacts.filter((c) => (c.kind === 'email' ? target.preference.byEmail : target.preference.bySms));
}

/** Preferences and usable contact details of these recipients (set-based; the rule of usableContactDetails). */
export async function loadRecipientTargets(
  db: Db,
  recipientIds: string[],
  now: Date,
): Promise<Map<string, RecipientTarget>> {
  const targets = new Map<string, RecipientTarget>();
  if (recipientIds.length === 0) return targets;
  for (const id of recipientIds) targets.set(id, { preference: { ...DEFAULT_PREFERENCE }, contacts: [] });
  const [preferences, contacts] = await Promise.all([
    db
      .selectFrom('notify_preference')
      .selectAll()
      .where('recipient_id', '=', (eb) => eb.fn.any(eb.val(recipientIds)))
      .execute(),
    db
      .selectFrom('contact_detail')
      .select(['id', 'recipient_id', 'kind', 'value'])
      .where('recipient_id', '=', (eb) => eb.fn.any(eb.val(recipientIds)))
      .where('confirmed_at', 'is not', null)
      .where('failing_since', 'is', null)
      .where('last_confirmed_at', '>', reconfirmationCutoff(now))
      .orderBy('kind')
      .orderBy('created_at')
      .execute(),
  ]);
  for (const p of preferences) {
    const target = targets.get(p.recipient_id);
    if (target) {
      target.preference = { byEmail: p.by_email, bySms: p.by_sms, language: p.language, nemsms: p.nemsms };
    }
  }
  for (const c of contacts) targets.get(c.recipient_id)?.contacts.push({ id: c.id, kind: c.kind, value: c.value });
  return targets;
}

export interface NewNotification {
  recipientId: string;
  senderId: string | null;
  messageId: string | null;
  channel: NotificationChannelKind;
  purpose: NotificationPurpose;
  contactDetailId: string | null;
  address: string;
  subject: string | null;
  body: string;
  dedupKey: string;
  urgent: boolean;
  nextAttemptAt: Date;
  createdAt: Date;
}

/** Queues notifications in one statement; a dedup_key already queued is skipped. Returns how many were new. */
export async function insertNotifications(trx: Db, rows: NewNotification[]): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await sql`
    insert into notification (recipient_id, sender_id, message_id, channel, purpose, contact_detail_id, address,
                              subject, body, dedup_key, urgent, next_attempt_at, created_at)
    select * from jsonb_to_recordset(${JSON.stringify(
      rows.map((r) => ({
        recipient_id: r.recipientId,
        sender_id: r.senderId,
        message_id: r.messageId,
        channel: r.channel,
        purpose: r.purpose,
        contact_detail_id: r.contactDetailId,
        address: r.address,
        subject: r.subject,
        body: r.body,
        dedup_key: r.dedupKey,
        urgent: r.urgent,
        next_attempt_at: r.nextAttemptAt.toISOString(),
        created_at: r.createdAt.toISOString(),
      })),
    )}::jsonb) as x(recipient_id uuid, sender_id uuid, message_id uuid, channel text, purpose text,
                    contact_detail_id uuid, address text, subject text, body text, dedup_key text, urgent boolean,
                    next_attempt_at timestamptz, created_at timestamptz)
    on conflict (dedup_key) do nothing
  `.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

/** Marks contact details as failing (a bounce, an invalid number) from `now`; the settings page tells the person. */
export async function markContactsFailing(trx: Db, contactIds: string[], now: Date): Promise<void> {
  if (contactIds.length === 0) return;
  await trx
    .updateTable('contact_detail')
    .set({ failing_since: now })
    .where('id', '=', (eb) => eb.fn.any(eb.val(contactIds)))
    .where('failing_since', 'is', null)
    .execute();
}
