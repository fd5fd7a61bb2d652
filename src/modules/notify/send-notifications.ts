import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { retryWhileDatabaseUnavailable } from '../../db/unavailable.ts';
import { enqueue } from '../../jobs/queue.ts';
import type { Services } from '../../services.ts';
import { addMessageEvent } from '../events/index.ts';
import { TransportError } from './channel.ts';
import { markContactsFailing } from './notify.repository.ts';
import { nextSmsTime } from './quiet-hours.ts';

const CLAIM_BATCH = 2000;
/** A claimed notification not finished within this time (a crashed worker) is claimed again. */
const CLAIM_MS = 5 * 60_000;

interface Claimed {
  id: string;
  recipient_id: string;
  sender_id: string | null;
  message_id: string | null;
  channel: 'email' | 'sms' | 'nemsms';
  purpose: string;
  contact_detail_id: string | null;
  address: string;
  subject: string | null;
  body: string;
  dedup_key: string;
  urgent: boolean;
  attempts: number;
}

type Outcome =
  | { id: string; kind: 'sent'; providerId: string | null }
  | { id: string; kind: 'retry'; at: Date; error: string }
  | { id: string; kind: 'failed'; error: string; permanent: boolean }
  | { id: string; kind: 'wait'; at: Date };

/** The delay before attempt `attempts + 1`: base · 2^(attempts − 1), capped. */
export function backoffMs(attempts: number, baseSeconds: number, maxSeconds: number): number {
  return Math.min(maxSeconds, baseSeconds * 2 ** Math.max(0, attempts - 1)) * 1000;
}

/** `fn` over `items` with at most `limit` calls in flight; the results in the items' order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    for (;;) {
      const index = next++;
      if (index >= items.length) return;
      results[index] = await fn(items[index] as T);
    }
  });
  await Promise.all(workers);
  return results;
}

export interface SendRunResult {
  sent: number;
  retried: number;
  failed: number;
  /** The earliest time a queued notification is due again, if any. */
  nextDueAt: Date | null;
}

/**
 * Job 'notify-send': sends every queued notification that is due at `now`. Claims a batch (state 'sending', with a
 * lease, skip locked — workers never share a notification), sends it through the configured transports with bounded
 * concurrency, then records the outcomes in one transaction: sent; a temporary failure → queued again after an
 * exponential backoff; a permanent one (bounce, invalid number) or too many attempts → failed, the contact detail
 * marked failing. At least once: a worker that dies mid-batch leaves its claims to expire and be sent again with
 * the same de-duplication key (the e-mail's Message-ID). `now` is the clock (tests drive it).
 */
export async function sendDueNotifications(
  services: Services,
  now: Date = new Date(),
  options: { maxBatches?: number } = {},
): Promise<SendRunResult> {
  const { notify } = services.config;
  const total: SendRunResult = { sent: 0, retried: 0, failed: 0, nextDueAt: null };
  // The outcomes of one batch are written while the next batch is claimed and sent (at most one write in flight).
  let recording: Promise<void> = Promise.resolve();
  for (let batch = 0; batch < (options.maxBatches ?? Number.MAX_SAFE_INTEGER); batch++) {
    const claimed = await claimDue(services.db, now, CLAIM_BATCH);
    if (claimed.length === 0) break;
    const outcomes = await mapLimit(claimed, notify.sendConcurrency, async (n): Promise<Outcome> => {
      const sms = n.channel !== 'email';
      if (sms && !n.urgent) {
        const allowedAt = nextSmsTime(now, notify.smsFromHour, notify.smsUntilHour);
        if (allowedAt > now) return { id: n.id, kind: 'wait', at: allowedAt };
      }
      try {
        const result = await services.notifications.deliver({
          channel: sms ? 'sms' : 'email',
          to: n.address,
          ...(n.subject !== null ? { subject: n.subject } : {}),
          body: n.body,
          purpose: n.purpose,
          dedupKey: n.dedup_key,
        });
        return { id: n.id, kind: 'sent', providerId: result.providerId };
      } catch (error) {
        const message = (error as Error).message.slice(0, 500);
        const permanent = error instanceof TransportError && error.permanent;
        if (permanent || n.attempts >= notify.maxAttempts) {
          return { id: n.id, kind: 'failed', error: message, permanent };
        }
        const delay = backoffMs(n.attempts, notify.retryBaseSeconds, notify.retryMaxSeconds);
        return { id: n.id, kind: 'retry', at: new Date(now.getTime() + delay), error: message };
      }
    });
    await recording;
    // Sent is sent: if the database went away meanwhile, wait for it (within the claim's lease) rather than fail and
    // have the lease run out, which would send the whole batch a second time.
    recording = retryWhileDatabaseUnavailable(() => recordOutcomes(services.db, claimed, outcomes, now), {
      withinMs: CLAIM_MS - 30_000,
    });
    recording.catch(() => {}); // handled where it is awaited
    for (const o of outcomes) {
      if (o.kind === 'sent') total.sent++;
      else if (o.kind === 'failed') total.failed++;
      else if (o.kind === 'retry') total.retried++;
    }
    if (claimed.length < CLAIM_BATCH) break;
  }
  await recording;
  const next = await services.db
    .selectFrom('notification')
    .select((eb) => eb.fn.min('next_attempt_at').as('at'))
    .where('state', '=', 'queued')
    .executeTakeFirst();
  total.nextDueAt = next?.at ? new Date(next.at) : null;
  return total;
}

async function claimDue(db: Db, now: Date, limit: number): Promise<Claimed[]> {
  const result = await sql<Claimed>`
    update notification n
    set state = 'sending', attempts = n.attempts + 1, claimed_until = ${new Date(now.getTime() + CLAIM_MS)}
    where n.id in (
      select id from notification
      where (state = 'queued' and next_attempt_at <= ${now}) or (state = 'sending' and claimed_until < ${now})
      order by next_attempt_at
      limit ${limit}
      for update skip locked
    )
    returning n.id, n.recipient_id, n.sender_id, n.message_id, n.channel, n.purpose, n.contact_detail_id, n.address,
      n.subject, n.body, n.dedup_key, n.urgent, n.attempts
  `.execute(db);
  return result.rows;
}

async function recordOutcomes(db: Db, claimed: Claimed[], outcomes: Outcome[], now: Date): Promise<void> {
  const byId = new Map(claimed.map((n) => [n.id, n]));
  const rows = outcomes.map((o) => ({
    id: o.id,
    kind: o.kind,
    provider_id: o.kind === 'sent' ? o.providerId : null,
    at: o.kind === 'retry' || o.kind === 'wait' ? o.at.toISOString() : null,
    error: o.kind === 'retry' || o.kind === 'failed' ? o.error : null,
  }));
  await db.transaction().execute(async (trx) => {
    await sql`
      update notification n set
        state = case x.kind when 'sent' then 'sent' when 'failed' then 'failed' else 'queued' end,
        sent_at = case when x.kind = 'sent' then ${now}::timestamptz else n.sent_at end,
        failed_at = case when x.kind = 'failed' then ${now}::timestamptz else n.failed_at end,
        provider_id = coalesce(x.provider_id, n.provider_id),
        next_attempt_at = coalesce(x.at, n.next_attempt_at),
        last_error = coalesce(x.error, n.last_error),
        -- waiting for the morning is not an attempt
        attempts = case when x.kind = 'wait' then n.attempts - 1 else n.attempts end,
        claimed_until = null
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        as x(id uuid, kind text, provider_id text, at timestamptz, error text)
      where n.id = x.id and n.state = 'sending'
    `.execute(trx);
    const failing = outcomes
      .filter((o) => o.kind === 'failed' && o.permanent)
      .map((o) => byId.get(o.id)?.contact_detail_id)
      .filter((id): id is string => !!id);
    await markContactsFailing(trx, failing, now);
    // NemSMS: the sender follows its reminder in the event feed.
    for (const o of outcomes) {
      const n = byId.get(o.id);
      if (n?.channel !== 'nemsms' || !n.message_id || !n.sender_id) continue;
      const message = { id: n.message_id, sender_id: n.sender_id };
      if (o.kind === 'sent') await addMessageEvent(trx, message, 'NEMSMS_SENT', {}, now);
      if (o.kind === 'failed') {
        await addMessageEvent(
          trx,
          message,
          'NEMSMS_REJECTED',
          { reason: o.permanent ? 'invalid_number' : 'not_sent' },
          now,
        );
      }
    }
    const retryAt = outcomes
      .filter((o): o is Extract<Outcome, { at: Date }> => o.kind === 'retry' || o.kind === 'wait')
      .map((o) => o.at.getTime());
    if (retryAt.length > 0) {
      await enqueue(trx, 'notify-send', {}, { jobKey: 'notify-send-retry', runAt: new Date(Math.min(...retryAt)) });
    }
  });
}
