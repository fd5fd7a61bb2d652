import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import { authenticateAccessToken, looksLikeAccessToken } from './access-tokens.ts';
import { authenticateApiKey } from './api-keys.ts';
import { presentedCertificateThumbprint } from './client-certificate.ts';
import { scopeDecision } from './scope.policy.ts';
import { type Scope, SENDER_SCOPES } from './scopes.ts';

/**
 * The machine API's bearer hook (use it as a route's `onRequest`). The bearer is EITHER a sender API key (which
 * carries every sender scope) OR an access token from POST /oauth/token (see access-tokens.ts). Sets
 * `request.apiCaller` for a sender's caller and `request.businessCaller` for a business's system; answers 401 for a
 * missing, unknown, expired or revoked credential (or a certificate-bound token without its certificate), and 403
 * `insufficient_scope` when the caller lacks one of `scopes`. With no scopes, any sender caller may pass.
 */
export function requireScopes(services: Services, ...scopes: Scope[]) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) {
      reply.header('www-authenticate', 'Bearer');
      throw new AppError(
        401,
        'missing_api_key',
        'Send your API key or access token as "Authorization: Bearer <key>".',
        'Authorization',
      );
    }
    const presented = match[1] as string;
    // Refused credentials are counted per client address, and an address that has used up its failures is not even
    // looked up; a valid credential from another address is not slowed by them.
    const limits = request.server.rateLimits;
    await limits.check('apiKeyFailures', request.ip, request, reply);
    let kind: 'sender' | 'business' = 'sender';
    let granted: readonly string[];
    if (looksLikeAccessToken(presented)) {
      const holder = await authenticateAccessToken(services.db, presented);
      const boundOk =
        holder && (!holder.thumbprint || presentedCertificateThumbprint(services, request) === holder.thumbprint);
      if (!holder || !boundOk) {
        await limits.hit('apiKeyFailures', request.ip, request, reply);
        reply.header('www-authenticate', 'Bearer error="invalid_token"');
        throw new AppError(
          401,
          'invalid_access_token',
          'The access token is unknown, expired or revoked, or it is bound to a certificate not presented.',
          'Authorization',
        );
      }
      await limits.hit('api', holder.clientId, request, reply);
      granted = holder.scopes;
      if (holder.senderId) {
        request.apiCaller = {
          apiKeyId: holder.clientId,
          senderId: holder.senderId,
          clientId: holder.clientId,
          scopes: holder.scopes,
          test: holder.test,
          ...(holder.onBehalfOf ? { onBehalfOf: holder.onBehalfOf } : {}),
        };
      } else {
        kind = 'business';
        request.businessCaller = {
          clientId: holder.clientId,
          businessRecipientId: holder.businessRecipientId as string,
          scopes: holder.scopes,
          test: holder.test,
        };
      }
    } else {
      const caller = await authenticateApiKey(services.db, presented);
      if (!caller) {
        await limits.hit('apiKeyFailures', request.ip, request, reply);
        reply.header('www-authenticate', 'Bearer error="invalid_token"');
        throw new AppError(401, 'invalid_api_key', 'The API key is unknown or has been revoked.', 'Authorization');
      }
      await limits.hit('api', caller.apiKeyId, request, reply);
      granted = SENDER_SCOPES;
      request.apiCaller = { ...caller, scopes: SENDER_SCOPES };
    }
    const decision = scopeDecision({ kind, granted }, scopes);
    if (!decision.allowed) {
      const needed = decision.missing.length > 0 ? decision.missing : scopes;
      reply.header(
        'www-authenticate',
        `Bearer error="insufficient_scope"${needed.length > 0 ? `, scope="${needed.join(' ')}"` : ''}`,
      );
      throw new AppError(
        403,
        'insufficient_scope',
        needed.length > 0
          ? `This call needs the scope ${needed.join(' ')}.`
          : "This call is for a sender's systems; a business's system cannot make it.",
        'Authorization',
        { requiredScopes: needed },
      );
    }
  };
}

/** Any sender caller (API key or a sender system's token, whatever its scopes); prefer `requireScopes`. */
export function requireApiKey(services: Services) {
  return requireScopes(services);
}
