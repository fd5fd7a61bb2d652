import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.ts';

/** Front page, static assets, language choice (placeholder). */
export async function webPlugin(app: FastifyInstance, _opts: { services: Services }) {
  app.get('/', async (_request, reply) =>
    reply.type('text/html').send('<!doctype html><title>Kuvert</title><h1>Kuvert</h1>'),
  );
}
