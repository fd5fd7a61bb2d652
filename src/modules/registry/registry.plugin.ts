import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { reachabilityRoutes } from './reachability.routes.ts';
import { registryRoutes } from './registry.routes.tsx';

/**
 * The registry's pages and API: the citizen's own enrolment (/tilmelding), the citizen-service back office
 * (/borgerservice), and reachability for senders (/api/v1/recipients/...).
 */
export async function registryPlugin(app: FastifyInstance, opts: { services: Services }) {
  await app.register(registryRoutes, opts);
  await app.register(reachabilityRoutes, opts);
}
