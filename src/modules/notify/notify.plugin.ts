import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { developmentOutboxRoutes } from './development-outbox.routes.tsx';
import { notifyApiRoutes } from './notify-api.routes.ts';

/** Notification routes: the sender API for notification options, and the development outbox (not in production). */
export async function notifyPlugin(app: FastifyInstance, opts: { services: Services }) {
  await app.register(notifyApiRoutes, opts);
  if (opts.services.config.env !== 'production') await app.register(developmentOutboxRoutes, opts);
}
