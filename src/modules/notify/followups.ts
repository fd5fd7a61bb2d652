import { sql } from 'kysely';
import { enqueue } from '../../jobs/queue.ts';
import type { Services } from '../../services.ts';
import { queueForPrint } from '../print/index.ts';
import { insertNotifications } from './notify.repository.ts';
import { type ReminderLetter, reminderNotifications } from './reminders.ts';

const BATCH = 500;

interface DueRow extends ReminderLetter {
  unread: boolean;
}

/**
 * Job 'notify-followups' (every 5 minutes): reminders and print-if-unread. A letter still unread (and still in
 * the mailbox) when its reminder is due gets a reminder notification; still unread when print is due, it is queued
 * for remote print (queueForPrint: PRINT_QUEUED; the letter stays in the mailbox too). A letter read (or recalled)
 * by then gets nothing more: its follow-up row is deleted, so everything stops the moment it is read.
 */
export async function runFollowups(
  services: Services,
  now: Date = new Date(),
): Promise<{ reminded: number; printed: number; stopped: number }> {
  const counts = { reminded: 0, printed: 0, stopped: 0 };
  for (const kind of ['remind', 'print'] as const) {
    for (;;) {
      const done = await services.db.transaction().execute(async (trx) => {
        const due = await sql<DueRow>`
          select f.message_id, f.recipient_id, m.sender_id, s.name as sender_name, m.label,
            coalesce(o.label_in_notification, d.label_in_notification, false) as label_public,
            coalesce(o.urgent, false) as urgent,
            (m.first_read_at is null and m.status = 'available' and m.recalled_at is null) as unread
          from notify_followup f
          join message m on m.id = f.message_id
          join sender s on s.id = m.sender_id
          left join notify_message_option o on o.message_id = m.id
          left join notify_sender_default d on d.sender_id = m.sender_id
          where ${kind === 'remind' ? sql`f.remind_at <= ${now} and f.reminded_at is null` : sql`f.print_at <= ${now} and f.printed_at is null`}
          order by f.message_id
          limit ${BATCH}
          for update of f skip locked
        `.execute(trx);
        if (due.rows.length === 0) return 0;
        const read = due.rows.filter((r) => !r.unread).map((r) => r.message_id);
        if (read.length > 0) {
          await trx
            .deleteFrom('notify_followup')
            .where('message_id', '=', (eb) => eb.fn.any(eb.val(read)))
            .execute();
          counts.stopped += read.length;
        }
        const unread = due.rows.filter((r) => r.unread);
        if (kind === 'print') {
          for (const row of unread) await queueForPrint(trx, { id: row.message_id, sender_id: row.sender_id }, now);
          counts.printed += unread.length;
        } else {
          const rows = await reminderNotifications(services, trx, unread, now);
          if ((await insertNotifications(trx, rows)) > 0) {
            await enqueue(trx, 'notify-send', {}, { jobKey: 'notify-send' });
          }
          counts.reminded += unread.length;
        }
        const ids = unread.map((r) => r.message_id);
        if (ids.length > 0) {
          await trx
            .updateTable('notify_followup')
            .set(kind === 'remind' ? { reminded_at: now } : { printed_at: now })
            .where('message_id', '=', (eb) => eb.fn.any(eb.val(ids)))
            .execute();
        }
        return due.rows.length;
      });
      if (done < BATCH) break;
    }
  }
  return counts;
}
