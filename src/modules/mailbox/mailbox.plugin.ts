import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { mailboxRoutes } from './mailbox.routes.tsx';

/**
 * The recipient's mailbox pages (/post), plus the staff start pages (/afsender, /borgerservice) until the sender
 * portal and the registry back office have modules of their own.
 */
export async function mailboxPlugin(app: FastifyInstance, opts: { services: Services }) {
  await app.register(mailboxRoutes, opts);
}
