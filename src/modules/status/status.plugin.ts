import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';

/** Operational status page, status API and metrics. */
export async function statusPlugin(_app: FastifyInstance, _opts: { services: Services }) {}
