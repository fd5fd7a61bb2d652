import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
  errors as joseErrors,
  jwtVerify,
} from 'jose';
import type { Db } from '../../db/database.ts';

/** The assertion type RFC 7523 defines for client authentication with a signed JWT. */
export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** The signature algorithms a client may use; none of the symmetric or "none" ones. */
export const ASSERTION_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'];
/** Clock skew tolerated on exp, nbf and iat, in seconds. */
export const CLOCK_SKEW_SECONDS = 60;
/** The longest an assertion may live (exp − iat, or exp − now without iat), in seconds. */
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;

/** An RFC 6749 §5.2 error, answered as OAuth JSON (not problem+json) by the token endpoint. */
export class OAuthError extends Error {
  constructor(
    readonly status: 400 | 401,
    readonly error: 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'invalid_scope' | 'unsupported_grant_type',
    readonly description: string,
  ) {
    super(description);
  }
}

const invalidClient = (why: string) => new OAuthError(401, 'invalid_client', why);

export interface AssertedClient {
  id: string;
  name: string;
  senderId: string | null;
  businessRecipientId: string | null;
  scopes: string[];
  thumbprint: string | null;
  test: boolean;
  jti: string;
  /** When the assertion expires (the jti is remembered until then plus the skew). */
  expiresAt: Date;
}

// A JWKS URL's keys are fetched once and cached; an unknown `kid` fetches again (after the cool-down), which is how a
// client rotates: it publishes the new key, signs with it, and drops the old one from its JWKS.
const remoteSets = new Map<string, JWTVerifyGetKey>();
export const JWKS_FETCH_TIMEOUT_MS = 5000;
export const JWKS_COOLDOWN_MS = 2000;
export const JWKS_CACHE_MAX_AGE_MS = 10 * 60_000;

function remoteSet(url: string): JWTVerifyGetKey {
  let set = remoteSets.get(url);
  if (!set) {
    set = createRemoteJWKSet(new URL(url), {
      timeoutDuration: JWKS_FETCH_TIMEOUT_MS,
      cooldownDuration: JWKS_COOLDOWN_MS,
      cacheMaxAge: JWKS_CACHE_MAX_AGE_MS,
    });
    if (remoteSets.size > 10_000) remoteSets.clear();
    remoteSets.set(url, set);
  }
  return set;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Verifies a private_key_jwt client assertion (RFC 7523 §3): signed by one of the client's registered keys with an
 * allowed algorithm, iss = sub = the client id, aud = one of `audiences`, a short exp, iat/nbf within the skew and
 * a jti (checked for replay by `rememberJti`). Throws OAuthError invalid_client for every failure. Outside any
 * transaction: fetching a JWKS URL may take a moment.
 */
export async function verifyClientAssertion(
  db: Db,
  assertion: string,
  audiences: string[],
  formClientId: string | undefined,
): Promise<AssertedClient> {
  let unverified: JWTPayload;
  try {
    unverified = decodeJwt(assertion);
  } catch {
    throw invalidClient('The client assertion is not a JWT.');
  }
  const clientId = unverified.sub;
  if (typeof clientId !== 'string' || !UUID.test(clientId) || unverified.iss !== clientId) {
    throw invalidClient('The client assertion must name the client id as both iss and sub.');
  }
  if (formClientId !== undefined && formClientId !== clientId) {
    throw invalidClient('client_id does not match the client assertion.');
  }
  const client = await db
    .selectFrom('system_client')
    .selectAll()
    .where('id', '=', clientId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!client) throw invalidClient('The client is unknown or has been revoked.');
  const keys = client.jwks_url
    ? remoteSet(client.jwks_url)
    : createLocalJWKSet((client.jwks ?? { keys: [] }) as unknown as JSONWebKeySet);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(assertion, keys, {
      algorithms: ASSERTION_ALGORITHMS,
      issuer: clientId,
      subject: clientId,
      audience: audiences,
      clockTolerance: CLOCK_SKEW_SECONDS,
      requiredClaims: ['exp', 'jti'],
    }));
  } catch (error) {
    throw invalidClient(assertionFailure(error));
  }
  const now = Math.floor(Date.now() / 1000);
  const exp = payload.exp as number;
  if (payload.iat !== undefined && payload.iat > now + CLOCK_SKEW_SECONDS) {
    throw invalidClient('The client assertion was issued in the future (iat beyond the allowed clock skew).');
  }
  const lifetime = payload.iat !== undefined ? exp - payload.iat : exp - now;
  const slack = payload.iat !== undefined ? 0 : CLOCK_SKEW_SECONDS;
  if (lifetime > MAX_ASSERTION_LIFETIME_SECONDS + slack) {
    throw invalidClient(`The client assertion may live at most ${MAX_ASSERTION_LIFETIME_SECONDS} seconds.`);
  }
  const jti = payload.jti as string;
  if (jti.length === 0 || jti.length > 200) throw invalidClient('The client assertion jti must be 1–200 characters.');
  const expiresAt = new Date((exp + CLOCK_SKEW_SECONDS) * 1000);
  return {
    id: client.id,
    name: client.name,
    senderId: client.sender_id,
    businessRecipientId: client.business_recipient_id,
    scopes: client.scopes,
    thumbprint: client.tls_client_certificate_thumbprint,
    test: client.test,
    jti,
    expiresAt,
  };
}

function assertionFailure(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'The client assertion has expired.';
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return `The client assertion's "${error.claim}" claim is not acceptable (${error.reason}).`;
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'The client assertion uses an algorithm not allowed.';
  if (error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWSSignatureVerificationFailed) {
    return 'The client assertion is not signed by any of the client’s registered keys.';
  }
  if (error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid) {
    return 'The client’s JWKS URL could not be read.';
  }
  return 'The client assertion could not be verified.';
}

/**
 * Remembers an assertion's jti for its client (inside the token's transaction, so a refused request does not burn
 * it); throws invalid_client if that client used it before. Concurrent requests with one jti: the second waits for
 * the first's row and then finds it. Expired ids are purged on the way: none can be replayed after its exp anyway.
 */
export async function rememberJti(trx: Db, client: AssertedClient): Promise<void> {
  await trx.deleteFrom('system_client_jti').where('expires_at', '<', new Date()).execute();
  const remembered = await trx
    .insertInto('system_client_jti')
    .values({ client_id: client.id, jti: client.jti, expires_at: client.expiresAt })
    .onConflict((oc) => oc.columns(['client_id', 'jti']).doNothing())
    .returning('jti')
    .executeTakeFirst();
  if (!remembered) throw invalidClient('The client assertion has been used before (jti replay).');
}
