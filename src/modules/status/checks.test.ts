import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createPerson, createSender, letterBody } from '../../../test/support/fixtures.ts';
import { closedPort, type StatusKuvert, startStatusKuvert } from '../../../test/support/status.ts';
import { openDatabase } from '../../db/database.ts';
import { deliverMessage } from '../messages/deliver-message.ts';
import type { ComponentId } from './components.ts';
import { runStatusChecks, type StatusSnapshot } from './run-status-checks.ts';
import { recordStatusSample } from './status.repository.ts';

let kuvert: StatusKuvert;

before(async () => {
  kuvert = await startStatusKuvert({ worker: false });
});
after(async () => kuvert?.stop());

const stateOf = (snapshot: StatusSnapshot, id: ComponentId) => snapshot.components.find((c) => c.id === id);

async function apiStatus() {
  const response = await fetch(`${kuvert.url}/api/v1/status`);
  assert.equal(response.status, 200);
  return (await response.json()) as {
    status: string;
    components: {
      id: string;
      status: string;
      reasons: { code: string; params: Record<string, unknown> }[];
      uptimePercent: number | null;
      history: { date: string; status: string; operationalMinutes: number; degradedMinutes: number }[];
    }[];
    recordsAvailable: boolean;
  };
}

async function addJob(task: string, minutesAgo: number) {
  const { rows } = await sql<{ id: string }>`
    select id from graphile_worker.add_job(${task}::text, '{}'::json,
      run_at => now() - make_interval(mins => ${minutesAgo}))`.execute(kuvert.services.db);
  return rows[0]?.id as string;
}

async function clearJobs() {
  await sql`delete from graphile_worker._private_jobs`.execute(kuvert.services.db);
}

test('with a healthy database, an empty queue and the built-in login, every component is operational', async () => {
  const snapshot = await runStatusChecks(kuvert.services);
  assert.deepEqual(
    snapshot.components.map((c) => [c.id, c.state]),
    ['sending_api', 'mailbox', 'login', 'email', 'sms', 'print'].map((id) => [id, 'operational']),
  );
  assert.ok(snapshot.databaseMs !== null);
  const body = await apiStatus();
  assert.equal(body.status, 'operational');
  assert.equal(body.recordsAvailable, true);
});

test('a check pointed at an unreachable database finds every component down', async () => {
  const dead = openDatabase(`postgresql://postgres@127.0.0.1:${await closedPort()}/nowhere`, 1);
  try {
    const snapshot = await runStatusChecks({ ...kuvert.services, db: dead.db, pool: dead.pool });
    for (const c of snapshot.components) {
      assert.equal(c.state, 'down', c.id);
      assert.ok(
        c.reasons.some((r) => r.code === 'database_unreachable'),
        c.id,
      );
    }
    assert.equal(snapshot.databaseMs, null);
  } finally {
    await dead.db.destroy();
  }
});

test('a database slower than the limit makes every component degraded', async () => {
  const config = { ...kuvert.services.config, status: { ...kuvert.services.config.status, databaseSlowMs: 50 } };
  // A pool of one connection, busy for 300 ms: the check's round trip has to wait for it.
  const busy = openDatabase(kuvert.database.url, 1);
  try {
    const sleeping = sql`select pg_sleep(0.3)`.execute(busy.db);
    const snapshot = await runStatusChecks({ ...kuvert.services, config, db: busy.db, pool: busy.pool });
    await sleeping;
    assert.equal(stateOf(snapshot, 'mailbox')?.state, 'degraded');
    assert.ok(stateOf(snapshot, 'mailbox')?.reasons.some((r) => r.code === 'database_slow'));
    assert.ok((snapshot.databaseMs ?? 0) >= 250);
  } finally {
    await busy.db.destroy();
  }
});

test('overdue delivery jobs turn the sending API degraded, and after an hour down; locked jobs do not count', async () => {
  await clearJobs();
  await addJob('deliver-message', 1);
  assert.equal(stateOf(await runStatusChecks(kuvert.services), 'sending_api')?.state, 'operational');

  const overdue = await addJob('deliver-message', 20);
  await addJob('deliver-message', 12);
  let snapshot = await runStatusChecks(kuvert.services);
  const sending = stateOf(snapshot, 'sending_api');
  assert.equal(sending?.state, 'degraded');
  const lag = sending?.reasons.find((r) => r.code === 'queue_lag');
  assert.equal(lag?.params.task, 'deliver-message');
  assert.ok(Number(lag?.params.seconds) >= 20 * 60 && Number(lag?.params.seconds) < 21 * 60);
  assert.equal(lag?.params.jobs, 3);
  assert.equal(stateOf(snapshot, 'mailbox')?.state, 'operational', 'other components are not affected');
  const body = await apiStatus();
  assert.equal(body.status, 'degraded');
  assert.equal(body.components.find((c) => c.id === 'sending_api')?.status, 'degraded');
  assert.equal(body.components.find((c) => c.id === 'sending_api')?.reasons[0]?.code, 'queue_lag');
  const page = await (await fetch(`${kuvert.url}/drift`)).text();
  assert.match(page, /Dele af Kuvert virker ikke som de skal/);
  assert.match(page, /Arbejde venter: det ældste job har ventet 20 minutter \(3 i kø\)/);

  // A worker is on the oldest and the 12-minute one: the 1-minute job is the oldest waiting.
  await sql`update graphile_worker._private_jobs set locked_at = now(), locked_by = 'test'
    where id in (${overdue}, (select max(id) from graphile_worker._private_jobs where run_at < now() - interval '10 minutes'))`.execute(
    kuvert.services.db,
  );
  snapshot = await runStatusChecks(kuvert.services);
  assert.equal(stateOf(snapshot, 'sending_api')?.state, 'operational');

  await addJob('process-batch', 90);
  snapshot = await runStatusChecks(kuvert.services);
  assert.equal(stateOf(snapshot, 'sending_api')?.state, 'down');
  await clearJobs();
});

test('letters waiting for print for over an hour make print degraded', async () => {
  const db = kuvert.services.db;
  const sender = await createSender(db);
  await createPerson(db, '0101801234', 'Papir Person', 'exempted');
  const response = await fetch(`${kuvert.url}/api/v1/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sender.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(letterBody('0101801234', { messageUuid: crypto.randomUUID() })),
  });
  const receipt = await response.text();
  assert.equal(response.status, 201, receipt);
  const { id } = JSON.parse(receipt) as { id: string };
  await deliverMessage(kuvert.services, { messageId: id });
  assert.equal(stateOf(await runStatusChecks(kuvert.services), 'print')?.state, 'operational');
  await db
    .updateTable('print_job')
    .set({ queued_at: new Date(Date.now() - 2 * 3600_000) })
    .where('message_id', '=', id)
    .execute();
  const print = stateOf(await runStatusChecks(kuvert.services), 'print');
  assert.equal(print?.state, 'degraded');
  assert.equal(print?.reasons[0]?.code, 'print_queue_overdue');
  assert.equal(print?.reasons[0]?.params.letters, 1);
  await db.updateTable('print_job').set({ state: 'cancelled' }).where('message_id', '=', id).execute();
});

test('login is down when the identity provider does not answer its discovery request', async () => {
  const config = kuvert.services.config;
  const elsewhere = {
    ...config,
    oidc: { ...config.oidc, issuer: `http://127.0.0.1:${await closedPort()}/realms/kuvert` },
  };
  const snapshot = await runStatusChecks({ ...kuvert.services, config: elsewhere });
  const login = stateOf(snapshot, 'login');
  assert.equal(login?.state, 'down');
  assert.equal(login?.reasons[0]?.code, 'login_unreachable');
  assert.equal(stateOf(snapshot, 'mailbox')?.state, 'operational');
});

test('the status job counts each check into its day; the API shows the minutes and the uptime', async () => {
  const snapshot = await runStatusChecks(kuvert.services);
  await recordStatusSample(kuvert.services.db, snapshot);
  await recordStatusSample(kuvert.services.db, snapshot);
  const degraded = {
    ...snapshot,
    components: snapshot.components.map((c) =>
      c.id === 'email' ? { ...c, state: 'degraded' as const, reasons: [] } : c,
    ),
  };
  await recordStatusSample(kuvert.services.db, degraded);
  const body = await apiStatus();
  const email = body.components.find((c) => c.id === 'email');
  const today = email?.history.at(-1);
  assert.equal(email?.history.length, 90);
  assert.equal(today?.status, 'degraded');
  assert.equal(today?.operationalMinutes, 2);
  assert.equal(today?.degradedMinutes, 1);
  assert.equal(email?.uptimePercent, 66.66);
  assert.equal(email?.history.at(-2)?.status, 'none');
  assert.equal(body.components.find((c) => c.id === 'sms')?.uptimePercent, 100);
  const page = await (await fetch(`${kuvert.url}/drift`)).text();
  assert.match(page, /66,66 % af målingerne de seneste 90 dage: kører normalt/);
  assert.match(page, /Dage med forstyrrelser \(1\)/);
  assert.match(page, /Nede 0 min\., nedsat 1 min\./);
});

test('with its database gone, /drift still answers: every component down, records unavailable', async () => {
  const other = await startStatusKuvert({ worker: false });
  try {
    await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${other.database.name}`.execute(
      kuvert.services.db,
    );
    await sql.raw(`alter database ${other.database.name} with allow_connections false`).execute(kuvert.services.db);
    await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${other.database.name}`.execute(
      kuvert.services.db,
    );
    const response = await fetch(`${other.url}/api/v1/status`);
    assert.equal(response.status, 200);
    const body = (await response.json()) as { status: string; recordsAvailable: boolean };
    assert.equal(body.status, 'down');
    assert.equal(body.recordsAvailable, false);
    const page = await fetch(`${other.url}/drift`);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /Dele af Kuvert er nede/);
    assert.match(html, /Databasen svarer ikke/);
    assert.doesNotMatch(
      html,
      /ECONNREFUSED|allow_connections|not currently accepting/,
      'no technical detail in public',
    );
  } finally {
    await sql.raw(`alter database ${other.database.name} with allow_connections true`).execute(kuvert.services.db);
    await other.stop();
  }
});
