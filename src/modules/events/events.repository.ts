import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { scheduleWebhookDispatch } from './webhooks.ts';

/**
 * The one home of message-event writes (issue 15, "one home per rule"): every `message_event` row is written here,
 * one at a time (recordMessageEvent, addMessageEvent), many at a time from JavaScript (recordMessageEvents), or
 * set-based from a bulk statement's own rows (insertMessageEventsFrom, a fragment for a CTE). The first two schedule
 * the sender's webhook dispatch in the same transaction; a bulk statement schedules it itself, once per sender.
 */
export interface MessageEvent {
  /** Null for an event that concerns no letter (RECIPIENT_MESSAGE to a contact point). */
  messageId: string | null;
  senderId: string;
  type: string;
  data?: Record<string, unknown>;
  /** When the event happened; omitted, the database's clock (the transaction's start). */
  occurredAt?: Date;
}

/** Writes one event and schedules the sender's webhook dispatch. */
export async function recordMessageEvent(db: Db, event: MessageEvent): Promise<void> {
  await db
    .insertInto('message_event')
    .values({
      message_id: event.messageId,
      sender_id: event.senderId,
      type: event.type,
      ...(event.occurredAt ? { occurred_at: event.occurredAt } : {}),
      data: JSON.stringify(event.data ?? {}),
    })
    .execute();
  await scheduleWebhookDispatch(db, event.senderId);
}

/** One event of a letter, at `occurredAt` (default: now); schedules the sender's webhook dispatch. */
export async function addMessageEvent(
  db: Db,
  message: { id: string; sender_id: string },
  type: string,
  data: Record<string, unknown> = {},
  occurredAt: Date = new Date(),
): Promise<void> {
  await recordMessageEvent(db, { messageId: message.id, senderId: message.sender_id, type, data, occurredAt });
}

/**
 * Writes many events in one statement (in the given order, so their ids follow it) and schedules each sender's
 * webhook dispatch once.
 */
export async function recordMessageEvents(db: Db, events: readonly MessageEvent[]): Promise<void> {
  if (events.length === 0) return;
  const now = new Date();
  await sql`${insertMessageEventsFrom(sql`
    select message_id, sender_id, type, '{}'::text[], occurred_at, data
    from unnest(${events.map((e) => e.messageId)}::uuid[], ${events.map((e) => e.senderId)}::uuid[],
                ${events.map((e) => e.type)}::text[], ${events.map((e) => e.occurredAt ?? now)}::timestamptz[],
                ${events.map((e) => JSON.stringify(e.data ?? {}))}::jsonb[])
           with ordinality as t(message_id, sender_id, type, occurred_at, data, n)
    order by n`)}`.execute(db);
  for (const senderId of new Set(events.map((e) => e.senderId))) await scheduleWebhookDispatch(db, senderId);
}

/**
 * The set-based writer for bulk SQL: `insert into message_event (...) <rows>`, to use as a data-modifying CTE.
 * `rows` is a select yielding, in this order: message_id, sender_id, type, more_types (text[]: the rest of a run of
 * up to three events, migration 0023; '{}' for one), occurred_at, data (jsonb). It does not schedule webhook
 * dispatch: the statement's caller does, once per sender (scheduleWebhookDispatch).
 */
export function insertMessageEventsFrom(rows: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`insert into message_event (message_id, sender_id, type, more_types, occurred_at, data) ${rows}`;
}

/**
 * Deletes every event of these letters (the retention purge, messages/purge-letters.ts, in its transaction): the log
 * has no foreign key to message, so nothing cascades to it. Returns how many stored rows went.
 */
export async function purgeMessageEvents(db: Db, messageIds: readonly string[]): Promise<number> {
  if (messageIds.length === 0) return 0;
  const result = await sql`delete from message_event where message_id = any(${messageIds}::uuid[])`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
