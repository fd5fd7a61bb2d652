import type { SeedContext } from '../../seed/context.ts';
import { saveLetterEscalation } from './escalation.repository.ts';
import type { EscalationStep } from './escalation-plan.ts';

/** The demo's named escalation plan of Skattestyrelsen (not its default: its letters keep the 7-day reminder). */
const RYKKER: EscalationStep[] = [
  { action: 'remind', afterDays: 3, channels: ['email', 'sms'] },
  { action: 'print_if_unread', afterDays: 14 },
  { action: 'notify_sender', afterDays: 21 },
];

/**
 * The notify module's demo data (idempotent): Skattestyrelsen reminds of letters still unread after 7 days; the other
 * demo senders keep the defaults (no labels in notifications, no reminders). Skattestyrelsen also has a named
 * escalation plan, "rykker", given to its newest unread letter (the sender portal's letter page
 * shows the plan and its progress; the worker runs its steps when due).
 */
export async function seedNotifyDemo(ctx: SeedContext): Promise<void> {
  const senderId = ctx.senders.skat;
  const db = ctx.services.db;
  await db
    .insertInto('notify_sender_default')
    .values({ sender_id: senderId, label_in_notification: false, remind_after_days: 7, print_after_days: null })
    .onConflict((oc) => oc.column('sender_id').doNothing())
    .execute();
  const existing = await db
    .selectFrom('notify_escalation_plan')
    .select('name')
    .where('sender_id', '=', senderId)
    .where('name', '=', 'rykker')
    .executeTakeFirst();
  if (existing) return;
  await db
    .insertInto('notify_escalation_plan')
    .values({ sender_id: senderId, name: 'rykker', steps: JSON.stringify(RYKKER) })
    .execute();
  const letter = await db
    .selectFrom('message')
    .select(['id', 'sender_id', 'recipient_id', 'available_at'])
    .where('sender_id', '=', senderId)
    .where('status', '=', 'available')
    .where('first_read_at', 'is', null)
    .where('available_at', 'is not', null)
    .orderBy('available_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!letter) return;
  await saveLetterEscalation(db, letter, { planName: 'rykker', source: 'named', steps: RYKKER });
}
