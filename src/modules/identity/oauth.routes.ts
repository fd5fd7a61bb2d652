import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Services } from '../../services.ts';
import { grantedScopes, issueAccessToken } from './access-tokens.ts';
import { JWT_BEARER_ASSERTION, OAuthError, verifyClientAssertion } from './client-assertion.ts';
import { presentedCertificateThumbprint } from './client-certificate.ts';
import { onBehalfGrant } from './on-behalf-grant.ts';
import { SCOPES } from './scopes.ts';

export const TOKEN_PATH = '/oauth/token';

/** The audiences a client assertion may name: the token endpoint's URL, or Kuvert's public URL (the issuer). */
export function tokenAudiences(services: Services): string[] {
  const base = services.config.publicUrl.replace(/\/+$/, '');
  return [`${base}${TOKEN_PATH}`, base, `${base}/`];
}

const TokenRequest = Type.Object({
  grant_type: Type.Literal('client_credentials'),
  client_assertion_type: Type.Literal(JWT_BEARER_ASSERTION),
  client_assertion: Type.String({ description: 'A JWT signed with one of the client’s registered private keys' }),
  scope: Type.Optional(Type.String({ description: 'Space-separated scopes; without it, all the client may have' })),
  client_id: Type.Optional(Type.String({ description: 'If sent, must equal the assertion’s iss and sub' })),
  on_behalf_of: Type.Optional(
    Type.String({
      description:
        'A vendor’s system acting for an authority: the authority’s CVR number. The authority must have authorised ' +
        'the vendor organisation (the sender portal’s "På vegne af" page); the token then acts as the authority, ' +
        'with the scopes asked for ∩ the client’s ∩ the authorisation’s.',
      pattern: '^[0-9]{8}$',
    }),
  ),
});
const TokenResponse = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer(),
  scope: Type.String(),
});
const OAuthErrorBody = Type.Object(
  { error: Type.String(), error_description: Type.Optional(Type.String()) },
  { title: 'OAuthError', description: 'RFC 6749 §5.2 error (this endpoint does not answer problem+json)' },
);

const field = (body: Record<string, unknown>, name: string) => {
  const value = body[name];
  return typeof value === 'string' ? value : undefined;
};

/**
 * POST /oauth/token: OAuth 2.0 client credentials with private_key_jwt client authentication (RFC 6749 §4.4,
 * RFC 7523 §2.2). Answers are OAuth JSON, errors RFC 6749 §5.2 — not problem+json.
 */
export async function oauthRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.post(
    TOKEN_PATH,
    {
      schema: {
        tags: ['oauth'],
        summary: 'Get an access token (OAuth2 client credentials, private_key_jwt)',
        description:
          'For registered systems (`kuvert systems add`). Authenticate with a client assertion (RFC 7523): a JWT ' +
          'signed with RS256, PS256, ES256 or EdDSA by a key in the system’s registered JWKS, with iss = sub = the ' +
          `client id, aud = this endpoint’s URL (or Kuvert’s public URL), exp at most 300 s after iat, a unique jti; ` +
          '60 s of clock skew are tolerated. The access token lives 600 s; send it as `Authorization: Bearer`. A ' +
          'client registered with a certificate thumbprint must come through the mutual-TLS proxy with that ' +
          'certificate, and so must every call with its tokens (RFC 8705). Errors are OAuth JSON ' +
          '(`invalid_request`, `invalid_client` 401, `invalid_scope`, `unsupported_grant_type`), not problem+json. ' +
          'On behalf of (`on_behalf_of=<authority CVR>`, compare Maskinporten’s delegation): a vendor’s system gets ' +
          'a token whose letters are the authority’s, with the vendor recorded as their technical sender. No ' +
          'authorisation in force (none, expired, revoked) → `invalid_grant`; a scope asked for that the ' +
          'authorisation does not cover → `invalid_scope` (without `scope`, the grant is reduced to what is ' +
          'authorised). A token issued on behalf stops working at its next use once the authorisation is revoked ' +
          'or has ended. ' +
          `Scopes: ${Object.entries(SCOPES)
            .map(([s, d]) => `\`${s}\` (${d})`)
            .join('; ')}.`,
        body: {
          content: { 'application/x-www-form-urlencoded': { schema: TokenRequest } },
        } as unknown as typeof TokenRequest,
        response: { 200: TokenResponse, 400: OAuthErrorBody, 401: OAuthErrorBody },
      },
      // The body is checked by the handler, so that every refusal is an OAuth error rather than problem+json.
      validatorCompiler: () => () => true,
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
      await request.server.rateLimits.hit('oauthToken', request.ip, request, reply);
      try {
        if (request.mediaType !== 'application/x-www-form-urlencoded') {
          throw new OAuthError(400, 'invalid_request', 'Send the request as application/x-www-form-urlencoded.');
        }
        const body = (request.body ?? {}) as Record<string, unknown>;
        const grantType = field(body, 'grant_type');
        if (!grantType) throw new OAuthError(400, 'invalid_request', 'grant_type is missing.');
        if (grantType !== 'client_credentials') {
          throw new OAuthError(400, 'unsupported_grant_type', 'Only grant_type=client_credentials is supported.');
        }
        const assertion = field(body, 'client_assertion');
        if (field(body, 'client_assertion_type') !== JWT_BEARER_ASSERTION || !assertion) {
          throw new OAuthError(
            401,
            'invalid_client',
            `Authenticate with client_assertion_type=${JWT_BEARER_ASSERTION} and a client_assertion.`,
          );
        }
        if (assertion.length > 16_000) throw new OAuthError(400, 'invalid_request', 'client_assertion is too long.');
        const client = await verifyClientAssertion(
          services.db,
          assertion,
          tokenAudiences(services),
          field(body, 'client_id'),
        );
        let scopes = grantedScopes(client, field(body, 'scope'));
        const onBehalfOf = field(body, 'on_behalf_of');
        const onBehalf =
          onBehalfOf === undefined
            ? null
            : await onBehalfGrant(services.db, client, onBehalfOf, scopes, (field(body, 'scope') ?? '').trim() !== '');
        if (onBehalf) scopes = onBehalf.scopes;
        let bound: string | null = null;
        if (client.thumbprint) {
          const presented = presentedCertificateThumbprint(services, request);
          if (presented !== client.thumbprint) {
            throw new OAuthError(401, 'invalid_client', 'This client must present its registered TLS certificate.');
          }
          bound = presented;
        }
        const token = await issueAccessToken(services, client, scopes, bound, onBehalf);
        return {
          access_token: token.accessToken,
          token_type: 'Bearer' as const,
          expires_in: token.expiresIn,
          scope: token.scopes.join(' '),
        };
      } catch (error) {
        if (!(error instanceof OAuthError)) throw error;
        if (error.status === 401) reply.header('www-authenticate', `Bearer error="${error.error}"`);
        return reply
          .status(error.status)
          .type('application/json')
          .send({ error: error.error, error_description: error.description });
      }
    },
  );
}
