import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { developmentOutboxRoutes } from './development-outbox.routes.tsx';

/** Notification pages. For now only the development outbox, which does not exist in production. */
export async function notifyPlugin(app: FastifyInstance, opts: { services: Services }) {
  if (opts.services.config.env !== 'production') await app.register(developmentOutboxRoutes, opts);
}
