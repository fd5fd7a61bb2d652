import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { type StatusKuvert, startStatusKuvert } from '../../../test/support/status.ts';

const TOKEN = 'metrics-token-0123456789-abcdefghijklmnop';

/** The value of one sample line (`name{labels} value`) in Prometheus text format. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const inner = line.slice(name.length + 1, line.lastIndexOf('}'));
    const found = Object.fromEntries([...inner.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('with KUVERT_METRICS_TOKEN', () => {
  let kuvert: StatusKuvert;
  before(async () => {
    kuvert = await startStatusKuvert({ worker: false, env: { KUVERT_METRICS_TOKEN: TOKEN } });
  });
  after(async () => kuvert?.stop());

  const scrape = (token?: string) =>
    fetch(`${kuvert.url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  test('/metrics refuses a scrape without the token or with a wrong one', async () => {
    const none = await scrape();
    assert.equal(none.status, 401);
    assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer/);
    assert.doesNotMatch(await none.text(), /kuvert_/);
    assert.equal((await scrape(`${TOKEN}x`)).status, 401);
  });

  test('requests are counted by route pattern and status, with latencies, in Prometheus text format', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await fetch(`${kuvert.url}/api/v1/status`)).status, 200);
    await fetch(`${kuvert.url}/drift/haendelser/00000000-0000-4000-8000-000000000000`);
    await fetch(`${kuvert.url}/no/such/page/12345`);
    const response = await scrape(TOKEN);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    assert.match(text, /# TYPE kuvert_http_requests_total counter/);
    assert.match(text, /# TYPE kuvert_http_request_duration_seconds histogram/);
    assert.equal(sample(text, 'kuvert_http_requests_total', { route: '/api/v1/status', status: '200' }), 3);
    assert.equal(sample(text, 'kuvert_http_requests_total', { route: '/drift/haendelser/:id', status: '404' }), 1);
    assert.equal(sample(text, 'kuvert_http_requests_total', { route: 'unmatched', status: '404' }), 1);
    assert.equal(sample(text, 'kuvert_http_request_duration_seconds_count', { route: '/api/v1/status' }), 3);
    assert.equal(
      sample(text, 'kuvert_http_request_duration_seconds_bucket', { route: '/api/v1/status', le: '+Inf' }),
      3,
    );
    assert.doesNotMatch(text, /12345/, 'raw URLs never become labels');
  });

  test('queue depths and lag per task, component states and deliveries per channel come from the database', async () => {
    const db = kuvert.services.db;
    await sql`select graphile_worker.add_job('deliver-message', '{}'::json, run_at => now() - interval '7 minutes')`.execute(
      db,
    );
    await sql`select graphile_worker.add_job('deliver-message', '{}'::json, run_at => now() + interval '1 day')`.execute(
      db,
    );
    const text = await (await scrape(TOKEN)).text();
    assert.equal(sample(text, 'kuvert_job_queue_jobs', { task: 'deliver-message', state: 'due' }), 1);
    assert.equal(sample(text, 'kuvert_job_queue_jobs', { task: 'deliver-message', state: 'scheduled' }), 1);
    const lag = sample(text, 'kuvert_job_queue_lag_seconds', { task: 'deliver-message' }) ?? 0;
    assert.ok(lag >= 420 && lag < 480, `lag ${lag}`);
    assert.equal(sample(text, 'kuvert_component_state', { component: 'sending_api', state: 'degraded' }), 1);
    assert.equal(sample(text, 'kuvert_component_state', { component: 'sending_api', state: 'operational' }), 0);
    assert.equal(sample(text, 'kuvert_component_state', { component: 'mailbox', state: 'operational' }), 1);
    assert.match(text, /^kuvert_database_up 1$/m);
    assert.match(text, /# TYPE kuvert_deliveries gauge/);
    assert.match(text, /^process_cpu_user_seconds_total /m, 'the process metrics are there too');
  });
});

describe('without KUVERT_METRICS_TOKEN outside production', () => {
  let kuvert: StatusKuvert;
  before(async () => {
    kuvert = await startStatusKuvert({ worker: false });
  });
  after(async () => kuvert?.stop());

  test('/metrics is open (development and tests), and deliveries count letters in the mailbox', async () => {
    const { createPerson, createSender, letterBody } = await import('../../../test/support/fixtures.ts');
    const { deliverMessage } = await import('../messages/deliver-message.ts');
    const db = kuvert.services.db;
    const sender = await createSender(db);
    await createPerson(db, '1503851234', 'Anna');
    const response = await fetch(`${kuvert.url}/api/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sender.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(letterBody('1503851234', { messageUuid: crypto.randomUUID() })),
    });
    const { id } = (await response.json()) as { id: string };
    await deliverMessage(kuvert.services, { messageId: id });
    const metrics = await fetch(`${kuvert.url}/metrics`);
    assert.equal(metrics.status, 200);
    const text = await metrics.text();
    assert.equal(sample(text, 'kuvert_deliveries', { channel: 'mailbox', state: 'available' }), 1);
  });
});
