import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';

/** Access for others: grants, power of attorney, mailbox switching, activity log. */
export async function accessPlugin(_app: FastifyInstance, _opts: { services: Services }) {}
