import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { AppError, notFound } from '../../http/problem.ts';
import { enqueueSql } from '../../jobs/queue.ts';
import type { BusinessCaller } from '../../kernel/actor.ts';
import type { Services } from '../../services.ts';
import { recordAudit } from '../audit/index.ts';
import {
  checkWebhookUrl,
  presentWebhookEndpoint,
  SIGNATURE_HEADER,
  signWebhook,
  type WebhookEndpoint,
  webhookHostProblem,
} from '../events/index.ts';
import { ownInbox } from './inbox-api.ts';

const MAX_ENDPOINTS = 5;
/** Letters posted per endpoint and run; a run that leaves more queues the next. */
const PER_RUN = 100;

/** A business inbox's webhook endpoint: the same shape as a sender's. */
export type InboxWebhookEndpoint = WebhookEndpoint;
const present = presentWebhookEndpoint;

/** Registers an endpoint that is told of the business's letters from now on; the signing secret is returned once. */
export async function addInboxWebhook(
  services: Services,
  callerIn: BusinessCaller | null,
  url: string,
): Promise<InboxWebhookEndpoint & { secret: string }> {
  const mailboxId = ownInbox(callerIn, 'write');
  const caller = callerIn as BusinessCaller;
  const clean = checkWebhookUrl(services, url);
  if (services.config.env === 'production') {
    const problem = await webhookHostProblem(new URL(clean).hostname);
    if (problem) throw new AppError(400, 'invalid_url', `The webhook URL cannot be used: ${problem}.`, '/url');
  }
  return services.db.transaction().execute(async (trx) => {
    // One registration at a time per mailbox, so the limit holds under concurrent calls.
    await sql`select pg_advisory_xact_lock(hashtext('inbox-webhooks'), hashtext(${mailboxId}))`.execute(trx);
    const count = await trx
      .selectFrom('inbox_webhook_endpoint')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('mailbox_id', '=', mailboxId)
      .where('deleted_at', 'is', null)
      .executeTakeFirstOrThrow();
    if (Number(count.n) >= MAX_ENDPOINTS) {
      throw new AppError(409, 'too_many_webhooks', `At most ${MAX_ENDPOINTS} webhook endpoints per mailbox.`, '/url');
    }
    const secret = `whsec_${randomBytes(24).toString('base64url')}`;
    // From the present end of the inbox order: letters of transactions still running are still to come.
    const row = await trx
      .insertInto('inbox_webhook_endpoint')
      .values({
        mailbox_id: mailboxId,
        url: clean,
        secret,
        created_by: caller.clientId,
        cursor_tx: sql<string>`kuvert_feed_horizon()`,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actorKind: 'system_client',
      actorId: caller.clientId,
      action: 'inbox_webhook.add',
      subjectType: 'inbox_webhook_endpoint',
      subjectId: row.id,
      mailboxRecipientId: mailboxId,
    });
    return { ...present(row), secret };
  });
}

export async function listInboxWebhooks(
  services: Services,
  callerIn: BusinessCaller | null,
): Promise<InboxWebhookEndpoint[]> {
  const mailboxId = ownInbox(callerIn, 'write');
  const rows = await services.db
    .selectFrom('inbox_webhook_endpoint')
    .selectAll()
    .where('mailbox_id', '=', mailboxId)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .execute();
  return rows.map(present);
}

export async function removeInboxWebhook(services: Services, callerIn: BusinessCaller | null, id: string) {
  const mailboxId = ownInbox(callerIn, 'write');
  const caller = callerIn as BusinessCaller;
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound('webhook endpoint');
  await services.db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('inbox_webhook_endpoint')
      .set({ deleted_at: new Date() })
      .where('id', '=', id.toLowerCase())
      .where('mailbox_id', '=', mailboxId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw notFound('webhook endpoint');
    await recordAudit(trx, {
      actorKind: 'system_client',
      actorId: caller.clientId,
      action: 'inbox_webhook.remove',
      subjectType: 'inbox_webhook_endpoint',
      subjectId: id.toLowerCase(),
      mailboxRecipientId: mailboxId,
    });
  });
}

/** Queues a dispatch for the mailbox (one pending job per mailbox; the delivery trigger queues its own). */
export async function scheduleInboxWebhooks(db: Db, mailboxId: string): Promise<void> {
  await sql`select ${enqueueSql(
    'mailbox.inbox-webhooks',
    { mailboxId },
    {
      runAt: sql`now() + interval '1 second'`,
      jobKey: `inbox-webhooks:${mailboxId}`,
      jobKeyMode: 'preserve_run_at',
      maxAttempts: 25,
    },
  )}`.execute(db);
}

/** The letters after an endpoint's cursor that may be told: committed before every running transaction began. */
async function lettersAfter(db: Db, mailboxId: string, txId: string, seq: string, limit: number) {
  const rows = await sql<{ tx_id: string; seq: string; id: string; available_at: Date }>`
    select il.tx_id::text as tx_id, il.seq::text as seq, il.message_id as id, il.available_at
    from inbox_letter il join message m on m.id = il.message_id
    where il.mailbox_id = ${mailboxId} and il.tx_id < (select kuvert_feed_horizon())
      and (il.tx_id, il.seq) > (${txId}::xid8, ${seq}::bigint) and m.recalled_at is null
    order by il.tx_id, il.seq
    limit ${limit}`.execute(db);
  return rows.rows;
}

/** POSTs one signed event; null on a 2xx, else what went wrong. */
async function post(services: Services, endpoint: { url: string; secret: string }, body: string) {
  try {
    const problem =
      services.config.env === 'production' ? await webhookHostProblem(new URL(endpoint.url).hostname) : null;
    if (problem) return `not delivered: ${problem}`;
    const response = await fetch(endpoint.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Kuvert-Webhooks/1',
        [SIGNATURE_HEADER]: signWebhook(endpoint.secret, Math.floor(Date.now() / 1000), body),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(10_000),
    });
    // The answer's body is not wanted: cancelled, never read.
    await response.body?.cancel().catch(() => undefined);
    return response.status >= 200 && response.status < 300 ? null : `HTTP ${response.status}`;
  } catch (e) {
    return e instanceof Error ? e.message.slice(0, 200) : 'request failed';
  }
}

/**
 * Job "mailbox.inbox-webhooks": tells each endpoint of the mailbox about its letters after its cursor, one signed
 * POST `{type: 'LETTER_AVAILABLE', letterId, availableAt}` per letter (no content: the system fetches it with its
 * token), advancing the cursor after each 2xx. A failing endpoint keeps its cursor and the job throws, so
 * graphile-worker retries with exponential backoff. At least once: consumers de-duplicate by letterId.
 */
export async function dispatchInboxWebhooks(services: Services, payload: { mailboxId: string }): Promise<void> {
  const endpoints = await services.db
    .selectFrom('inbox_webhook_endpoint')
    .selectAll()
    .where('mailbox_id', '=', payload.mailboxId)
    .where('deleted_at', 'is', null)
    .execute();
  let failures = 0;
  let more = false;
  for (const endpoint of endpoints) {
    let position = { txId: endpoint.cursor_tx, seq: String(endpoint.cursor_seq) };
    const letters = await lettersAfter(services.db, payload.mailboxId, position.txId, position.seq, PER_RUN);
    let failed = false;
    for (const letter of letters) {
      const body = JSON.stringify({
        type: 'LETTER_AVAILABLE',
        letterId: letter.id,
        availableAt: new Date(letter.available_at).toISOString(),
      });
      const error = await post(services, endpoint, body);
      if (error) {
        await services.db
          .updateTable('inbox_webhook_endpoint')
          .set({ last_failure_at: new Date(), last_error: error })
          .where('id', '=', endpoint.id)
          .execute();
        failed = true;
        failures++;
        break;
      }
      position = { txId: letter.tx_id, seq: letter.seq };
      await services.db
        .updateTable('inbox_webhook_endpoint')
        .set({ cursor_tx: position.txId, cursor_seq: position.seq, last_success_at: new Date(), last_error: null })
        .where('id', '=', endpoint.id)
        .execute();
    }
    if (failed) continue;
    if (letters.length === PER_RUN) more = true;
    // Letters of transactions that were still running are not handed out yet: come back for them.
    const pending = await sql<{ n: number }>`
      select 1 as n from inbox_letter il join message m on m.id = il.message_id
      where il.mailbox_id = ${payload.mailboxId} and m.recalled_at is null
        and (il.tx_id, il.seq) > (${position.txId}::xid8, ${position.seq}::bigint)
      limit 1`.execute(services.db);
    if (pending.rows.length) more = true;
  }
  if (more) await scheduleInboxWebhooks(services.db, payload.mailboxId);
  if (failures) throw new Error(`inbox webhook delivery failed for ${failures} endpoint(s); will retry`);
}
