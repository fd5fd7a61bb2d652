import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Cluster, startCluster } from '../scripts/support/cluster.ts';
import { drillProblems, drillSummary, JobLog, runDrill } from '../scripts/support/multinode-drill.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';

// Several nodes, one service (issue 19, item 5): two servers behind HAProxy and two workers on one fresh database.
let database: TestDatabase | undefined;
let cluster: Cluster | undefined;
const jobs = new JobLog();

before(async () => {
  database = await createTestDatabase();
  cluster = await startCluster({
    databaseUrl: database.url,
    servers: 2,
    workers: 2,
    // Several times HAProxy's check interval (500 ms): a busy CI machine can delay a check.
    drainMs: 3000,
    env: { NODE_ENV: 'test', KUVERT_STATUS_DB_SLOW_MS: '60000' },
    // Each job run's completion is a debug line of the worker's.
    workerEnv: { LOG_LEVEL: 'debug' },
    onLine: jobs.onLine,
  });
});

after(async () => {
  // Whatever happened: every process this file started ends, by its PID, before the database goes.
  await cluster?.stop('SIGKILL');
  await database?.drop();
});

test('letters through one node read through another; a server killed and restarted, another restarted and a worker stopped gracefully: no request fails in the graceful restart, no letter or job lost or doubled', async (t) => {
  if (!cluster || !database) throw new Error('the cluster did not start');
  const report = await runDrill(cluster, database.db, jobs, (line) => t.diagnostic(line));
  for (const line of drillSummary(report)) t.diagnostic(line);
  // The rules are drillProblems' (scripts/support/multinode-drill.ts), shared with `npm run multinode -- --drill`:
  // the SIGKILL phase may fail requests in flight on the killed node; the graceful restart none; every letter
  // accepted is stored once and made available once by one job run, and none is left.
  assert.deepEqual(drillProblems(report), []);
  assert.ok(report.sends.accepted > 20);
});
