import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { accessRoutes } from './access.routes.tsx';
import { caseworkerAccessRoutes } from './caseworker-access.routes.tsx';

/** Access for others: grants, power of attorney, mailbox switching, activity log. */
export async function accessPlugin(app: FastifyInstance, opts: { services: Services }) {
  await app.register(accessRoutes, opts);
  await app.register(caseworkerAccessRoutes, opts);
}
