import type { SeedContext } from '../../seed/context.ts';

/**
 * The notify module's demo data (idempotent): Skattestyrelsen reminds of letters still unread after 7 days; the other
 * demo senders keep the defaults (no labels in notifications, no reminders).
 */
export async function seedNotifyDemo(ctx: SeedContext): Promise<void> {
  const senderId = ctx.senders.skat;
  await ctx.services.db
    .insertInto('notify_sender_default')
    .values({ sender_id: senderId, label_in_notification: false, remind_after_days: 7, print_after_days: null })
    .onConflict((oc) => oc.column('sender_id').doNothing())
    .execute();
}
