import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { escalationStartCtes, hasEscalationSql } from './escalation.repository.ts';

/**
 * Inside the routing transaction: schedules the "new Digital Post" notification (e-mail and/or SMS) for each of
 * these letters that has just become available in a mailbox. Set-based (a batch chunk passes thousands of ids),
 * idempotent (only letters made available at `now`, so a re-run routing job adds nothing) and cheap — one
 * statement that:
 * - starts the letter's escalation plan (its own, else the sender's default plan: escalation.repository.ts), or
 *   else records due reminders and print-if-unread for letters whose sender (or the letter) asks for them;
 * - upserts one notify_pending row per recipient with a usable contact detail (per-recipient coalescing: letters
 *   arriving within the window add to the same row; the 'notify-sweep' job turns due rows into notifications).
 */
export async function scheduleNewMailNotifications(trx: Db, messageIds: readonly string[], now: Date): Promise<void> {
  if (messageIds.length === 0) return;
  await sql`
    with avail as (
      select m.id, m.recipient_id, m.sender_id
      from message m
      where m.id = any(${messageIds as string[]}::uuid[]) and m.status = 'available'
        and m.available_at = ${now}::timestamptz and m.message_type = 'DIGITALPOST'
    ), ${newMailNotificationCtes(now)}
    select 1
  `.execute(trx);
}

/**
 * The statements of scheduleNewMailNotifications as common table expressions over a CTE named `avail` (id,
 * recipient_id, sender_id: letters made available at `now`), for a statement that makes letters available and
 * schedules their notifications at once (bulk intake's insert). Data-modifying CTEs run whether or not they are read.
 */
export function newMailNotificationCtes(now: Date) {
  return sql`
    new_mail_followup as (
      insert into notify_followup (message_id, recipient_id, available_at, remind_at, print_at)
      select a.id, a.recipient_id, ${now}::timestamptz,
        ${now}::timestamptz + make_interval(days => coalesce(o.remind_after_days, d.remind_after_days)),
        ${now}::timestamptz + make_interval(days => coalesce(o.print_after_days, d.print_after_days))
      from avail a
      left join notify_message_option o on o.message_id = a.id
      left join notify_sender_default d on d.sender_id = a.sender_id
      where coalesce(o.remind_after_days, d.remind_after_days, o.print_after_days, d.print_after_days) is not null
        and not ${hasEscalationSql}
      on conflict (message_id) do nothing
    ), ${escalationStartCtes(now)}, ${newMailPendingCte(now)}`;
}

/** The pending notification per recipient (over `avail`), shared by both schedulers. */
function newMailPendingCte(now: Date) {
  return sql`new_mail_pending as (
      insert into notify_pending (recipient_id, first_at, last_at, letters)
      select a.recipient_id, ${now}::timestamptz, ${now}::timestamptz, count(*)::int
      from avail a
      where exists (
        select 1 from contact_detail c
        where c.recipient_id = a.recipient_id and c.confirmed_at is not null and c.failing_since is null
      )
      group by a.recipient_id
      on conflict (recipient_id) do update
        set last_at = greatest(notify_pending.last_at, excluded.last_at),
            letters = notify_pending.letters + excluded.letters
    )`;
}

/**
 * The "new Digital Post" notification only, for letters that are no sender's delivery (a letter forwarded by a
 * recipient): no reminder and no print-if-unread, which are the sender's follow-ups of its own letter.
 */
export async function scheduleForwardedMailNotification(trx: Db, messageIds: readonly string[], now: Date) {
  if (messageIds.length === 0) return;
  await sql`
    with avail as (
      select m.id, m.recipient_id, m.sender_id
      from message m
      where m.id = any(${messageIds as string[]}::uuid[]) and m.status = 'available'
        and m.available_at = ${now}::timestamptz and m.message_type = 'DIGITALPOST'
    ), ${newMailPendingCte(now)}
    select 1
  `.execute(trx);
}
