import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { addMessageEvent } from '../events/index.ts';
import { isRoutingFailure, type RouteOutcome, routeMessage } from './routing.ts';

/**
 * Test mode (issue 17, item 8; GOV.UK Notify's test keys are the model). A letter sent with a test credential
 * (message.test) is validated and routed exactly like a live one — the same checks at intake, the same routing
 * table (routing.ts) when it is due — but it is handed to no channel: no mailbox, no new-mail notification, no
 * print job, no NemSMS. What it would have done is recorded instead:
 * - test_route: the routing outcome (mailbox, print, nemsms or the failure reason), test_routed_at: when;
 * - status: what the live letter's would be ('available', 'print_queued', 'rejected' with rejected_reason; a NemSMS
 *   stays 'received', as a live one does), so the status API answers as for a live letter;
 * - available_at stays null, always (a check constraint, migration 0034): every mailbox read, the search trigger and
 *   the new-mail notification key on it, so a test letter cannot reach a person's mailbox through any of them;
 * - the events a live letter would get (AVAILABLE_TO_RECIPIENT, PRINT_QUEUED, FAILED with its reason), each with
 *   data.test = true; the feed and webhooks mark every event of a test letter `test: true` (events/list-events.ts),
 *   so a sender can test its integration end to end. A test NemSMS gets no NEMSMS_* event (no SMS is attempted).
 * Idempotent: a letter already test-routed is left alone.
 */
export async function routeTestMessage(
  trx: Db,
  message: { id: string; sender_id: string; enrolment: string; message_type: string; mandatory: boolean },
  now: Date,
): Promise<RouteOutcome> {
  const outcome = routeMessage({
    enrolment: message.enrolment,
    messageType: message.message_type,
    mandatory: message.mandatory,
  });
  const status =
    outcome === 'mailbox'
      ? 'available'
      : outcome === 'print'
        ? 'print_queued'
        : outcome === 'nemsms'
          ? null
          : 'rejected';
  const updated = await trx
    .updateTable('message')
    .set({
      test_route: outcome,
      test_routed_at: now,
      ...(status ? { status } : {}),
      ...(isRoutingFailure(outcome) ? { rejected_reason: outcome } : {}),
    })
    .where('id', '=', message.id)
    .where('test', '=', true)
    .where('test_route', 'is', null)
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) return outcome;
  if (outcome === 'mailbox') await addMessageEvent(trx, message, 'AVAILABLE_TO_RECIPIENT', { test: true }, now);
  else if (outcome === 'print') await addMessageEvent(trx, message, 'PRINT_QUEUED', { test: true }, now);
  else if (isRoutingFailure(outcome))
    await addMessageEvent(trx, message, 'FAILED', { reason: outcome, test: true }, now);
  return outcome;
}

/** Routes the test letters among `messageIds` that are due and not yet routed (the bulk path's share of them). */
export async function routeTestMessages(trx: Db, messageIds: readonly string[], now: Date): Promise<void> {
  if (messageIds.length === 0) return;
  const rows = await sql<{
    id: string;
    sender_id: string;
    enrolment: string;
    message_type: string;
    mandatory: boolean;
  }>`
    select m.id, m.sender_id, r.enrolment, m.message_type, m.mandatory
    from message m join recipient r on r.id = m.recipient_id
    where m.id = any(${messageIds as string[]}::uuid[]) and m.test and m.test_route is null
      and m.status in ('received', 'scheduled') and (m.deliver_after is null or m.deliver_after <= ${now}::timestamptz)
    order by m.id
    for update of m
  `.execute(trx);
  for (const row of rows.rows) await routeTestMessage(trx, row, now);
}
