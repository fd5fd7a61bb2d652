import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { mailboxRoutes } from './mailbox.routes.tsx';

/** The recipient's mailbox pages (/post). */
export async function mailboxPlugin(app: FastifyInstance, opts: { services: Services }) {
  await app.register(mailboxRoutes, opts);
}
