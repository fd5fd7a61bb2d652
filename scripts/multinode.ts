/**
 * Several Kuvert nodes, one service, on this machine: HAProxy in front of N `kuvert server` processes, and M
 * `kuvert worker` processes, on one PostgreSQL database (scripts/support/cluster.ts).
 *   npm run multinode                          2 servers, 2 workers; prints the address; Ctrl-C stops everything
 *   npm run multinode -- --servers 3 --workers 2 --drain-ms 3000
 *   npm run multinode -- --drill               the failover drill (test/multinode.test.ts) on a fresh database:
 *                                              prints failed requests per phase and the letter and job counts
 * The database: DATABASE_URL (migrated first; with --drill a fresh database is created on that server and dropped
 * afterwards), else an embedded PostgreSQL in a temporary folder. Needs haproxy (/usr/sbin/haproxy, Debian's).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openDatabase } from '../src/db/database.ts';
import { lockDataDir, startEmbeddedPostgres } from '../src/db/embedded.ts';
import { migrate } from '../src/db/migrate.ts';
import { type Cluster, startCluster } from './support/cluster.ts';
import { drillProblems, drillSummary, JobLog, runDrill } from './support/multinode-drill.ts';

const { values } = parseArgs({
  options: {
    servers: { type: 'string', default: '2' },
    workers: { type: 'string', default: '2' },
    'drain-ms': { type: 'string', default: '3000' },
    drill: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  process.stdout.write(
    'Usage: npm run multinode -- [--servers N] [--workers M] [--drain-ms MS] [--drill]\n' +
      '(see the comment at the top of scripts/multinode.ts)\n',
  );
  process.exit(0);
}
const servers = Number(values.servers);
const workers = Number(values.workers);
const drainMs = Number(values['drain-ms']);
const minimum = values.drill ? 2 : 1;
if (![servers, workers].every((n) => Number.isInteger(n) && n >= minimum && n <= 16) || !(drainMs >= 0)) {
  process.stderr.write(
    `--servers and --workers: ${minimum} to 16${values.drill ? ' for the drill' : ''}; --drain-ms ≥ 0\n`,
  );
  process.exit(2);
}

// What to undo at the end, last first.
const cleanups: (() => Promise<void> | void)[] = [];
const cleanUp = async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups.length = 0;
};

/** The database the nodes share, migrated. */
async function database(): Promise<string> {
  let url = process.env.DATABASE_URL;
  if (!url) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kuvert-multinode-pg-'));
    const unlock = lockDataDir(dir);
    process.stdout.write(`Starting an embedded PostgreSQL in ${dir}…\n`);
    const embedded = await startEmbeddedPostgres(dir);
    cleanups.push(
      () => rmSync(dir, { recursive: true, force: true }),
      unlock,
      () => embedded.stop(),
    );
    url = embedded.url;
  } else if (values.drill) {
    // The drill adds a sender and people of its own: never into a database that holds anything else.
    const name = `kuvert_multinode_${randomBytes(4).toString('hex')}`;
    const server = url;
    const admin = async (statement: string) => {
      const client = new pg.Client({ connectionString: server });
      await client.connect();
      await client.query(statement);
      await client.end();
    };
    await admin(`create database ${name}`);
    cleanups.push(() => admin(`drop database if exists ${name} with (force)`));
    const fresh = new URL(url);
    fresh.pathname = `/${name}`;
    url = fresh.toString();
  }
  const { db, pool } = openDatabase(url, 2);
  await migrate(db, pool);
  await db.destroy();
  return url;
}

let cluster: Cluster | undefined;
let stopping = false;
async function stop(signal: 'SIGTERM' | 'SIGKILL', code: number): Promise<never> {
  stopping = true;
  process.stdout.write(`\nStopping the nodes (${signal}) and HAProxy…\n`);
  await cluster?.stop(signal);
  await cleanUp();
  process.exit(code);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  // The first Ctrl-C stops the nodes gracefully; a second kills them.
  process.on(signal, () => void stop(stopping ? 'SIGKILL' : 'SIGTERM', 130));
}

try {
  const databaseUrl = await database();
  const jobs = new JobLog();
  process.stdout.write(`Starting ${servers} servers and ${workers} workers…\n`);
  cluster = await startCluster({
    databaseUrl,
    servers,
    workers,
    drainMs,
    ...(values.drill ? { workerEnv: { LOG_LEVEL: 'debug' }, onLine: jobs.onLine } : {}),
  });
  const nodes = [...cluster.servers, ...cluster.workers]
    .map((n) => `  ${n.name}  pid ${n.pid}${n.url ? `  ${n.url}` : ''}`)
    .join('\n');
  process.stdout.write(
    `\nKuvert runs at ${cluster.url} (HAProxy, pid ${cluster.haproxy.pid}) over:\n${nodes}\n` +
      `Logs: ${cluster.dir}/<node>.log\n`,
  );
  if (!values.drill) {
    process.stdout.write(
      'Try `kill -TERM <pid>` (a graceful stop) or `kill -KILL <pid>` on a server while you use the address.\n' +
        'Ctrl-C stops everything this script started.\n',
    );
    await new Promise(() => {});
  }
  const { db } = openDatabase(databaseUrl, 4);
  const report = await runDrill(cluster, db, jobs, (line) => process.stdout.write(`${line}\n`));
  await db.destroy();
  process.stdout.write(`\n${drillSummary(report).join('\n')}\n`);
  const problems = drillProblems(report);
  process.stdout.write(problems.length ? `\nNOT MET:\n  ${problems.join('\n  ')}\n` : '\nAll met.\n');
  await stop('SIGTERM', problems.length ? 1 : 0);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  await stop('SIGKILL', 1);
}
