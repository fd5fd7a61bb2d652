import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import { authenticateApiKey } from './api-keys.ts';

/** Resolves the bearer API key to its sender, or answers 401. */
export function requireApiKey(services: Services) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) {
      reply.header('www-authenticate', 'Bearer');
      throw new AppError(
        401,
        'missing_api_key',
        'Send your API key as "Authorization: Bearer <key>".',
        'Authorization',
      );
    }
    // Refused keys are counted per client address, and an address that has used up its failures is not even
    // looked up; a valid key from another address is not slowed by them.
    const limits = request.server.rateLimits;
    await limits.check('apiKeyFailures', request.ip, request, reply);
    const caller = await authenticateApiKey(services.db, match[1] as string);
    if (!caller) {
      await limits.hit('apiKeyFailures', request.ip, request, reply);
      reply.header('www-authenticate', 'Bearer error="invalid_token"');
      throw new AppError(401, 'invalid_api_key', 'The API key is unknown or has been revoked.', 'Authorization');
    }
    await limits.hit('api', caller.apiKeyId, request, reply);
    request.apiCaller = caller;
  };
}
