import { appendFileSync, chownSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { type CliResult, runProcess } from './cli.ts';
import { freePort } from './ports.ts';

/** Debian's PostgreSQL 15 programs (KUVERT_PG_BINDIR to use others). */
export const pgBin = process.env.KUVERT_PG_BINDIR ?? '/usr/lib/postgresql/15/bin';
const asRoot = process.getuid?.() === 0;

export type Run = CliResult;

/** Runs a program to its end; rejects, with its output, unless it exits 0. */
export async function run(command: string, args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  const result = await runProcess(command, args, env);
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${result.code}\n${result.stdout}${result.stderr}`);
  }
  return result;
}

/** A PostgreSQL server program, as the `postgres` OS user when we are root (PostgreSQL refuses to run as root). */
export function runPg(program: string, args: readonly string[]): Promise<Run> {
  const bin = path.join(pgBin, program);
  return asRoot ? run('runuser', ['-u', 'postgres', '--', bin, ...args]) : run(bin, args);
}

/** A folder the PostgreSQL server may write to: handed to `postgres` when we are root. */
export function serverFolder(dir: string): string {
  mkdirSync(path.dirname(dir), { recursive: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (asRoot) {
    const entry = /^postgres:[^:]*:(\d+):(\d+):/m.exec(readFileSync('/etc/passwd', 'utf8'));
    if (!entry) throw new Error('running as root needs the OS user postgres to run PostgreSQL as');
    chownSync(dir, Number(entry[1]), Number(entry[2]));
  }
  return dir;
}

/** A new cluster in `dataDir` (trust authentication: the test's own, on 127.0.0.1 and a socket folder only). */
export async function initCluster(dataDir: string, settings: Record<string, string>): Promise<void> {
  await runPg('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const lines = Object.entries(settings).map(([name, value]) => `${name} = '${value.replaceAll("'", "''")}'`);
  appendFileSync(path.join(dataDir, 'postgresql.conf'), `${lines.join('\n')}\n`);
}

export interface RunningCluster {
  port: number;
  url(database: string): string;
  query<T extends pg.QueryResultRow>(database: string, text: string, values?: unknown[]): Promise<T[]>;
  /** Stops the server (immediate: the test is done with it), by the PID in postmaster.pid. */
  stop(): Promise<void>;
}

/**
 * Starts PostgreSQL on `dataDir`, listening on 127.0.0.1 on a free port and on a socket in `socketDir`. The port is
 * found by binding port 0; another process may take it before the server binds it (test files run in parallel),
 * and then the server is started again on another.
 */
export async function startCluster(
  dataDir: string,
  socketDir: string,
  options: Record<string, string> = {},
): Promise<RunningCluster> {
  const settings = Object.entries(options).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const log = path.join(socketDir, `postgres-${port}.log`);
    const flags = ['-p', String(port), '-k', socketDir, '-c', 'listen_addresses=127.0.0.1', ...settings];
    try {
      await runPg('pg_ctl', ['-D', dataDir, '-l', log, '-w', '-t', '120', '-o', flags.join(' '), 'start']);
      return cluster(dataDir, port);
    } catch (error) {
      const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
      if (!/Address already in use/.test(text) || attempt >= 5) {
        throw new Error(`PostgreSQL did not start on ${dataDir}: ${(error as Error).message}\n${text}`);
      }
    }
  }
}

function cluster(dataDir: string, port: number): RunningCluster {
  const url = (database: string) => `postgresql://postgres@127.0.0.1:${port}/${database}`;
  return {
    port,
    url,
    async query(database, text, values) {
      const client = new pg.Client({ connectionString: url(database) });
      await client.connect();
      try {
        return (await client.query(text, values)).rows;
      } finally {
        await client.end();
      }
    },
    stop: () => stopCluster(dataDir),
  };
}

/** Stops the server on `dataDir`, if one runs there: immediate shutdown, then SIGKILL if it is still there. */
export async function stopCluster(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 'SIGQUIT'); // immediate shutdown
  } catch {
    return; // gone already
  }
  for (let i = 0; i < 300; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  process.kill(pid, 'SIGKILL');
}
