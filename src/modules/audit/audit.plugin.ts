import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import { latestAuditCheckpoint, listAuditCheckpoints } from './checkpoint.ts';
import { publicEvidenceKeys } from './evidence-key.ts';

const PAGE = 24;

/**
 * The evidence keys' public halves, for anyone who verifies a proof, an audit checkpoint or an audit export offline:
 * a JWK set, cached briefly (a new key appears within minutes; old keys stay listed). And the audit checkpoints,
 * public: each a JWS anyone can check with those keys (`kuvert audit verify`, or any JOSE library).
 */
export async function auditPlugin(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.get(
    '/.well-known/kuvert-evidence-keys.json',
    { schema: { tags: ['evidence'], summary: "Kuvert's public evidence keys (JWK set, Ed25519)" } },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return publicEvidenceKeys(services.db);
    },
  );

  api.get(
    '/api/v1/audit/checkpoints',
    {
      schema: {
        tags: ['evidence'],
        summary: 'Signed audit checkpoints, newest first',
        description:
          "Every hour the heads of the audit log's chains are signed into a checkpoint (a compact JWS, typ " +
          'kuvert-audit-checkpoint+jwt, checked with /.well-known/kuvert-evidence-keys.json). `next` pages back.',
        querystring: Type.Object({ before: Type.Optional(Type.String({ maxLength: 20 })) }),
      },
    },
    async (request, reply) => {
      const before = request.query.before;
      if (before !== undefined && !/^[1-9]\d{0,17}$/.test(before)) {
        throw new AppError(400, 'invalid_cursor', 'The page cursor is not valid.', 'before');
      }
      const checkpoints = await listAuditCheckpoints(services.db, { before, limit: PAGE + 1 });
      const page = checkpoints.slice(0, PAGE);
      reply.header('cache-control', 'public, max-age=60');
      return {
        checkpoints: page,
        next: checkpoints.length > PAGE ? `/api/v1/audit/checkpoints?before=${page.at(-1)?.seq}` : null,
      };
    },
  );

  api.get(
    '/api/v1/audit/checkpoints/latest',
    { schema: { tags: ['evidence'], summary: 'The newest signed audit checkpoint' } },
    async (_request, reply) => {
      const latest = await latestAuditCheckpoint(services.db);
      if (!latest) throw new AppError(404, 'not_found', 'There is no audit checkpoint yet.');
      reply.header('cache-control', 'public, max-age=60');
      return latest;
    },
  );
}
