import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { mailboxRoutes } from './mailbox.routes.tsx';

/**
 * The recipient's mailbox pages (/post), plus the sender staff's start page (/afsender) until the sender portal has
 * a module of its own. (/borgerservice is the registry module's.)
 */
export async function mailboxPlugin(app: FastifyInstance, opts: { services: Services }) {
  await app.register(mailboxRoutes, opts);
}
