/**
 * The multinode drill (issue 19, item 5) on a running cluster (./cluster.ts): letters sent through one node and read
 * through another with one session, then a bounded load through HAProxy while a server is killed (SIGKILL) and
 * started again, and while another server (started again) and a worker are stopped gracefully (SIGTERM). It
 * reports failed requests per phase, and counts letters and job runs in the database and the workers' logs.
 * `test/multinode.test.ts` asserts on the report; `scripts/multinode.ts --drill` prints it.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../src/db/database.ts';
import { createSession } from '../../src/modules/identity/session.ts';
import { createSender, letterBody, tinyPdf } from '../../test/support/fixtures.ts';
import type { Cluster, ClusterNode } from './cluster.ts';
import { Load, type PhaseFigures } from './multinode-load.ts';

/** Job runs as the workers log them (graphile-worker's "Completed task" / "Failed task", at LOG_LEVEL=debug). */
export class JobLog {
  /** Completed runs per job id. */
  readonly completed = new Map<string, number>();
  /** Completed deliver-message runs per letter id. */
  readonly delivered = new Map<string, number>();
  failed = 0;
  /** Pass to startCluster's onLine. */
  readonly onLine = (node: ClusterNode, line: string) => {
    if (node.role !== 'worker' || !line.includes('task ')) return;
    let entry: { msg?: string; job?: { id?: string; task_identifier?: string; payload?: { messageId?: string } } };
    try {
      entry = JSON.parse(line);
    } catch {
      return;
    }
    if (entry.msg?.startsWith('Failed task ')) this.failed++;
    const job = entry.job;
    if (!entry.msg?.startsWith('Completed task ') || !job?.id) return;
    this.completed.set(job.id, (this.completed.get(job.id) ?? 0) + 1);
    const messageId = job.task_identifier === 'deliver-message' ? job.payload?.messageId : undefined;
    if (messageId) this.delivered.set(messageId, (this.delivered.get(messageId) ?? 0) + 1);
  };
}

export interface DrillReport {
  /** Letters sent through s1 and read, with their documents, through s2 on one session. */
  crossNode: {
    letters: number;
    readThroughOtherNode: number;
    documentsIntact: number;
    sessionOnBoth: boolean;
    /** The first letter sent again through s2 with its messageUuid: answered 200 with the same id, not stored again. */
    resentIsSameLetter: boolean;
  };
  phases: PhaseFigures[];
  /**
   * Why HAProxy took each stopped server out, from its log: "Layer4 connection problem" for the killed one (nothing
   * listens), "Layer7 wrong status, code: 503" for one that drains (readiness turned 503 while it still served).
   */
  takenOutBecause: Record<string, string>;
  /** Exit codes of the processes stopped with SIGTERM (0: a clean stop). */
  gracefulExits: Record<string, number | null>;
  sends: { accepted: number; replayed: number; gaveUp: number };
  letters: { stored: number; lost: number; doubled: number; unacknowledged: number; notAvailable: number };
  /** Letters whose AVAILABLE_TO_RECIPIENT event is missing or repeated. */
  availableEventsNotOne: number;
  jobs: {
    deliverRuns: number;
    lettersNotDeliveredOnce: number;
    jobsRunTwice: number;
    failedRuns: number;
    left: number;
  };
}

const RECIPIENTS = 20;
const BURST = 30;

/** Runs the drill; the cluster must have at least two servers and two workers, with the JobLog's onLine. */
export async function runDrill(
  cluster: Cluster,
  db: Db,
  jobs: JobLog,
  say: (line: string) => void = () => {},
): Promise<DrillReport> {
  const started = Date.now();
  const log = (line: string) => say(`${((Date.now() - started) / 1000).toFixed(1)} s  ${line}`);
  const [s1, s2] = cluster.servers;
  const [w1] = cluster.workers;
  if (!s1 || !s2 || !w1 || cluster.workers.length < 2) throw new Error('the drill needs two servers and two workers');
  const sender = await createSender(db, `Multinode ${randomUUID().slice(0, 8)}`);
  const people = (
    await sql<{ id: string; cpr: string }>`
      insert into recipient (kind, cpr, name, enrolment)
      select 'person', to_char(date '1970-01-01' + i, 'DDMMYY') || '4321', 'Person ' || i, 'automatic'
      from generate_series(0, ${RECIPIENTS - 1}) as i
      returning id, cpr`.execute(db)
  ).rows.sort((a, b) => a.cpr.localeCompare(b.cpr));
  const reader = people[0] as { id: string; cpr: string };
  const { sessionId } = await createSession(
    db,
    { kind: 'citizen', subject: `multinode-${reader.cpr}`, name: 'Person 0', recipientId: reader.id },
    null,
  );
  const cookie = `kuvert_session=${sessionId}`;

  // 1. Sent through s1, read through s2: the session, the letter and its document are every node's.
  const crossNode = {
    letters: 4,
    readThroughOtherNode: 0,
    documentsIntact: 0,
    sessionOnBoth: false,
    resentIsSameLetter: false,
  };
  const sentIds: string[] = [];
  const send = (node: ClusterNode, body: unknown) =>
    fetch(`${node.url}/api/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sender.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const first = letterBody(reader.cpr, { messageUuid: randomUUID(), label: 'Tværs 0' });
  for (let i = 0; i < crossNode.letters; i++) {
    const response = await send(
      s1,
      i === 0 ? first : letterBody(reader.cpr, { messageUuid: randomUUID(), label: `Tværs ${i}` }),
    );
    if (response.status !== 201) throw new Error(`a send through s1 answered ${response.status}`);
    sentIds.push(((await response.json()) as { id: string }).id);
  }
  const resent = await send(s2, first);
  crossNode.resentIsSameLetter = resent.status === 200 && ((await resent.json()) as { id: string }).id === sentIds[0];
  await waitFor(async () => (await countAvailable(db, sentIds)) === sentIds.length, 'the first letters delivered');
  for (const [i, id] of sentIds.entries()) {
    const page = await fetch(`${s2.url}/post/${id}`, { headers: { cookie }, redirect: 'manual' });
    if (page.status === 200 && (await page.text()).includes(`Tværs ${i}`)) crossNode.readThroughOtherNode++;
    const file = await fetch(`${s2.url}/post/${id}/dokumenter/0?download=1`, { headers: { cookie } });
    if (file.status === 200 && Buffer.from(await file.arrayBuffer()).equals(tinyPdf)) crossNode.documentsIntact++;
  }
  const inboxes = await Promise.all(
    [s1, s2].map((s) => fetch(`${s.url}/post`, { headers: { cookie }, redirect: 'manual' }).then((r) => r.status)),
  );
  crossNode.sessionOnBoth = inboxes.every((status) => status === 200);
  log(`cross-node: ${JSON.stringify(crossNode)}`);

  // 2. Load through HAProxy while s1 is killed and started again, then while s2 (started again) and w1 stop gracefully.
  const load = new Load({
    url: cluster.url,
    apiKey: sender.apiKey,
    cprs: people.map((p) => p.cpr),
    cookie,
    body: (cpr, messageUuid) => letterBody(cpr, { messageUuid }),
  });
  const gracefulExits: DrillReport['gracefulExits'] = {};
  const takenOutBecause: DrillReport['takenOutBecause'] = {};
  /** The reason HAProxy logged for the server's first DOWN after log line `from` (its log may lag its state). */
  const downReason = async (name: string, from: number) => {
    const pattern = new RegExp(`Server kuvert/${name} is DOWN, reason: (.+?)(?:, info: .*?)?, check duration`);
    let reason: string | undefined;
    await waitFor(async () => {
      reason = cluster
        .haproxyLog()
        .slice(from)
        .map((line) => pattern.exec(line)?.[1])
        .find(Boolean);
      return reason !== undefined;
    }, `HAProxy's log of ${name} going DOWN`);
    return reason as string;
  };
  load.start('warm-up');
  await load.settle(15);

  load.phase('SIGKILL s1');
  await load.settle(15);
  let mark = cluster.haproxyLog().length;
  process.kill(s1.pid, 'SIGKILL');
  await s1.exited;
  log('s1 killed (SIGKILL)');
  await cluster.waitForServer('s1', 'DOWN');
  takenOutBecause.s1 = await downReason('s1', mark);
  await cluster.restartServer('s1');
  log('s1 started again and UP behind HAProxy');
  await load.settle(15);

  load.phase('SIGTERM s2, w1');
  await load.settle(15);
  const current2 = cluster.servers.find((s) => s.name === 's2') as ClusterNode;
  mark = cluster.haproxyLog().length;
  // A burst of sends as the signal lands: a server that stopped accepting at once would drop those it was sent.
  const burst = load.burst(BURST);
  process.kill(current2.pid, 'SIGTERM');
  process.kill(w1.pid, 'SIGTERM');
  log(`s2 and w1 stopping (SIGTERM), ${BURST} sends at once`);
  await burst;
  [gracefulExits.s2, gracefulExits.w1] = await Promise.all([current2.exited, w1.exited]);
  takenOutBecause.s2 = await downReason('s2', mark);
  log(
    `s2 exited with ${gracefulExits.s2}, w1 with ${gracefulExits.w1}; HAProxy took s1 out for "${takenOutBecause.s1}", s2 for "${takenOutBecause.s2}"`,
  );
  // w2 carries on with the jobs alone; s2 comes back.
  await cluster.restartServer('s2');
  log('s2 started again and UP behind HAProxy');
  await load.settle(15);
  await load.stop();

  // 3. The count: every letter a send was told about stored once, delivered once, by one job run.
  const accepted = load.accepted();
  await waitFor(async () => (await countAvailable(db, [...accepted.values()])) >= accepted.size, 'every letter routed');
  const stored = (
    await sql<{ message_uuid: string; ids: string[]; status: string[]; available_events: number }>`
      select m.message_uuid, array_agg(m.id::text) as ids, array_agg(m.status::text) as status,
        sum((select count(*) from message_event_expanded e
             where e.message_id = m.id and e.type = 'AVAILABLE_TO_RECIPIENT'))::int as available_events
      from message m where m.sender_id = ${sender.id}
      group by m.message_uuid`.execute(db)
  ).rows;
  const byUuid = new Map(stored.map((row) => [row.message_uuid, row]));
  const storedIds = stored.flatMap((row) => row.ids);
  await waitFor(async () => (await jobsLeft(db)) === 0, 'no deliver-message job left');
  return {
    crossNode,
    phases: load.figures(),
    takenOutBecause,
    gracefulExits,
    sends: { accepted: accepted.size, replayed: load.replayed, gaveUp: load.gaveUp },
    letters: {
      stored: storedIds.length,
      lost: [...accepted.keys()].filter((uuid) => !byUuid.has(uuid)).length,
      doubled: stored.filter((row) => row.ids.length > 1).length,
      unacknowledged: stored.filter((row) => !accepted.has(row.message_uuid) && !sentIds.includes(row.ids[0] as string))
        .length,
      notAvailable: stored.filter((row) => row.status.some((s) => s !== 'available')).length,
    },
    availableEventsNotOne: stored.filter((row) => row.available_events !== 1).length,
    jobs: {
      deliverRuns: storedIds.reduce((sum, id) => sum + (jobs.delivered.get(id) ?? 0), 0),
      lettersNotDeliveredOnce: storedIds.filter((id) => jobs.delivered.get(id) !== 1).length,
      jobsRunTwice: [...jobs.completed.values()].filter((n) => n > 1).length,
      failedRuns: jobs.failed,
      left: await jobsLeft(db),
    },
  };
}

/**
 * What the drill must show, as a list of what did not hold (empty: all did). The SIGKILL phase may fail the requests
 * in flight on the killed node; nothing else may fail, and no letter or job may be lost or doubled.
 */
export function drillProblems(report: DrillReport): string[] {
  const problems: string[] = [];
  const expect = (holds: boolean, problem: string) => {
    if (!holds) problems.push(problem);
  };
  const { crossNode, letters, jobs } = report;
  expect(
    crossNode.readThroughOtherNode === crossNode.letters && crossNode.documentsIntact === crossNode.letters,
    `letters sent through s1 not read, with their documents, through s2: ${JSON.stringify(crossNode)}`,
  );
  expect(crossNode.sessionOnBoth, 'the session did not hold on both nodes');
  expect(crossNode.resentIsSameLetter, 'a letter sent again through the other node was not answered as the same one');
  const graceful = report.phases.find((p) => p.name.startsWith('SIGTERM'));
  expect(!!graceful && graceful.requests > 0, 'no load ran through the graceful restart');
  expect(!graceful?.failed, `failed requests in the graceful restart: ${JSON.stringify(graceful?.causes)}`);
  expect(
    report.phases.some((p) => p.name.startsWith('SIGKILL') && p.requests > 0),
    'no load ran through the SIGKILL phase',
  );
  for (const [name, code] of Object.entries(report.gracefulExits)) {
    expect(code === 0, `${name} stopped with SIGTERM exited with ${code}`);
  }
  // Readiness turned 503 first: the load balancer took the stopping server out while it still listened. A server that
  // closed at once is seen as a refused connection, like the killed one.
  expect(
    /^Layer7 wrong status, code: 503/.test(report.takenOutBecause.s2 ?? ''),
    `HAProxy took the stopping s2 out for "${report.takenOutBecause.s2}", not its readiness answering 503`,
  );
  expect(report.sends.gaveUp === 0, `${report.sends.gaveUp} sends never accepted`);
  expect(report.sends.accepted > 20, `only ${report.sends.accepted} letters sent under load`);
  expect(letters.stored === report.sends.accepted + crossNode.letters, `letters stored: ${JSON.stringify(letters)}`);
  expect(letters.lost === 0 && letters.doubled === 0, `letters lost or doubled: ${JSON.stringify(letters)}`);
  expect(letters.unacknowledged === 0, `${letters.unacknowledged} letters stored that no send was told about`);
  expect(letters.notAvailable === 0, `${letters.notAvailable} letters not delivered`);
  expect(report.availableEventsNotOne === 0, `${report.availableEventsNotOne} letters without exactly one AVAILABLE`);
  expect(
    jobs.deliverRuns === letters.stored && jobs.lettersNotDeliveredOnce === 0,
    `routing jobs not run once per letter: ${JSON.stringify(jobs)}`,
  );
  expect(jobs.jobsRunTwice === 0, `${jobs.jobsRunTwice} jobs ran twice`);
  expect(jobs.failedRuns === 0, `${jobs.failedRuns} job runs failed`);
  expect(jobs.left === 0, `${jobs.left} routing jobs left in the queue`);
  return problems;
}

/** The report in a few lines, for a terminal or a test's diagnostics. */
export function drillSummary(report: DrillReport): string[] {
  return [
    ...report.phases.map(
      (p) => `${p.name}: ${p.requests} requests, ${p.failed} failed${p.failed ? ` ${JSON.stringify(p.causes)}` : ''}`,
    ),
    `HAProxy took out: ${Object.entries(report.takenOutBecause)
      .map(([name, reason]) => `${name} for "${reason}"`)
      .join(', ')}; SIGTERM exits: ${JSON.stringify(report.gracefulExits)}`,
    `sends ${JSON.stringify(report.sends)}`,
    `letters ${JSON.stringify(report.letters)}, AVAILABLE events not one: ${report.availableEventsNotOne}`,
    `jobs ${JSON.stringify(report.jobs)}`,
  ];
}

async function countAvailable(db: Db, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const row = await db
    .selectFrom('message')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('id', 'in', ids)
    .where('status', '=', 'available')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function jobsLeft(db: Db): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from graphile_worker.jobs where task_identifier = 'deliver-message'`.execute(db);
  return rows[0]?.n ?? 0;
}

/** Polls until `check` holds; generous, for a machine running other tests beside this one. */
async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not in time: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
