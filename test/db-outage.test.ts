import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { type Db, openDatabase } from '../src/db/database.ts';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../src/db/embedded.ts';
import { migrate } from '../src/db/migrate.ts';
import { createSession } from '../src/modules/identity/session.ts';
import { createSender, tinyPdf } from './support/fixtures.ts';
import { eventually } from './support/kuvert.ts';
import { type SmsGatewayPeer, startSmsGatewayPeer } from './support/sms-http-peer.ts';

// A few hundred letters in two batches: enough to have work in flight, small enough for a 2-core CI machine.
const LETTERS = 200;

let pgDir: string;
let dataDir: string;
let postgres: EmbeddedDatabase | null = null;
let db: Db;
let gateway: SmsGatewayPeer;
let kuvert: ChildProcess | null = null;
let output = '';

before(async () => {
  pgDir = mkdtempSync(path.join(os.tmpdir(), 'kuvert-outage-pg-'));
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'kuvert-outage-data-'));
  // Our own PostgreSQL, not the suite's: this test kills it.
  postgres = await startEmbeddedPostgres(pgDir);
  const opened = openDatabase(postgres.url, 4);
  db = opened.db;
  await migrate(db, opened.pool);
  gateway = await startSmsGatewayPeer();
});

after(async () => {
  if (kuvert && kuvert.exitCode === null) kuvert.kill('SIGKILL');
  await db?.destroy().catch(() => {});
  await postgres?.stop().catch(() => {});
  await gateway?.stop();
  rmSync(pgDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

/** `kuvert start` on our PostgreSQL, as operators run it; resolves with its URL once /readyz answers. */
async function startKuvert(): Promise<string> {
  kuvert = spawn(process.execPath, ['bin/kuvert.js', 'start'], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: postgres?.url ?? '',
      KUVERT_SEED: 'false',
      KUVERT_DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      KUVERT_SMS_TRANSPORT: 'http',
      KUVERT_SMS_HTTP_URL: gateway.url,
      KUVERT_SMS_HTTP_TIMEOUT_MS: '120000',
      KUVERT_NOTIFY_COALESCE_SECONDS: '0',
      KUVERT_NOTIFY_SMS_FROM_HOUR: '0',
      KUVERT_NOTIFY_SMS_UNTIL_HOUR: '24',
      KUVERT_NOTIFY_RETRY_BASE_SECONDS: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let url: string | undefined;
  const keep = (chunk: Buffer) => {
    output = (output + chunk).slice(-20_000); // the end of the log, for a failure's message
    url ??= /Kuvert is running at (http:\/\/localhost:\d+)/.exec(output)?.[1];
  };
  kuvert.stdout?.on('data', keep);
  kuvert.stderr?.on('data', keep);
  const child = kuvert;
  return eventually(async () => {
    if (child.exitCode !== null) throw new Error(`kuvert exited with ${child.exitCode}:\n${output.slice(-3000)}`);
    if (!url) return null;
    return (await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    ))
      ? url
      : null;
  }, 180_000);
}

/** Kills the postmaster as `kill -9` would; its backends end when they notice. */
function killPostgres(): void {
  const pid = Number(readFileSync(path.join(pgDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
  process.kill(pid, 'SIGKILL');
}

/** Starts PostgreSQL again on the same data and port, once the killed one's backends have gone. */
async function restartPostgres(port: number): Promise<void> {
  postgres = await eventually(() => startEmbeddedPostgres(pgDir, { port }).catch(() => null), 120_000);
}

const ndjson = (cprs: string[], tag: string) =>
  cprs
    .map((cpr, i) =>
      JSON.stringify({
        messageUuid: randomUUID(),
        recipient: { cpr },
        label: `${tag} ${i}`,
        documents: [
          { title: 'Brev', filename: 'brev.pdf', mediaType: 'application/pdf', content: tinyPdf.toString('base64') },
        ],
      }),
    )
    .join('\n');

test('a PostgreSQL killed mid-work: Kuvert lives, answers 503, and finishes every letter and SMS exactly once', async (t) => {
  const sender = await createSender(db, 'Outage Kommune');
  await sql`
    insert into recipient (kind, cpr, name, enrolment)
    select 'person', to_char(date '1960-01-01' + i, 'DDMMYY') || '4321', 'Person ' || i, 'automatic'
    from generate_series(0, ${LETTERS - 1}) as i
  `.execute(db);
  await sql`
    insert into contact_detail (recipient_id, kind, value, created_at, confirmed_at, last_confirmed_at)
    select id, 'mobile', '+45' || (30000000 + row_number() over (order by cpr)), now() - interval '1 day',
      now() - interval '1 day', now() - interval '1 day'
    from recipient
  `.execute(db);
  const people = (await sql<{ id: string; cpr: string }>`select id, cpr from recipient order by cpr`.execute(db)).rows;
  const { sessionId } = await createSession(
    db,
    { kind: 'citizen', subject: 'outage-test', name: 'Person 0', recipientId: (people[0] as { id: string }).id },
    null,
  );
  const cookie = `kuvert_session=${sessionId}`;
  const port = Number(new URL(postgres?.url ?? '').port);

  const base = await startKuvert();
  const api = (pathname: string, init: RequestInit = {}) =>
    fetch(`${base}${pathname}`, {
      ...init,
      headers: { authorization: `Bearer ${sender.apiKey}`, ...(init.headers as Record<string, string>) },
    });
  const submit = async (tag: string) => {
    const response = await api('/api/v1/batches', {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: ndjson(
        people.map((p) => p.cpr),
        tag,
      ),
    });
    assert.equal(response.status, 202);
    return ((await response.json()) as { id: string }).id;
  };
  const batchState = async (id: string) => {
    const response = await api(`/api/v1/batches/${id}`);
    if (!response.ok) return null;
    const body = (await response.json()) as { state: string; counts: { accepted: number; failed: number } };
    return ['completed', 'failed', 'cancelled'].includes(body.state) ? body : null;
  };
  assert.equal((await fetch(`${base}/post`, { headers: { cookie } })).status, 200);

  // 1. A first batch, routed; its SMS notifications go out, and the gateway holds its answers: a run in flight.
  const first = await submit('Første');
  await eventually(() => batchState(first), 120_000);
  gateway.hold = true;
  await sql`select graphile_worker.add_job('notify-sweep', '{}'::json)`.execute(db);
  await eventually(async () => gateway.held > 0, 120_000);

  // 2. A second batch, page requests under way, and the postmaster is killed.
  const second = await submit('Anden');
  const pagesInFlight = Array.from({ length: 5 }, () =>
    fetch(`${base}/post`, { headers: { cookie } }).then(
      (r) => r.status,
      () => 0,
    ),
  );
  killPostgres();
  t.diagnostic('postmaster killed');
  gateway.release();

  // 3. While it is away Kuvert lives: the API answers 503 problem+json, pages a friendly 503, both with Retry-After.
  const apiDown = await eventually(async () => {
    const response = await api(`/api/v1/batches/${second}`);
    return response.status === 503 ? response : null;
  }, 60_000);
  assert.equal(apiDown.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  assert.ok(Number(apiDown.headers.get('retry-after')) > 0);
  assert.equal(((await apiDown.json()) as { code: string }).code, 'database_unavailable');
  const page = await fetch(`${base}/post`, { headers: { cookie } });
  assert.equal(page.status, 503);
  assert.ok(Number(page.headers.get('retry-after')) > 0);
  assert.match(await page.text(), /Kuvert kan ikke nås lige nu/);
  // Logging in needs the database too (the built-in provider keeps its state there): a 503, not the provider's 500.
  const login = await fetch(`${base}/login?returnTo=/post`);
  assert.equal(login.status, 503, `login while the database is away: ${login.url}`);
  assert.match(await login.text(), /Kuvert kan ikke nås lige nu/);
  // The 503 page keeps its look: stylesheets need no session, so they are served while the database is away.
  assert.equal((await fetch(`${base}/assets/kuvert.css`, { headers: { cookie } })).status, 200);
  const notReady = await fetch(`${base}/readyz`);
  assert.equal(notReady.status, 503);
  assert.ok(Number(notReady.headers.get('retry-after')) > 0, 'readiness says when to look again');
  for (const status of await Promise.all(pagesInFlight)) {
    assert.ok([200, 503].includes(status), `a page in flight answered ${status}`);
  }
  assert.equal(kuvert?.exitCode, null, `Kuvert died:\n${output.slice(-3000)}`);

  // 4. PostgreSQL comes back on the same data; Kuvert picks up by itself.
  await restartPostgres(port);
  t.diagnostic('postgres restarted');
  await eventually(() => fetch(`${base}/readyz`).then((r) => r.ok), 60_000);
  const done = await Promise.all([first, second].map((id) => eventually(() => batchState(id), 180_000)));
  for (const batch of done) {
    assert.equal(batch.state, 'completed');
    assert.equal(batch.counts.accepted, LETTERS);
    assert.equal(batch.counts.failed, 0);
  }
  const letters = await sql<{ n: string; uuids: string }>`
    select count(*) as n, count(distinct message_uuid) as uuids from message where sender_id = ${sender.id}
  `.execute(db);
  assert.equal(Number(letters.rows[0]?.n), 2 * LETTERS, 'no letter lost, none twice');
  assert.equal(Number(letters.rows[0]?.uuids), 2 * LETTERS);
  await eventually(async () => {
    const routed = await sql<{ n: string }>`
      select count(*) as n from message where sender_id = ${sender.id} and available_at is not null
    `.execute(db);
    return Number(routed.rows[0]?.n) === 2 * LETTERS;
  }, 120_000);

  // 5. Every notification is sent, each once at the gateway, none asked for twice.
  await sql`select graphile_worker.add_job('notify-sweep', '{}'::json)`.execute(db);
  const notifications = await eventually(async () => {
    const open = await sql<{ n: string }>`
      select (select count(*) from notify_pending) + (select count(*) from notification where state <> 'sent') as n
    `.execute(db);
    if (Number(open.rows[0]?.n) > 0) return null;
    return (await sql<{ dedup_key: string }>`select dedup_key from notification`.execute(db)).rows;
  }, 180_000);
  assert.ok(notifications.length >= LETTERS, `${notifications.length} notifications`);
  const known = new Set(notifications.map((n) => n.dedup_key));
  const strays = [...gateway.sent.values()].filter((r) => !known.has(r.key ?? ''));
  assert.deepEqual(strays, [], 'no SMS but for a notification');
  assert.equal(gateway.sent.size, notifications.length, 'one SMS per notification');
  for (const { dedup_key } of notifications) {
    assert.ok(gateway.sent.has(dedup_key));
    assert.equal(gateway.requests.filter((r) => r.key === dedup_key).length, 1, 'sent once, never retried');
  }

  // 6. No job of the batches is left behind (locked by the runner that died, or failed).
  await eventually(async () => {
    const left = await sql<{ n: string }>`
      select count(*) as n from graphile_worker.jobs
      where task_identifier in ('process-batch', 'deliver-batch-chunk', 'deliver-message')
    `.execute(db);
    return Number(left.rows[0]?.n) === 0;
  }, 120_000);
  assert.equal(kuvert?.exitCode, null);
  const exited = new Promise((resolve) => kuvert?.once('exit', (code) => resolve(code)));
  kuvert?.kill('SIGTERM');
  assert.equal(await exited, 0, output.slice(-3000));
});
