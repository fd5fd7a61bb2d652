import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { correspondenceApiRoutes } from './correspondence.api.ts';
import { correspondenceRoutes } from './correspondence.routes.tsx';
import { forwardRoutes } from './forward.routes.tsx';
import { correspondencePortalRoutes } from './portal.routes.tsx';

/**
 * Replies and messages from recipients to authorities' contact points: the recipient's pages (/post/:id/svar,
 * /post/skriv, /post/sendt, /post/:id/videresend), the sender portal's (/afsender/kontaktpunkter, /afsender/henvendelser) and the sender
 * API (/api/v1/contact-points, /api/v1/inbound). Multipart bodies are parsed only inside this plugin.
 */
export async function correspondencePlugin(app: FastifyInstance, opts: { services: Services }) {
  await app.register(multipart, {
    limits: { fileSize: opts.services.config.maxDocumentBytes, files: 25 },
    throwFileSizeLimit: false,
  });
  await app.register(correspondenceRoutes, opts);
  await app.register(forwardRoutes, opts);
  await app.register(correspondencePortalRoutes, opts);
  await app.register(correspondenceApiRoutes, opts);
}
