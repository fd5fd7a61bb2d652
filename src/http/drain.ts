import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

/**
 * Graceful shutdown of the HTTP server behind a load balancer. On a stop signal the server first drains: /readyz
 * answers 503 `shutting_down` so that the balancer's health check takes the node out, while every request is still
 * served, with `Connection: close`, so that no kept-alive connection is left for the balancer to reuse. After the
 * drain it closes: no new connections, idle ones closed, requests in flight finish (within a bound), and only then
 * do the worker and the database pool stop (src/runtime.ts).
 */

const draining = new WeakSet<FastifyInstance>();

/** Marks every response `Connection: close` once the app drains. Call once, on the root app, before the routes. */
export function installDrain(app: FastifyInstance): void {
  app.addHook('onRequest', async (_request, reply) => {
    if (draining.has(app)) reply.header('connection', 'close');
  });
}

/** True once the app has begun to drain (readiness answers 503). */
export const isDraining = (app: FastifyInstance): boolean => draining.has(app);

export interface DrainOptions {
  /** How long to keep serving after readiness turns 503 (KUVERT_SHUTDOWN_DRAIN_MS). */
  drainMs: number;
  /** How long to wait for requests in flight once the server closes (KUVERT_SHUTDOWN_TIMEOUT_MS). */
  timeoutMs: number;
  logger: Logger;
}

/** Drains, then closes the server; resolves once no request is left (or the timeout cut the last ones off). */
export async function drainAndClose(app: FastifyInstance, options: DrainOptions): Promise<void> {
  const { drainMs, timeoutMs, logger } = options;
  draining.add(app);
  if (drainMs > 0) {
    logger.info({ drainMs }, `draining: /readyz answers 503, requests are still served for ${drainMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, drainMs));
  }
  const open = await new Promise<number>((resolve) => app.server.getConnections((_e, count) => resolve(count ?? 0)));
  logger.info({ connections: open }, 'closing the HTTP server: no new connections, waiting for requests in flight');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), timeoutMs);
  });
  // Fastify closes idle keep-alive connections itself (forceCloseConnections "idle", its default on Node 24).
  const closed = app.close().then(() => false);
  if (await Promise.race([closed, timedOut])) {
    logger.warn({ timeoutMs }, 'requests still in flight after the shutdown timeout: closing their connections');
    app.server.closeAllConnections();
    await closed;
  }
  clearTimeout(timer);
  logger.info('HTTP server closed');
}
