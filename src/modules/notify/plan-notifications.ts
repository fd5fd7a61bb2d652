import type { Db } from '../../db/database.ts';
import type { NotifyConfig } from './notify.config.ts';
import { loadRecipientTargets, wantedContacts } from './notify.repository.ts';
import { firstAttemptAt, nextSmsTime } from './quiet-hours.ts';

/**
 * The notify side of a sender's dry run (POST /api/v1/messages/plan): what would be sent to a recipient, when, and
 * over which kind of channel — never to which address, nor with which text. Read-only; the same rules as the
 * sending jobs (wantedContacts, firstAttemptAt), so a plan and a real letter cannot disagree.
 */
export type NotificationKind = 'email' | 'sms';

export interface PlannedNotification {
  channel: NotificationKind;
  /** The earliest time it goes out (the sweep runs every minute, the follow-ups every five). */
  at: Date;
  purpose: 'new_mail' | 'reminder' | 'nemsms';
}

/** What notify knows of a recipient that decides their notifications, reduced to kinds and yes/no. */
export interface NotificationOutlook {
  /** The kinds of channel a notification would go to (usable contact details the person wants). */
  kinds: NotificationKind[];
  /** Opted in to NemSMS. */
  nemsms: boolean;
  /** Has a usable (confirmed, working, recently confirmed) mobile number. */
  mobile: boolean;
}

/** The outlook of each of these recipients (one read of preferences and contact details, as the sweep reads them). */
export async function notificationOutlooks(
  db: Db,
  recipientIds: string[],
  now: Date,
): Promise<Map<string, NotificationOutlook>> {
  const targets = await loadRecipientTargets(db, [...new Set(recipientIds)], now);
  const outlooks = new Map<string, NotificationOutlook>();
  for (const [id, target] of targets) {
    const kinds = new Set(wantedContacts(target).map((c): NotificationKind => (c.kind === 'mobile' ? 'sms' : 'email')));
    outlooks.set(id, {
      kinds: (['email', 'sms'] as const).filter((k) => kinds.has(k)),
      nemsms: target.preference.nemsms,
      mobile: target.contacts.some((c) => c.kind === 'mobile'),
    });
  }
  return outlooks;
}

type Hours = Pick<NotifyConfig, 'coalesceSeconds' | 'smsFromHour' | 'smsUntilHour'>;

/**
 * The "new Digital Post" notification of a letter available at `availableAt`: the sweep (sweep-new-mail.ts) takes
 * it once the coalescing window has passed; an SMS then waits for the morning in quiet hours (letters sent with
 * POST /api/v1/messages are never urgent: urgency is a per-letter option set after sending).
 */
export function plannedNewMailNotifications(
  kinds: readonly NotificationKind[],
  availableAt: Date,
  config: Hours,
  urgent = false,
): PlannedNotification[] {
  const sweptAt = new Date(availableAt.getTime() + config.coalesceSeconds * 1000);
  return kinds.map((channel) => ({
    channel,
    purpose: 'new_mail',
    at: firstAttemptAt(channel, urgent, sweptAt, config),
  }));
}

/** The reminder notifications of a letter still unread at `remindAt` (followups.ts). */
export function plannedReminderNotifications(
  kinds: readonly NotificationKind[],
  remindAt: Date,
  config: Hours,
  urgent = false,
): PlannedNotification[] {
  return kinds.map((channel) => ({
    channel,
    purpose: 'reminder',
    at: firstAttemptAt(channel, urgent, remindAt, config),
  }));
}

/** Why a NemSMS would be refused when it is due (nemsms.ts), or null when it goes to the person's mobile. */
export function nemSmsRefusal(outlook: {
  nemsms: boolean;
  mobile: boolean;
}): 'recipient_not_opted_in' | 'no_confirmed_mobile' | null {
  if (!outlook.nemsms) return 'recipient_not_opted_in';
  return outlook.mobile ? null : 'no_confirmed_mobile';
}

/** A NemSMS due at `at`: nemsms.ts holds it to 08–21 Copenhagen time (nextSmsTime's own hours; never urgent at intake). */
export function plannedNemSms(at: Date): PlannedNotification {
  return { channel: 'sms', purpose: 'nemsms', at: nextSmsTime(at) };
}
