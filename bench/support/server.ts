/**
 * A real Kuvert server process (`node bin/kuvert.js server`, as a deployment runs it) on a given database, for load
 * tests. Its logs go to a file (pino JSON at the chosen level, as in production), not through a pipe to us.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../../test/support/ports.ts';

export interface KuvertServer {
  url: string;
  /** NODE_ENV the server runs with: production unless its configuration refused our stand-in settings. */
  mode: 'production' | 'development';
  pid: number;
  logFile: string;
  stop(): Promise<void>;
}

/**
 * Starts the server with production settings; if production configuration asks for something this benchmark has no
 * stand-in for (it names the variable and exits with code 2), starts it in development mode instead (same request
 * path: the differences are transports and demo pages; no demo data is seeded by `server`).
 */
export async function startKuvertServer(options: Parameters<typeof startAs>[0]): Promise<KuvertServer> {
  try {
    return await startAs(options, 'production');
  } catch (error) {
    if (!(error instanceof ConfigurationRefused)) throw error;
    return startAs(options, 'development');
  }
}

class ConfigurationRefused extends Error {}

async function startAs(
  options: {
    /** The checkout to run (default: this one); an experiment can point at a patched copy. */
    kuvertDir: string;
    databaseUrl: string;
    dataDir: string;
    logLevel: string;
    env?: Record<string, string>;
    /** Flags for node itself, e.g. --cpu-prof. */
    nodeArgs?: string[];
    /** The log file's name in dataDir (several servers on one data directory each need their own). */
    logName?: string;
  },
  mode: 'production' | 'development',
): Promise<KuvertServer> {
  const port = await freePort();
  mkdirSync(options.dataDir, { recursive: true });
  const logFile = path.join(options.dataDir, options.logName ?? 'server.log');
  const log = openSync(logFile, 'w');
  const child: ChildProcess = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), path.join(options.kuvertDir, 'bin', 'kuvert.js'), 'server'],
    {
      cwd: options.kuvertDir,
      env: {
        PATH: process.env.PATH ?? '',
        // Production settings, as a deployment runs (the identity provider is never contacted: sessions are made
        // directly, and OIDC discovery happens on the first login only).
        NODE_ENV: mode,
        // Stand-ins for transports the read path never uses (the worker, which sends, does not run).
        KUVERT_EMAIL_TRANSPORT: 'smtp',
        KUVERT_SMTP_URL: 'smtp://127.0.0.1:2525',
        KUVERT_SMS_TRANSPORT: 'http',
        KUVERT_SMS_HTTP_URL: 'https://sms.invalid/send',
        KUVERT_SEED: 'false',
        OIDC_ISSUER: 'https://mitid.invalid/',
        OIDC_CLIENT_SECRET: 'benchmark-client-secret',
        KUVERT_SESSION_SECRET: 'benchmark-session-secret-of-at-least-32-characters',
        DATABASE_URL: options.databaseUrl,
        KUVERT_DATA_DIR: options.dataDir,
        KUVERT_WORKER: 'false',
        HOST: '127.0.0.1',
        PORT: String(port),
        PUBLIC_URL: `http://localhost:${port}`,
        LOG_LEVEL: options.logLevel,
        ...options.env,
      },
      stdio: ['ignore', log, log],
    },
  );
  closeSync(log);
  let exitCode: number | null = null;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      exitCode = code;
      resolve(code);
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    const done = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 250))]);
    if (done && exitCode === 2 && mode === 'production') throw new ConfigurationRefused(readFileSync(logFile, 'utf8'));
    if (done) throw new Error(`kuvert server exited during start-up (${mode}); see ${logFile}`);
    try {
      const response = await fetch(`${url}/readyz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`kuvert server did not become ready; see ${logFile}`);
    }
  }
  return {
    url,
    mode,
    pid: child.pid as number,
    logFile,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
