import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createPerson, createSender, letterBody } from '../../../test/support/fixtures.ts';
import { eventually, startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';
import { SIGNATURE_HEADER, verifyWebhook } from './index.ts';

/** A sender's system: verifies every request's signature with its secret, and can be told to fail. */
function startConsumer() {
  const state = {
    secret: '',
    failWith: 0,
    received: [] as any[],
    badSignatures: 0,
    requests: 0,
  };
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
      state.received.push(...JSON.parse(body).events);
      res.writeHead(204).end();
    });
  });
  return new Promise<{ url: string; state: typeof state; close(): Promise<void> }>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/kuvert-events`,
        state,
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}

let kuvert: TestKuvert;
let sender: Awaited<ReturnType<typeof createSender>>;
let consumer: Awaited<ReturnType<typeof startConsumer>>;

async function api(method: string, path: string, body?: unknown, key = sender.apiKey) {
  const response = await fetch(`${kuvert.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

before(async () => {
  kuvert = await startTestKuvert();
  sender = await createSender(kuvert.services.db, 'Esbjerg Kommune');
  await createPerson(kuvert.services.db, '1503851234', 'Anna Jensen');
  consumer = await startConsumer();
});
after(async () => {
  await kuvert?.stop();
  await consumer?.close();
});

describe('signed webhooks', () => {
  let endpointId = '';

  test('a registered endpoint receives the letter’s events, signed so the consumer can verify them', async () => {
    const added = await api('POST', '/api/v1/webhooks', { url: consumer.url });
    assert.equal(added.status, 201);
    assert.match(added.body.secret, /^whsec_/);
    consumer.state.secret = added.body.secret;
    endpointId = added.body.id;

    const sent = await api('POST', '/api/v1/messages', letterBody('1503851234'));
    assert.equal(sent.status, 201);
    await eventually(async () => consumer.state.received.filter((e) => e.messageId === sent.body.id).length >= 3);
    assert.deepEqual(
      consumer.state.received.filter((e) => e.messageId === sent.body.id).map((e) => e.type),
      ['RECEIVED', 'VALIDATED', 'AVAILABLE_TO_RECIPIENT'],
    );
    assert.equal(consumer.state.badSignatures, 0);
    const listed = await api('GET', '/api/v1/webhooks');
    assert.equal(listed.body.endpoints.length, 1);
    assert.equal(listed.body.endpoints[0].secret, undefined, 'the secret is shown only once');
  });

  test('a failing endpoint is retried and gets every event once it recovers, in order', async () => {
    consumer.state.failWith = 503;
    const before = consumer.state.received.length;
    const sent = await api('POST', '/api/v1/messages', letterBody('1503851234'));
    await eventually(async () => {
      const row = await kuvert.services.db
        .selectFrom('webhook_endpoint')
        .select('last_error')
        .where('id', '=', endpointId)
        .executeTakeFirstOrThrow();
      return row.last_error === 'HTTP 503';
    });
    assert.equal(consumer.state.received.length, before, 'nothing acknowledged while failing');
    consumer.state.failWith = 0;
    await eventually(async () => consumer.state.received.filter((e) => e.messageId === sent.body.id).length >= 3);
    assert.deepEqual(
      consumer.state.received.filter((e) => e.messageId === sent.body.id).map((e) => e.type),
      ['RECEIVED', 'VALIDATED', 'AVAILABLE_TO_RECIPIENT'],
    );
  });

  test('replay sends earlier events again', async () => {
    const count = consumer.state.received.length;
    assert.ok(count >= 6, 'events were delivered before');
    const replay = await api('POST', `/api/v1/webhooks/${endpointId}/replay`, { from: '2000-01-01T00:00:00Z' });
    assert.equal(replay.status, 202);
    await eventually(async () => consumer.state.received.length >= count * 2);
    const ids = consumer.state.received.slice(count).map((e) => e.eventId);
    assert.deepEqual(
      ids,
      consumer.state.received.slice(0, count).map((e) => e.eventId),
    );
  });

  test('a bulk letter’s events, stored as one row, arrive as three; a replay from later starts after them', async () => {
    const messageUuid = randomUUID();
    const submitted = await fetch(`${kuvert.url}/api/v1/batches`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sender.apiKey}`, 'content-type': 'application/x-ndjson' },
      body: `${JSON.stringify({ ...letterBody('1503851234'), messageUuid })}\n`,
    });
    assert.equal(submitted.status, 202);
    const ofBatch = () => consumer.state.received.filter((e) => e.messageUuid === messageUuid);
    await eventually(async () => ofBatch().length >= 3);
    assert.deepEqual(
      ofBatch().map((e) => e.type),
      ['RECEIVED', 'VALIDATED', 'AVAILABLE_TO_RECIPIENT'],
    );
    const batchIds = ofBatch().map((e) => e.eventId);
    assert.equal(new Set(batchIds).size, 3);

    // Replayed from a moment after the batch letter's events: none of them comes again, the next letter's do.
    await new Promise((r) => setTimeout(r, 20));
    const count = consumer.state.received.length;
    const replay = await api('POST', `/api/v1/webhooks/${endpointId}/replay`, { from: new Date().toISOString() });
    assert.equal(replay.status, 202);
    const sent = await api('POST', '/api/v1/messages', letterBody('1503851234'));
    await eventually(async () => consumer.state.received.filter((e) => e.messageId === sent.body.id).length >= 3);
    assert.deepEqual(
      consumer.state.received.slice(count).filter((e) => batchIds.includes(e.eventId)),
      [],
      'nothing of the run before the replay point is sent again',
    );
  });

  test('a signature made with another secret, or too old, does not verify', () => {
    const body = '{"events":[]}';
    const now = Date.now();
    assert.equal(verifyWebhook('whsec_a', `t=${Math.floor(now / 1000)},v1=00`, body, now), false);
    assert.equal(verifyWebhook('whsec_a', 'garbage', body, now), false);
  });

  test('another sender cannot remove or replay our endpoint; bad URLs are refused', async () => {
    const other = await createSender(kuvert.services.db, 'Fanø Kommune');
    assert.equal((await api('DELETE', `/api/v1/webhooks/${endpointId}`, undefined, other.apiKey)).status, 404);
    assert.equal(
      (await api('POST', `/api/v1/webhooks/${endpointId}/replay`, { from: '2020-01-01T00:00:00Z' }, other.apiKey))
        .status,
      404,
    );
    const bad = await api('POST', '/api/v1/webhooks', { url: 'ftp://example.org/x' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'invalid_url');
    assert.equal((await api('DELETE', `/api/v1/webhooks/${endpointId}`)).status, 204);
    assert.equal((await api('GET', '/api/v1/webhooks')).body.endpoints.length, 0);
  });
});
