import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { MAX_UPLOAD_BYTES } from './scorecard-upload.ts';
import { statisticsRoutes } from './statistics.routes.tsx';

/**
 * Public statistics (/statistik), the self-service scorecard (/statistik/selvbetjening, with the operators' CSV
 * upload) and open data (/api/v1/stats/...). Multipart bodies are parsed only inside this plugin.
 */
export async function statisticsPlugin(app: FastifyInstance, opts: { services: Services }) {
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1 }, throwFileSizeLimit: false });
  await app.register(statisticsRoutes, opts);
}
