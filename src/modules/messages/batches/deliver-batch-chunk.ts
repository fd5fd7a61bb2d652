import { sql } from 'kysely';
import type { Services } from '../../../services.ts';
import { insertMessageEventsFrom, recordMessageEvent, scheduleWebhookDispatch } from '../../events/index.ts';
import { deliverNemSms, scheduleNewMailNotifications } from '../../notify/index.ts';
import { routeToPrint } from '../deliver-message.ts';
import { ROUTING_CHANNELS, routingTableSql } from '../routing.ts';
import { routeTestMessages } from '../test-mode.ts';
import { isDataFailure } from './line-failure.ts';

/**
 * Routes one chunk of a batch's letters (job "deliver-batch-chunk") with the outcomes of deliverMessage
 * (deliver-message.ts), read from the same table (routing.ts, joined in SQL): mailbox → available and
 * AVAILABLE_TO_RECIPIENT, set-based; a failure (closed, mandatory but not digital) → FAILED with its reason,
 * set-based; paper → the same routeToPrint and NemSMS → deliverNemSms, letter by letter (few, and the channel
 * decides what that means). Idempotent: only letters still 'received' are routed.
 *
 * One letter the database refuses to route (a data or integrity failure, see line-failure.ts) must not hold back
 * the others: the chunk is then routed in halves, each in its own transaction, down to that letter, which FAILS
 * with reason routing_failed. Any other failure (the database is away) fails the job, which is retried with backoff.
 */
export async function deliverBatchChunk(services: Services, payload: { messageIds: string[] }): Promise<void> {
  if (payload.messageIds.length === 0) return;
  await routeIsolating(services, payload.messageIds);
}

async function routeIsolating(services: Services, messageIds: string[]): Promise<void> {
  try {
    await routeChunk(services, messageIds);
  } catch (error) {
    if (!isDataFailure(error)) throw error;
    if (messageIds.length === 1) return failRouting(services, messageIds[0] as string);
    const half = Math.ceil(messageIds.length / 2);
    await routeIsolating(services, messageIds.slice(0, half));
    await routeIsolating(services, messageIds.slice(half));
  }
}

/** The letter could not be routed for what it holds: FAILED (routing_failed), so it never waits for ever. */
async function failRouting(services: Services, messageId: string): Promise<void> {
  await services.db.transaction().execute(async (trx) => {
    const now = new Date();
    const failed = await sql<{ sender_id: string }>`
      update message set status = 'rejected', rejected_reason = 'routing_failed'
      where id = ${messageId} and status = 'received'
      returning sender_id
    `.execute(trx);
    const senderId = failed.rows[0]?.sender_id;
    if (!senderId) return;
    await recordMessageEvent(trx, {
      messageId,
      senderId,
      type: 'FAILED',
      data: { reason: 'routing_failed' },
      occurredAt: now,
    });
  });
}

async function routeChunk(services: Services, messageIds: string[]): Promise<void> {
  const payload = { messageIds };
  await services.db.transaction().execute(async (trx) => {
    const now = new Date();
    const result = await sql<{
      id: string;
      sender_id: string;
      recipient_id: string;
      mandatory: boolean;
      legal_notification: boolean;
      message_type: string;
      enrolment: string;
      outcome: 'print' | 'nemsms';
    }>`
      with pending as (
        select m.id, m.sender_id, m.recipient_id, m.mandatory, m.legal_notification, m.message_type, r.enrolment,
               coalesce(rt.outcome, 'recipient_unknown') as outcome
        from message m join recipient r on r.id = m.recipient_id
        left join ${routingTableSql('rt')}
          on rt.enrolment = r.enrolment and rt.message_type = m.message_type and rt.mandatory = m.mandatory
        where m.id = any(${payload.messageIds}::uuid[]) and m.status = 'received' and not m.test
        order by m.id
        for update of m
      ), available as (
        update message m set status = 'available', available_at = ${now}::timestamptz
        from pending p where m.id = p.id and p.outcome = 'mailbox'
        returning m.id, m.sender_id
      ), rejected as (
        update message m set status = 'rejected', rejected_reason = p.outcome
        from pending p where m.id = p.id and p.outcome <> all(${[...ROUTING_CHANNELS]}::text[])
        returning m.id, m.sender_id, p.outcome
      ), events as (
        ${insertMessageEventsFrom(sql`
          select id, sender_id, 'AVAILABLE_TO_RECIPIENT', '{}'::text[], ${now}::timestamptz, '{}'::jsonb from available
          union all
          select id, sender_id, 'FAILED', '{}'::text[], ${now}::timestamptz, jsonb_build_object('reason', outcome)
          from rejected`)}
      )
      select * from pending where outcome in ('print', 'nemsms')
    `.execute(trx);
    // Test letters (a batch sent with a test credential): the same table, no channel (test-mode.ts).
    await routeTestMessages(trx, payload.messageIds, now);
    for (const message of result.rows) {
      if (message.outcome === 'nemsms') await deliverNemSms(trx, message, now);
      else await routeToPrint(trx, message, now);
    }
    await scheduleNewMailNotifications(trx, payload.messageIds, now);
    const senders = await sql<{ sender_id: string }>`
      select distinct sender_id from message where id = any(${payload.messageIds}::uuid[])
    `.execute(trx);
    for (const { sender_id } of senders.rows) await scheduleWebhookDispatch(trx, sender_id);
  });
}
