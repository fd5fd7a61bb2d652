import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { AppError, notFound } from '../../http/problem.ts';
import { enqueueSql } from '../../jobs/queue.ts';
import type { Services } from '../../services.ts';
import { recordAudit } from '../audit/index.ts';
import { callerAudit, type SenderCaller } from '../identity/index.ts';
import { readFeed } from './list-events.ts';

/** Header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, as Stripe-style consumers expect. */
export const SIGNATURE_HEADER = 'kuvert-signature';
const MAX_ENDPOINTS = 5;
const PAGE = 100;
const PAGES_PER_RUN = 20;

export function signWebhook(secret: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

/**
 * What a consumer does: checks the signature and that the timestamp is recent (default 5 minutes), so a captured
 * request cannot be replayed later. Exported for tests and as the reference for senders.
 */
export function verifyWebhook(
  secret: string,
  header: string,
  body: string,
  now = Date.now(),
  toleranceS = 300,
): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(now / 1000 - t) > toleranceS) return false;
  const expected = Buffer.from(signWebhook(secret, t, body).split('v1=')[1] as string, 'hex');
  const given = Buffer.from(parts.v1, 'hex');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Addresses a webhook may not reach in production: loopback, private, link-local, CGNAT, unspecified, multicast. */
const internal = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['224.0.0.0', 3],
] as const) {
  internal.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  internal.addSubnet(network, prefix, 'ipv6');
}

/**
 * True if the address is one a sender's webhook must not reach. An IPv4-mapped IPv6 address counts as its IPv4 (a
 * ::ffff:0:0/96 rule in the BlockList would match every IPv4 address).
 */
export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return internal.check(mapped, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return internal.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * In production a webhook must go to the public internet: a host that is, or resolves to, an internal address is
 * refused, at registration and again before every delivery (DNS may change). Otherwise a sender could make Kuvert
 * post to services inside its own network and learn from the delivery errors what answers there.
 */
export async function webhookHostProblem(hostname: string): Promise<string | null> {
  const host = hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  } catch {
    return 'the host name does not resolve';
  }
  return addresses.some(isInternalAddress) ? 'the host is an internal address' : null;
}

export function checkUrl(services: Services, url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError(400, 'invalid_url', 'The webhook URL is not an absolute URL.', '/url');
  }
  const httpsOnly = services.config.env === 'production';
  if (parsed.protocol !== 'https:' && (httpsOnly || parsed.protocol !== 'http:')) {
    throw new AppError(400, 'invalid_url', 'The webhook URL must use https.', '/url');
  }
  if (parsed.username || parsed.password) {
    throw new AppError(400, 'invalid_url', 'The webhook URL must not contain credentials.', '/url');
  }
  return parsed.toString();
}

export interface WebhookEndpoint {
  id: string;
  url: string;
  createdAt: string;
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  lastError: string | null;
}

/** An endpoint row as the API shows it (also the business inbox's endpoints, mailbox/inbox-webhooks.ts). */
export const presentWebhookEndpoint = (row: {
  id: string;
  url: string;
  created_at: Date;
  last_success_at: Date | null;
  last_failure_at: Date | null;
  last_error: string | null;
}): WebhookEndpoint => ({
  id: row.id,
  url: row.url,
  createdAt: new Date(row.created_at).toISOString(),
  lastSuccessAt: row.last_success_at ? new Date(row.last_success_at).toISOString() : null,
  lastFailureAt: row.last_failure_at ? new Date(row.last_failure_at).toISOString() : null,
  lastError: row.last_error,
});

/** Registers an endpoint that receives the sender's events from now on; the signing secret is returned once. */
export async function addWebhookEndpoint(
  services: Services,
  caller: SenderCaller,
  url: string,
): Promise<WebhookEndpoint & { secret: string }> {
  const clean = checkUrl(services, url);
  if (services.config.env === 'production') {
    const problem = await webhookHostProblem(new URL(clean).hostname);
    if (problem) throw new AppError(400, 'invalid_url', `The webhook URL cannot be used: ${problem}.`, '/url');
  }
  return services.db.transaction().execute(async (trx) => {
    const count = await trx
      .selectFrom('webhook_endpoint')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('sender_id', '=', caller.senderId)
      .where('deleted_at', 'is', null)
      .executeTakeFirstOrThrow();
    if (Number(count.n) >= MAX_ENDPOINTS) {
      throw new AppError(409, 'too_many_webhooks', `At most ${MAX_ENDPOINTS} webhook endpoints per sender.`, '/url');
    }
    const secret = `whsec_${randomBytes(24).toString('base64url')}`;
    // Start at the feed's present end: a new endpoint gets new events (older ones via replay).
    const row = await trx
      .insertInto('webhook_endpoint')
      .values({
        sender_id: caller.senderId,
        url: clean,
        secret,
        cursor_tx: sql<string>`kuvert_feed_horizon()`,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      ...callerAudit(caller),
      action: 'webhook.add',
      subjectType: 'webhook_endpoint',
      subjectId: row.id,
    });
    return { ...presentWebhookEndpoint(row), secret };
  });
}

export async function listWebhookEndpoints(services: Services, senderId: string): Promise<WebhookEndpoint[]> {
  const rows = await services.db
    .selectFrom('webhook_endpoint')
    .selectAll()
    .where('sender_id', '=', senderId)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .execute();
  return rows.map(presentWebhookEndpoint);
}

export async function removeWebhookEndpoint(services: Services, caller: SenderCaller, id: string): Promise<void> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound('webhook endpoint');
  await services.db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('webhook_endpoint')
      .set({ deleted_at: new Date() })
      .where('id', '=', id)
      .where('sender_id', '=', caller.senderId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw notFound('webhook endpoint');
    await recordAudit(trx, {
      ...callerAudit(caller),
      action: 'webhook.remove',
      subjectType: 'webhook_endpoint',
      subjectId: id,
    });
  });
}

/** Sends the endpoint's events again from a point in time: its cursor moves back to just before that moment. */
export async function replayWebhook(services: Services, caller: SenderCaller, id: string, from: Date): Promise<void> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound('webhook endpoint');
  await services.db.transaction().execute(async (trx) => {
    const endpoint = await trx
      .selectFrom('webhook_endpoint')
      .select('id')
      .where('id', '=', id)
      .where('sender_id', '=', caller.senderId)
      .where('deleted_at', 'is', null)
      .forUpdate()
      .executeTakeFirst();
    if (!endpoint) throw notFound('webhook endpoint');
    // The last event before `from`, in feed order; the cursor goes there so everything from `from` on comes again.
    const before = await sql<{ tx_id: string; id: string }>`
      select tx_id::text as tx_id, (id + cardinality(more_types))::text as id from message_event
      where sender_id = ${caller.senderId} and occurred_at < ${from}
      order by tx_id desc, id desc limit 1`.execute(trx);
    const position = before.rows[0] ?? { tx_id: '0', id: '0' };
    await trx
      .updateTable('webhook_endpoint')
      .set({ cursor_tx: position.tx_id, cursor_id: position.id })
      .where('id', '=', id)
      .execute();
    await scheduleWebhookDispatch(trx, caller.senderId);
    await recordAudit(trx, {
      ...callerAudit(caller),
      action: 'webhook.replay',
      subjectType: 'webhook_endpoint',
      subjectId: id,
      details: { from: from.toISOString() },
    });
  });
}

/**
 * Schedules a dispatch for the sender if it has endpoints. One pending job per sender (job key): events that
 * arrive while it waits ride along, so a burst of events costs one dispatch, not one each.
 */
export async function scheduleWebhookDispatch(trx: Db, senderId: string): Promise<void> {
  await sql`
    select ${enqueueSql(
      'dispatch-webhooks',
      { senderId: sql`${senderId}::text` },
      {
        runAt: sql`now() + interval '1 second'`,
        jobKey: `webhooks:${senderId}`,
        jobKeyMode: 'preserve_run_at',
        maxAttempts: 25,
      },
    )}
    where exists (select 1 from webhook_endpoint where sender_id = ${senderId} and deleted_at is null)`.execute(trx);
}

/**
 * Job "dispatch-webhooks": pushes each endpoint's unsent events in signed batches and advances its cursor after
 * each 2xx. A failing endpoint keeps its cursor and the job throws, so graphile-worker retries with exponential
 * backoff; the other endpoints are not held up. At-least-once: consumers de-duplicate by eventId.
 */
export async function dispatchWebhooks(services: Services, payload: { senderId: string }): Promise<void> {
  const endpoints = await services.db
    .selectFrom('webhook_endpoint')
    .selectAll()
    .where('sender_id', '=', payload.senderId)
    .where('deleted_at', 'is', null)
    .execute();
  const failures: string[] = [];
  let more = false;
  for (const endpoint of endpoints) {
    let position = { txId: endpoint.cursor_tx, id: String(endpoint.cursor_id) };
    for (let page = 0; page < PAGES_PER_RUN; page++) {
      const batch = await readFeed(services.db, payload.senderId, position, PAGE);
      if (batch.events.length === 0 || !batch.last) break;
      const body = JSON.stringify({ events: batch.events });
      const timestamp = Math.floor(Date.now() / 1000);
      let error: string | null = null;
      try {
        const problem =
          services.config.env === 'production' ? await webhookHostProblem(new URL(endpoint.url).hostname) : null;
        if (problem) throw new Error(`not delivered: ${problem}`);
        const response = await fetch(endpoint.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Kuvert-Webhooks/1',
            [SIGNATURE_HEADER]: signWebhook(endpoint.secret, timestamp, body),
          },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(10_000),
        });
        // The answer's body is not wanted: cancelled, never read (an endpoint could stream gigabytes).
        await response.body?.cancel().catch(() => undefined);
        if (response.status < 200 || response.status >= 300) error = `HTTP ${response.status}`;
      } catch (e) {
        error = e instanceof Error ? e.message.slice(0, 200) : 'request failed';
      }
      if (error) {
        await services.db
          .updateTable('webhook_endpoint')
          .set({ last_failure_at: new Date(), last_error: error })
          .where('id', '=', endpoint.id)
          .execute();
        failures.push(endpoint.id);
        break;
      }
      position = batch.last;
      await services.db
        .updateTable('webhook_endpoint')
        .set({ cursor_tx: position.txId, cursor_id: position.id, last_success_at: new Date(), last_error: null })
        .where('id', '=', endpoint.id)
        .execute();
      if (!batch.hasMore) break;
      if (page === PAGES_PER_RUN - 1) more = true;
    }
    // Events of transactions that were still running are not in the feed yet: come back for them.
    if (!failures.includes(endpoint.id) && !more) {
      const pending = await sql<{ n: number }>`
        select 1 as n from message_event
        where sender_id = ${payload.senderId} and (tx_id, id) > (${position.txId}::xid8, ${position.id}::bigint - 2)
          and (tx_id, id + cardinality(more_types)) > (${position.txId}::xid8, ${position.id}::bigint)
        limit 1`.execute(services.db);
      if (pending.rows.length) more = true;
    }
  }
  if (more) await scheduleWebhookDispatch(services.db, payload.senderId);
  if (failures.length) throw new Error(`webhook delivery failed for ${failures.length} endpoint(s); will retry`);
}
