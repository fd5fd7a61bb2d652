import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { enqueue } from '../../jobs/queue.ts';
import type { Services } from '../../services.ts';
import { recordMessageEvents } from '../events/index.ts';
import { queueForPrint } from '../print/index.ts';
import type { EscalationStep, EscalationStepProgress } from './escalation-plan.ts';
import { insertNotifications } from './notify.repository.ts';
import { reminderNotifications } from './reminders.ts';

const BATCH = 500;

/** The sender's feed event of a notify_sender step (also sent to its webhooks). */
export const UNREAD_AFTER_DEADLINE = 'UNREAD_AFTER_DEADLINE';

interface DueRow {
  message_id: string;
  recipient_id: string;
  sender_id: string;
  steps: EscalationStep[];
  next_step: number;
  available_at: Date;
  sender_name: string;
  label: string;
  label_public: boolean;
  urgent: boolean;
  mandatory: boolean;
  read: boolean;
  withdrawn: boolean;
}

/**
 * Runs the escalation steps that are due (part of the 'notify-followups' job, every 5 minutes): rows whose
 * next_due_at has passed, in due order, 500 per transaction (skip locked, so two workers never run a step twice).
 * Each step first checks the letter: read → the plan stops (stopped 'read'; its remaining steps are cancelled_read);
 * recalled → stopped 'withdrawn'. Otherwise the step runs — remind (reminder notifications by its channels, quiet
 * hours for SMS), print_if_unread (queued for remote print; skipped for a mandatory letter), notify_sender
 * (UNREAD_AFTER_DEADLINE in the sender's event feed and webhooks) — and the next step gets its due time.
 */
export async function runEscalations(
  services: Services,
  now: Date = new Date(),
): Promise<{ steps: number; stopped: number }> {
  const counts = { steps: 0, stopped: 0 };
  for (;;) {
    const done = await services.db.transaction().execute(async (trx) => {
      const due = await sql<DueRow>`
        select e.message_id, e.recipient_id, e.sender_id, e.steps, e.next_step, e.available_at, s.name as sender_name,
          m.label, m.mandatory,
          coalesce(o.label_in_notification, d.label_in_notification, false) as label_public,
          coalesce(o.urgent, false) as urgent,
          m.first_read_at is not null as read,
          (m.recalled_at is not null or m.status <> 'available') as withdrawn
        from notify_escalation e
        join message m on m.id = e.message_id
        join sender s on s.id = e.sender_id
        left join notify_message_option o on o.message_id = e.message_id
        left join notify_sender_default d on d.sender_id = e.sender_id
        where e.next_due_at <= ${now}
        order by e.next_due_at
        limit ${BATCH}
        for update of e skip locked
      `.execute(trx);
      const rows = due.rows;
      if (rows.length === 0) return 0;
      await stopPlans(
        trx,
        rows.filter((r) => r.read),
        'read',
        now,
      );
      await stopPlans(
        trx,
        rows.filter((r) => !r.read && r.withdrawn),
        'withdrawn',
        now,
      );
      counts.stopped += rows.filter((r) => r.read || r.withdrawn).length;
      const live = rows.filter((r) => !r.read && !r.withdrawn);
      const outcomes = new Map<string, EscalationStepProgress>();
      const step = (r: DueRow) => r.steps[r.next_step] as EscalationStep;

      const reminders = live.filter((r) => step(r).action === 'remind');
      const notifications = await reminderNotifications(
        services,
        trx,
        reminders.map((r) => {
          const s = step(r);
          return { ...r, step: r.next_step, channels: s.action === 'remind' ? s.channels : [] };
        }),
        now,
      );
      if ((await insertNotifications(trx, notifications)) > 0) {
        await enqueue(trx, 'notify-send', {}, { jobKey: 'notify-send' });
      }
      const reached = new Set(notifications.map((n) => n.messageId));
      for (const r of reminders) {
        outcomes.set(
          r.message_id,
          reached.has(r.message_id) ? stepDone(now) : { state: 'skipped', at: now.toISOString(), reason: 'no_contact' },
        );
      }
      for (const r of live.filter((x) => step(x).action === 'print_if_unread')) {
        if (r.mandatory) {
          outcomes.set(r.message_id, { state: 'skipped', at: now.toISOString(), reason: 'not_printable' });
          continue;
        }
        await queueForPrint(trx, { id: r.message_id, sender_id: r.sender_id }, now);
        outcomes.set(r.message_id, stepDone(now));
      }
      const overdue = live.filter((r) => step(r).action === 'notify_sender');
      await recordMessageEvents(
        trx,
        overdue.map((r) => ({
          messageId: r.message_id,
          senderId: r.sender_id,
          type: UNREAD_AFTER_DEADLINE,
          data: { afterDays: step(r).afterDays, availableAt: new Date(r.available_at).toISOString() },
          occurredAt: now,
        })),
      );
      for (const r of overdue) outcomes.set(r.message_id, stepDone(now));
      await advancePlans(trx, live, outcomes);
      counts.steps += live.length;
      return rows.length;
    });
    if (done < BATCH) break;
  }
  return counts;
}

const stepDone = (now: Date): EscalationStepProgress => ({ state: 'done', at: now.toISOString() });

async function stopPlans(trx: Db, rows: readonly DueRow[], reason: 'read' | 'withdrawn', now: Date) {
  if (rows.length === 0) return;
  await trx
    .updateTable('notify_escalation')
    .set({ stopped: reason, stopped_at: now, next_due_at: null })
    .where('message_id', '=', (eb) => eb.fn.any(eb.val(rows.map((r) => r.message_id))))
    .execute();
}

/** Records each run step's outcome and moves to the next step (its due time), or finishes the plan. */
async function advancePlans(trx: Db, rows: readonly DueRow[], outcomes: Map<string, EscalationStepProgress>) {
  if (rows.length === 0) return;
  await sql`
    update notify_escalation e
    set progress = e.progress || jsonb_build_array(t.outcome),
        next_step = e.next_step + 1,
        next_due_at = case when e.next_step + 1 < jsonb_array_length(e.steps)
          then e.available_at + make_interval(hours => 24 * (e.steps -> (e.next_step + 1) ->> 'afterDays')::int) end,
        stopped = case when e.next_step + 1 >= jsonb_array_length(e.steps) then 'finished' end,
        stopped_at = case when e.next_step + 1 >= jsonb_array_length(e.steps) then t.at end
    from unnest(${rows.map((r) => r.message_id)}::uuid[],
                ${rows.map((r) => JSON.stringify(outcomes.get(r.message_id)))}::jsonb[],
                ${rows.map((r) => outcomes.get(r.message_id)?.at ?? null)}::timestamptz[]) as t(message_id, outcome, at)
    where e.message_id = t.message_id
  `.execute(trx);
}
