import type { Db } from '../../db/database.ts';
import { scheduleWebhookDispatch } from './webhooks.ts';

export async function addMessageEvent(
  db: Db,
  message: { id: string; sender_id: string },
  type: string,
  data: Record<string, unknown> = {},
  occurredAt: Date = new Date(),
): Promise<void> {
  await db
    .insertInto('message_event')
    .values({
      message_id: message.id,
      sender_id: message.sender_id,
      type,
      occurred_at: occurredAt,
      data: JSON.stringify(data),
    })
    .execute();
  await scheduleWebhookDispatch(db, message.sender_id);
}
