import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { registryRoutes } from './registry.routes.tsx';

/**
 * The registry's pages: the citizen's own enrolment (/tilmelding) and the citizen-service back office
 * (/borgerservice). Reachability for senders (/api/v1/recipients/...) is notify's: it needs the contact details.
 */
export async function registryPlugin(app: FastifyInstance, opts: { services: Services }) {
  await app.register(registryRoutes, opts);
}
