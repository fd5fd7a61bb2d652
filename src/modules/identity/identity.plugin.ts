import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';

/** Login (OIDC), sessions, CSRF and the built-in identity provider (placeholder). */
export async function identityPlugin(_app: FastifyInstance, _opts: { services: Services }) {}
