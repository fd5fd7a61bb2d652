import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createSender } from '../../../test/support/fixtures.ts';
import { createEnrolledBusiness, inboxCall, sendToBusiness } from '../../../test/support/inbox.ts';
import { eventually, startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';
import { issueTestToken } from '../../../test/support/machine-login.ts';
import { SIGNATURE_HEADER, verifyWebhook } from '../events/index.ts';

const CVR = '30000021';

/** A business's system: verifies each request's signature with its secret, and can be told to fail. */
function startConsumer() {
  const state = { secret: '', failWith: 0, received: [] as any[], badSignatures: 0, requests: 0 };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      state.requests++;
      if (!verifyWebhook(state.secret, String(req.headers[SIGNATURE_HEADER] ?? ''), body)) {
        state.badSignatures++;
        res.writeHead(401).end();
        return;
      }
      if (state.failWith) {
        res.writeHead(state.failWith).end();
        return;
      }
      state.received.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  return new Promise<{ url: string; state: typeof state; close(): Promise<void> }>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/kuvert-inbox`,
        state,
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}

let kuvert: TestKuvert;
let sender: Awaited<ReturnType<typeof createSender>>;
let consumer: Awaited<ReturnType<typeof startConsumer>>;
let token = '';
let readOnly = '';

before(async () => {
  kuvert = await startTestKuvert();
  sender = await createSender(kuvert.services.db, 'Skattestyrelsen');
  const business = await createEnrolledBusiness(kuvert.services.db, CVR, 'Hansen Rør ApS');
  token = (await issueTestToken(kuvert, { businessId: business, scopes: ['inbox:read', 'inbox:write'] })).accessToken;
  readOnly = (await issueTestToken(kuvert, { businessId: business, scopes: ['inbox:read'] })).accessToken;
  consumer = await startConsumer();
});
after(async () => {
  await kuvert?.stop();
  await consumer?.close();
});

describe('inbox webhooks', () => {
  let endpointId = '';

  test('managing endpoints needs inbox:write', async () => {
    const refused = await inboxCall(kuvert, readOnly, 'POST', '/api/v1/inbox/webhooks', { url: consumer.url });
    assert.equal(refused.status, 403);
    const badUrl = await inboxCall(kuvert, token, 'POST', '/api/v1/inbox/webhooks', { url: 'ftp://example.com/x' });
    assert.equal(badUrl.status, 400);
    assert.equal(badUrl.body.code, 'invalid_url');
    assert.equal((await inboxCall(kuvert, sender.apiKey, 'GET', '/api/v1/inbox/webhooks')).status, 403);
  });

  test('a new letter is announced by a signed POST without content', async () => {
    const added = await inboxCall(kuvert, token, 'POST', '/api/v1/inbox/webhooks', { url: consumer.url });
    assert.equal(added.status, 201, added.text);
    assert.match(added.body.secret, /^whsec_/);
    consumer.state.secret = added.body.secret;
    endpointId = added.body.id;
    const listed = await inboxCall(kuvert, token, 'GET', '/api/v1/inbox/webhooks');
    assert.deepEqual(
      listed.body.endpoints.map((e: { id: string; secret?: string }) => [e.id, e.secret]),
      [[endpointId, undefined]],
    );

    const id = await sendToBusiness(kuvert, sender.apiKey, CVR);
    const event = await eventually(async () => consumer.state.received.find((e) => e.letterId === id));
    const availableAt = await kuvert.services.db
      .selectFrom('message')
      .select('available_at')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(event, {
      type: 'LETTER_AVAILABLE',
      letterId: id,
      availableAt: (availableAt.available_at as Date).toISOString(),
    });
    assert.equal(consumer.state.badSignatures, 0);
  });

  test('a failing endpoint keeps its place and is retried until it answers', async () => {
    consumer.state.failWith = 503;
    const before = consumer.state.requests;
    const id = await sendToBusiness(kuvert, sender.apiKey, CVR);
    await eventually(async () => consumer.state.requests > before);
    const failed = await eventually(async () => {
      const row = await kuvert.services.db
        .selectFrom('inbox_webhook_endpoint')
        .select(['last_error', 'last_failure_at'])
        .where('id', '=', endpointId)
        .executeTakeFirstOrThrow();
      return row.last_error ? row : null;
    });
    assert.equal(failed.last_error, 'HTTP 503');
    assert.ok(!consumer.state.received.some((e) => e.letterId === id));
    consumer.state.failWith = 0;
    // graphile-worker's backoff: the retry comes a few seconds later.
    await eventually(async () => consumer.state.received.some((e) => e.letterId === id));
    assert.equal(consumer.state.received.filter((e) => e.letterId === id).length, 1);
    const ok = await kuvert.services.db
      .selectFrom('inbox_webhook_endpoint')
      .select('last_error')
      .where('id', '=', endpointId)
      .executeTakeFirstOrThrow();
    assert.equal(ok.last_error, null);
  });

  test('another business cannot see or remove the endpoint', async () => {
    const other = await createEnrolledBusiness(kuvert.services.db, '30000064', 'Andersen VVS ApS');
    const otherToken = (await issueTestToken(kuvert, { businessId: other, scopes: ['inbox:write'] })).accessToken;
    assert.deepEqual((await inboxCall(kuvert, otherToken, 'GET', '/api/v1/inbox/webhooks')).body.endpoints, []);
    const removed = await inboxCall(kuvert, otherToken, 'DELETE', `/api/v1/inbox/webhooks/${endpointId}`);
    assert.equal(removed.status, 404);
    assert.equal((await inboxCall(kuvert, token, 'GET', '/api/v1/inbox/webhooks')).body.endpoints.length, 1);
  });

  test('a removed endpoint is told nothing more', async () => {
    const removed = await inboxCall(kuvert, token, 'DELETE', `/api/v1/inbox/webhooks/${endpointId}`);
    assert.equal(removed.status, 204);
    assert.equal((await inboxCall(kuvert, token, 'DELETE', `/api/v1/inbox/webhooks/${endpointId}`)).status, 404);
    assert.deepEqual((await inboxCall(kuvert, token, 'GET', '/api/v1/inbox/webhooks')).body.endpoints, []);
    const jobs = await sql<{ n: string }>`
      select count(*)::text as n from graphile_worker.jobs where task_identifier = 'mailbox.inbox-webhooks'`.execute(
      kuvert.services.db,
    );
    const count = Number(jobs.rows[0]?.n);
    await sendToBusiness(kuvert, sender.apiKey, CVR);
    const after = await sql<{ n: string }>`
      select count(*)::text as n from graphile_worker.jobs where task_identifier = 'mailbox.inbox-webhooks'`.execute(
      kuvert.services.db,
    );
    assert.ok(Number(after.rows[0]?.n) <= count, 'no dispatch queued for a mailbox without endpoints');
  });
});
