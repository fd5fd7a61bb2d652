import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { developmentOutboxRoutes } from './development-outbox.routes.tsx';
import { notifyApiRoutes } from './notify-api.routes.ts';
import { reachabilityRoutes } from './reachability.routes.ts';

/**
 * Notification routes: reachability for senders (/api/v1/recipients/...: the registry's channel and whether a usable
 * contact detail can be notified), the sender API for notification options, and the development outbox (not in
 * production).
 */
export async function notifyPlugin(app: FastifyInstance, opts: { services: Services }) {
  await app.register(reachabilityRoutes, opts);
  await app.register(notifyApiRoutes, opts);
  if (opts.services.config.env !== 'production') await app.register(developmentOutboxRoutes, opts);
}
