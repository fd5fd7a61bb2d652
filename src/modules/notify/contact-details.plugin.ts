import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { contactDetailsRoutes } from './contact-details.routes.tsx';

/** A citizen's own contact details (/indstillinger/kontakt): e-mail addresses and mobile number, with confirmation. */
export async function contactDetailsPlugin(app: FastifyInstance, opts: { services: Services }) {
  await app.register(contactDetailsRoutes, opts);
}
