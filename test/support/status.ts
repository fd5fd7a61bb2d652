import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type App, createApp } from '../../src/app.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import { startWorker } from '../../src/jobs/worker.ts';
import { createLogger } from '../../src/logger.ts';
import type { Actor } from '../../src/modules/identity/actor.ts';
import { createSession } from '../../src/modules/identity/session.ts';
import { loadStatusConfig, type StatusConfig } from '../../src/modules/status/status.config.ts';
import { createServices, type Services } from '../../src/services.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export interface StatusKuvert {
  services: Services;
  database: TestDatabase;
  app: App;
  url: string;
  stop(): Promise<void>;
}

/**
 * A real Kuvert as test/support/kuvert.ts starts it, with the status settings read from the same `env` (until
 * src/config.ts loads them itself).
 */
export async function startStatusKuvert(
  options: { env?: Record<string, string>; worker?: boolean } = {},
): Promise<StatusKuvert> {
  const database = await createTestDatabase();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kuvert-status-test-'));
  // The port is chosen before listening (the configuration names it); another test file's server may take it
  // meanwhile, so a taken port means another try on another one.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const env = {
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      KUVERT_DATA_DIR: dataDir,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      ...options.env,
    };
    const config = loadConfig(env) as Config & { status?: StatusConfig };
    config.status = loadStatusConfig(env, config.env);
    const logger = createLogger(config.logLevel, process.stderr);
    const services = createServices(config, database.db, database.pool);
    const app = await createApp(services, logger);
    const closeNotifications = () => (services.notifications as { close?: () => Promise<void> }).close?.();
    try {
      await app.listen({ port, host: '127.0.0.1' });
    } catch (error) {
      await app.close();
      await closeNotifications();
      if ((error as { code?: string }).code === 'EADDRINUSE' && attempt < 5) continue;
      throw error;
    }
    const worker = options.worker ? await startWorker(services, logger, 2) : null;
    return {
      services,
      database,
      app,
      url: `http://localhost:${port}`,
      async stop() {
        await worker?.stop();
        await app.close();
        await closeNotifications();
        await database.drop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
}

async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as import('node:net').AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A free TCP port with nothing listening on it (for "unreachable" peers). */
export const closedPort = freePort;

let counter = 0;

/** An operator staff user with a live session: the cookie header and the session's CSRF token. */
export async function operatorSession(services: Services, name = 'Ole Kristensen') {
  const subject = `test-operator-${++counter}-${Date.now()}`;
  const staff = await services.db
    .insertInto('staff_user')
    .values({ subject, name, role: 'operator' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { staffId: staff.id, ...(await sessionFor(services, { kind: 'operator', subject, name, staffId: staff.id })) };
}

/** A session for any actor: the cookie header and the CSRF token. */
export async function sessionFor(services: Services, actor: Actor) {
  const { sessionId, csrfToken } = await createSession(services.db, actor, null);
  return { cookie: `kuvert_session=${sessionId}`, csrf: csrfToken };
}

/** Posts a form as a browser would (urlencoded; repeated keys for lists); does not follow redirects. */
export async function postForm(url: string, cookie: string, fields: Record<string, string | string[]>) {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
  }
  return fetch(url, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body,
    redirect: 'manual',
  });
}
