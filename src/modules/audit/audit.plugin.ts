import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { publicEvidenceKeys } from './evidence-key.ts';

/**
 * The evidence keys' public halves, for anyone who verifies a proof, an audit checkpoint or an audit export offline:
 * a JWK set, cached briefly (a new key appears within minutes; old keys stay listed).
 */
export async function auditPlugin(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  app.get(
    '/.well-known/kuvert-evidence-keys.json',
    { schema: { tags: ['evidence'], summary: "Kuvert's public evidence keys (JWK set, Ed25519)" } },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return publicEvidenceKeys(services.db);
    },
  );
}
