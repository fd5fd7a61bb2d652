import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';

/** Public statistics, scorecard and open data. */
export async function statisticsPlugin(_app: FastifyInstance, _opts: { services: Services }) {}
