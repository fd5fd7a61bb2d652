import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { AppError, notFound } from '../../http/problem.ts';
import { recordAudit } from '../audit/index.ts';
import { callerAudit, type SenderCaller } from '../identity/index.ts';
import { saveLetterEscalation } from './escalation.repository.ts';
import { legacyPlan } from './escalation-plan.ts';
import { canSetNotificationOptions, canSetSenderDefaults } from './notify.policy.ts';

export interface MessageNotificationOptions {
  /** The label may appear in notifications (the sender says it reveals nothing sensitive). null: sender default. */
  labelInNotification?: boolean | null;
  /** SMS even in quiet hours (21–08). */
  urgent?: boolean;
  /** Remind the recipient if still unread after this many days. null: sender default. */
  remindAfterDays?: number | null;
  /** Send the letter as paper through remote print if still unread after this many days. null: sender default. */
  printIfUnreadAfterDays?: number | null;
}

export interface SenderNotificationDefaults {
  labelInNotification: boolean;
  remindAfterDays: number | null;
  printIfUnreadAfterDays: number | null;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function checkDays(remind: number | null | undefined, print: number | null | undefined): void {
  if (remind != null && print != null && print <= remind) {
    throw new AppError(
      422,
      'print_before_reminder',
      'Print-if-unread must come after the reminder.',
      '/printIfUnreadAfterDays',
    );
  }
}

/**
 * Stores a letter's notification options (in the caller's transaction when given one, e.g. at intake). When the
 * letter is already in the mailbox, its reminder and print times are set from its available time.
 */
export async function saveMessageNotificationOptions(
  trx: Db,
  message: { id: string; sender_id: string },
  options: MessageNotificationOptions,
): Promise<void> {
  checkDays(options.remindAfterDays, options.printIfUnreadAfterDays);
  const values = {
    label_in_notification: options.labelInNotification ?? null,
    urgent: options.urgent ?? false,
    remind_after_days: options.remindAfterDays ?? null,
    print_after_days: options.printIfUnreadAfterDays ?? null,
    updated_at: new Date(),
  };
  await trx
    .insertInto('notify_message_option')
    .values({ message_id: message.id, sender_id: message.sender_id, ...values })
    .onConflict((oc) => oc.column('message_id').doUpdateSet(values))
    .execute();
  // A letter with an escalation plan: the days given here replace that plan (the older call's two steps).
  if (options.remindAfterDays != null || options.printIfUnreadAfterDays != null) {
    const planned = await trx
      .selectFrom('notify_escalation')
      .select(['message_id', 'recipient_id'])
      .where('message_id', '=', message.id)
      .executeTakeFirst();
    if (planned) {
      const steps = legacyPlan(options.remindAfterDays ?? null, options.printIfUnreadAfterDays ?? null);
      await saveLetterEscalation(
        trx,
        { ...message, recipient_id: planned.recipient_id },
        { planName: null, source: 'options', steps },
      );
      return;
    }
  }
  // Already available: (re)compute its follow-ups, keeping what has been done.
  await sql`
    insert into notify_followup (message_id, recipient_id, available_at, remind_at, print_at)
    select m.id, m.recipient_id, m.available_at,
      m.available_at + make_interval(days => coalesce(o.remind_after_days, d.remind_after_days)),
      m.available_at + make_interval(days => coalesce(o.print_after_days, d.print_after_days))
    from message m
    join notify_message_option o on o.message_id = m.id
    left join notify_sender_default d on d.sender_id = m.sender_id
    where m.id = ${message.id} and m.status = 'available' and m.available_at is not null and m.first_read_at is null
      and not exists (select 1 from notify_escalation e where e.message_id = m.id)
    on conflict (message_id) do update set remind_at = excluded.remind_at, print_at = excluded.print_at
  `.execute(trx);
}

/** PUT /api/v1/messages/{id}/notification: the sender's per-letter notification options. */
export async function setMessageNotificationOptions(
  db: Db,
  caller: SenderCaller,
  messageId: string,
  options: MessageNotificationOptions,
): Promise<void> {
  if (!UUID_RE.test(messageId)) throw notFound('message');
  await db.transaction().execute(async (trx) => {
    const message = await trx
      .selectFrom('message')
      .select(['id', 'sender_id'])
      .where('id', '=', messageId.toLowerCase())
      .forUpdate()
      .executeTakeFirst();
    // Another sender's letter is as unknown as a missing one.
    if (!message || !canSetNotificationOptions(caller, message)) throw notFound('message');
    await saveMessageNotificationOptions(trx, message, options);
    await recordAudit(trx, {
      ...callerAudit(caller),
      action: 'notify.message_options',
      subjectType: 'message',
      subjectId: message.id,
      mailboxRecipientId: null,
      details: { ...options },
    });
  });
}

export async function getSenderNotificationDefaults(db: Db, senderId: string): Promise<SenderNotificationDefaults> {
  const row = await db
    .selectFrom('notify_sender_default')
    .selectAll()
    .where('sender_id', '=', senderId)
    .executeTakeFirst();
  return {
    labelInNotification: row?.label_in_notification ?? false,
    remindAfterDays: row?.remind_after_days ?? null,
    printIfUnreadAfterDays: row?.print_after_days ?? null,
  };
}

/** PUT /api/v1/notification-defaults: the sender's defaults for all its later letters. */
export async function setSenderNotificationDefaults(
  db: Db,
  caller: SenderCaller,
  senderId: string,
  defaults: SenderNotificationDefaults,
): Promise<void> {
  if (!canSetSenderDefaults(caller, senderId)) throw notFound('sender');
  checkDays(defaults.remindAfterDays, defaults.printIfUnreadAfterDays);
  const values = {
    label_in_notification: defaults.labelInNotification,
    remind_after_days: defaults.remindAfterDays,
    print_after_days: defaults.printIfUnreadAfterDays,
    updated_at: new Date(),
  };
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('notify_sender_default')
      .values({ sender_id: senderId, ...values })
      .onConflict((oc) => oc.column('sender_id').doUpdateSet(values))
      .execute();
    await recordAudit(trx, {
      ...callerAudit(caller),
      action: 'notify.sender_defaults',
      subjectType: 'sender',
      subjectId: senderId,
      mailboxRecipientId: null,
      details: { ...defaults },
    });
  });
}
