import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';

/** The recipient's mailbox pages (placeholder). */
export async function mailboxPlugin(_app: FastifyInstance, _opts: { services: Services }) {}
