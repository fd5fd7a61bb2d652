import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { createMetrics, registerMetricsRoute } from './metrics.ts';
import { StatusChecker } from './run-status-checks.ts';
import { registerStatusPages } from './status.routes.tsx';
import { registerStatusApi } from './status-api.routes.ts';

/**
 * Operational status page (/drift), the operators' incident and maintenance pages (/drift/styring), the status API
 * (/api/v1/status) and Prometheus metrics (/metrics). Not encapsulated (skip-override), so its onResponse hook
 * counts every request of the application.
 */
export async function statusPlugin(app: FastifyInstance, { services }: { services: Services }) {
  const checker = new StatusChecker(services);
  const metrics = createMetrics(services, checker);
  app.addHook('onResponse', async (request, reply) => metrics.observe(request, reply));
  registerMetricsRoute(app, services, metrics.registry);
  registerStatusApi(app, services, checker);
  registerStatusPages(app, services, checker);
}
(statusPlugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;
