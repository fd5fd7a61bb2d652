import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type App, createApp } from '../../src/app.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { stopMemoValidator } from '../../src/modules/messages/memo/index.ts';
import { createServices, type Services } from '../../src/services.ts';
import { startWorker, type Worker } from '../../src/worker.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { letterBody } from './fixtures.ts';
import { freePort } from './ports.ts';

export interface TestKuvert {
  services: Services;
  database: TestDatabase;
  app: App;
  /** Base URL, e.g. http://localhost:41234 */
  url: string;
  worker: Worker | null;
  stop(): Promise<void>;
}

/**
 * A real Kuvert on a fresh database and data folder: the HTTP app listening on a free port, and (unless
 * `worker: false`) a real graphile-worker. `env` overrides configuration variables.
 */
export async function startTestKuvert(
  options: { env?: Record<string, string>; worker?: boolean; logSink?: { write(line: string): void } } = {},
): Promise<TestKuvert> {
  const database = await createTestDatabase();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kuvert-test-data-'));
  // The port is chosen first, so PUBLIC_URL (used by OIDC redirects) can name it. Another test's server may take it
  // before we listen (files run in parallel): then the app is built again on another port.
  let port: number;
  let services: Services;
  let app: App;
  let logger: ReturnType<typeof createLogger>;
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    const env: Record<string, string> = {
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      KUVERT_DATA_DIR: dataDir,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      // On a loaded CI machine one database round trip can take over the production threshold (500 ms), which would
      // turn every component on /drift "degraded" at random. Tests about slowness set their own threshold.
      KUVERT_STATUS_DB_SLOW_MS: '60000',
      ...options.env,
    };
    const config: Config = loadConfig(env);
    logger = createLogger(config.logLevel, options.logSink ?? process.stderr);
    services = createServices(config, database.db, database.pool);
    app = await createApp(services, logger);
    try {
      await app.listen({ port, host: '127.0.0.1' });
      break;
    } catch (error) {
      await app.close();
      await services.notifications.close();
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 5) {
        await database.drop();
        throw error;
      }
    }
  }
  const worker = options.worker === false ? null : await startWorker(services, logger, 2);
  return {
    services,
    database,
    app,
    url: `http://localhost:${port}`,
    worker,
    async stop() {
      await worker?.stop();
      await app.close();
      await services.notifications.close();
      await services.pageImages.stop();
      // As the runtime does at shutdown: Node 24 could crash at exit (SIGTRAP) with the validator thread alive.
      // The next letter validated in this process starts a new one.
      await stopMemoValidator();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * How long `eventually` waits by default. Generous: a condition that holds returns as soon as it holds, so only a real
 * failure takes this long to report, and on a CI machine running two suites at once a worker's job or a feed's
 * horizon (another transaction of the database still running) has taken over 15 s.
 */
export const EVENTUALLY_DEFAULT_MS = 60_000;

/** Polls until `check` returns a truthy value (or throws after `timeoutMs`). For waiting on the real worker. */
export async function eventually<T>(
  check: () => Promise<T | null | undefined | false>,
  timeoutMs = EVENTUALLY_DEFAULT_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Sends a letter through the API with the sender's key (letterBody, with overrides); returns its id (201 asserted). */
export async function postLetter(
  kuvert: TestKuvert,
  apiKey: string,
  cpr: string,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const response = await fetch(`${kuvert.url}/api/v1/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(letterBody(cpr, overrides)),
  });
  const body = (await response.json()) as { id: string };
  assert.equal(response.status, 201, JSON.stringify(body));
  return body.id;
}

/** postLetter, then waits until routing has made the letter available in the mailbox; returns its id. */
export async function sendAvailableLetter(
  kuvert: TestKuvert,
  apiKey: string,
  cpr: string,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const id = await postLetter(kuvert, apiKey, cpr, overrides);
  await eventually(
    async () =>
      (await kuvert.services.db.selectFrom('message').select('available_at').where('id', '=', id).executeTakeFirst())
        ?.available_at,
  );
  return id;
}
