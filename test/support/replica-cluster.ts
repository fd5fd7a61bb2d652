import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { eventually } from './kuvert.ts';
import { freePort } from './ports.ts';

/**
 * A real PostgreSQL 15 primary and a streaming replica of it (pg_basebackup -R, a replication slot), on ports found
 * by binding port 0, for tests of replica reads. As root the servers run as the OS user `postgres` (PostgreSQL
 * refuses root). Every server started is stopped by its postmaster's PID, even when a start failed halfway.
 */
const BIN = process.env.KUVERT_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const asRoot = process.getuid?.() === 0;

export interface Server {
  url: string;
  dataDir: string;
  /** The postmaster's PID (from postmaster.pid). */
  pid: number;
}

export interface ReplicaCluster {
  primary: Server;
  replica: Server;
  /** Runs one statement on a server (its own short connection). */
  query<T = Record<string, unknown>>(server: Server, text: string): Promise<T[]>;
  /** Stops the replica (fast shutdown, as `pg_ctl stop` does). */
  stopReplica(): Promise<void>;
  /** Stops both servers by PID (immediate) and removes their folders. */
  destroy(): Promise<void>;
}

function run(command: string, args: string[]): Promise<{ code: number; output: string }> {
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  return new Promise((resolve) => {
    execFile(file, argv, { timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

function postmasterPid(dataDir: string): number | null {
  const file = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

function alive(pid: number): boolean {
  if (!(pid > 0)) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts a server on a free port; another test's server may take the port first, so it tries again elsewhere. */
async function startServer(dataDir: string, settings: string[], started: Set<string>): Promise<Server> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const options = [
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      ...settings,
    ]
      .map((o) => (o.startsWith('-') ? o : `'${o}'`))
      .join(' ');
    started.add(dataDir);
    const log = path.join(dataDir, '..', `${path.basename(dataDir)}.log`);
    const result = await run(`${BIN}/pg_ctl`, ['start', '-w', '-t', '120', '-D', dataDir, '-l', log, '-o', options]);
    const pid = postmasterPid(dataDir);
    if (result.code === 0 && pid) return { url: `postgresql://postgres@127.0.0.1:${port}/postgres`, dataDir, pid };
    if (pid && alive(pid)) process.kill(pid, 'SIGKILL');
    const logText = existsSync(log) ? readFileSync(log, 'utf8') : '';
    if (attempt >= 5 || !/could not (bind|create any TCP\/IP sockets)|Address already in use/.test(logText)) {
      throw new Error(`PostgreSQL did not start in ${dataDir}: ${result.output}\n${logText.slice(-2000)}`);
    }
  }
}

/**
 * A primary (wal_level replica, one physical slot) and a hot standby that applies each commit `applyDelay` after it
 * was made (recovery_min_apply_delay), so the lag is real.
 */
export async function startReplicaCluster(options: { applyDelay: string }): Promise<ReplicaCluster> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'kuvert-replica-'));
  if (asRoot) {
    const uid = Number((await runPlain('id', ['-u', 'postgres'])).trim());
    const gid = Number((await runPlain('id', ['-g', 'postgres'])).trim());
    chownSync(root, uid, gid);
  }
  const started = new Set<string>();
  const servers: Server[] = [];
  const stopAll = async () => {
    // Every postmaster started, by PID (a start that failed halfway may still have left one).
    const pids = new Set([...servers.map((server) => server.pid)]);
    for (const dir of started) {
      const pid = postmasterPid(dir);
      if (pid) pids.add(pid);
    }
    const living = () => [...pids].filter(alive);
    for (const pid of living()) process.kill(pid, 'SIGQUIT');
    // An immediate shutdown takes a moment; whatever is left then is killed.
    await eventually(async () => living().length === 0, 10_000).catch(() => {
      for (const pid of living()) process.kill(pid, 'SIGKILL');
    });
    rmSync(root, { recursive: true, force: true });
  };
  const query = async <T>(server: Server, text: string): Promise<T[]> => {
    const client = new pg.Client({ connectionString: server.url, connectionTimeoutMillis: 10_000 });
    client.on('error', () => {});
    await client.connect();
    try {
      return (await client.query(text)).rows as T[];
    } finally {
      await client.end().catch(() => {});
    }
  };
  try {
    const primaryDir = path.join(root, 'primary');
    const init = await run(`${BIN}/initdb`, [
      '-D',
      primaryDir,
      '-U',
      'postgres',
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--locale=C.UTF-8',
      '--no-sync',
    ]);
    if (init.code !== 0) throw new Error(`initdb failed: ${init.output}`);
    const primary = await startServer(
      primaryDir,
      ['-c', 'wal_level=replica', '-c', 'max_wal_senders=4', '-c', 'max_replication_slots=4', '-c', 'fsync=off'],
      started,
    );
    servers.push(primary);
    await query(primary, "select pg_create_physical_replication_slot('kuvert_test_replica')");
    const replicaDir = path.join(root, 'replica');
    const backup = await run(`${BIN}/pg_basebackup`, [
      '-d',
      primary.url,
      '-D',
      replicaDir,
      '-R',
      '-S',
      'kuvert_test_replica',
      '-X',
      'stream',
      '-c',
      'fast',
      '--no-sync',
    ]);
    if (backup.code !== 0) throw new Error(`pg_basebackup failed: ${backup.output}`);
    const replica = await startServer(
      replicaDir,
      [
        '-c',
        'hot_standby=on',
        '-c',
        'hot_standby_feedback=on',
        '-c',
        `recovery_min_apply_delay=${options.applyDelay}`,
        '-c',
        'fsync=off',
      ],
      started,
    );
    servers.push(replica);
    return {
      primary,
      replica,
      query,
      async stopReplica() {
        const result = await run(`${BIN}/pg_ctl`, ['stop', '-w', '-t', '60', '-m', 'fast', '-D', replica.dataDir]);
        if (result.code !== 0 && alive(replica.pid)) process.kill(replica.pid, 'SIGKILL');
      },
      destroy: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function runPlain(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });
}
