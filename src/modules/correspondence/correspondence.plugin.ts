import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';

/** Replies and messages from recipients to authorities contact points. */
export async function correspondencePlugin(_app: FastifyInstance, _opts: { services: Services }) {}
