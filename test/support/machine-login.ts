import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { registerSystemClient, type Scope, TOKEN_PATH } from '../../src/modules/identity/index.ts';
import type { Services } from '../../src/services.ts';

type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

/** A fresh key pair for a machine client: the private key to sign assertions, the public JWK (with kid) to register. */
export async function newClientKey(alg: 'ES256' | 'RS256' | 'PS256' | 'EdDSA' = 'ES256') {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = randomUUID();
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { privateKey, jwk, kid, alg };
}

/**
 * A client assertion (RFC 7523) for `clientId`: iss = sub = the client, aud = the token endpoint, iat now, exp in
 * 60 s, a fresh jti. `claims` and `times` override (times in seconds relative to now) to build bad ones.
 */
export async function clientAssertion(
  key: { privateKey: SigningKey; kid: string; alg: string },
  clientId: string,
  audience: string,
  options: { claims?: JWTPayload; iat?: number; exp?: number; jti?: string } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ jti: options.jti ?? randomUUID(), ...options.claims })
    .setProtectedHeader({ alg: key.alg, kid: key.kid })
    .setIssuer(typeof options.claims?.iss === 'string' ? options.claims.iss : clientId)
    .setSubject(typeof options.claims?.sub === 'string' ? options.claims.sub : clientId)
    .setAudience(audience)
    .setIssuedAt(now + (options.iat ?? 0))
    .setExpirationTime(now + (options.exp ?? 60))
    .sign(key.privateKey);
}

/** POSTs a token request; returns the status and the OAuth JSON answer. */
export async function requestToken(
  url: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(`${url}${TOKEN_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

/** The form of a client-credentials token request with a private_key_jwt assertion. */
export const tokenForm = (assertion: string, scope?: string): Record<string, string> => ({
  grant_type: 'client_credentials',
  client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
  client_assertion: assertion,
  ...(scope === undefined ? {} : { scope }),
});

/**
 * Registers a machine client for a sender (`senderId`) or a business recipient (`businessId`) with a fresh key pair
 * and performs the real token request. For tests of routes that take access tokens:
 * `const { accessToken } = await issueTestToken(kuvert, { senderId, scopes: ['messages:send'] })`.
 */
export async function issueTestToken(
  kuvert: { services: Services; url: string },
  options: ({ senderId: string } | { businessId: string }) & { scopes: Scope[]; test?: boolean },
): Promise<{ accessToken: string; clientId: string; scope: string }> {
  const key = await newClientKey();
  const clientId = await registerSystemClient(
    kuvert.services,
    { actorKind: 'system', actorId: 'test' },
    {
      name: 'Test system',
      owner: 'senderId' in options ? { senderId: options.senderId } : { businessRecipientId: options.businessId },
      keys: { jwks: { keys: [key.jwk] } },
      scopes: options.scopes,
      test: options.test ?? false,
    },
  );
  const audience = `${kuvert.services.config.publicUrl.replace(/\/+$/, '')}${TOKEN_PATH}`;
  const answer = await requestToken(kuvert.url, tokenForm(await clientAssertion(key, clientId, audience)));
  if (answer.status !== 200) throw new Error(`token request refused: ${JSON.stringify(answer.body)}`);
  return { accessToken: answer.body.access_token, clientId, scope: answer.body.scope };
}
