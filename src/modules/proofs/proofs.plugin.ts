import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { MAX_PROOF_BYTES, proofsRoutes } from './proofs.routes.tsx';

/** Signed proofs: the sender API's routes and the public verification page. Multipart is parsed only in here. */
export async function proofsPlugin(app: FastifyInstance, opts: { services: Services }) {
  await app.register(multipart, { limits: { fileSize: MAX_PROOF_BYTES, files: 1 }, throwFileSizeLimit: false });
  await app.register(proofsRoutes, opts);
}
