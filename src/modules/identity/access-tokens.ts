import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import type { Services } from '../../services.ts';
import { recordAudit } from '../audit/index.ts';
import { type AssertedClient, OAuthError, rememberJti } from './client-assertion.ts';
import type { OnBehalfGrant } from './on-behalf-grant.ts';
import { BUSINESS_SCOPES, isScope, type Scope, SENDER_SCOPES } from './scopes.ts';

/**
 * Kuvert's access tokens for machine clients are OPAQUE: 32 random bytes ("kvt_…"), stored only as a SHA-256 hash
 * with the client, the granted scopes, the bound certificate thumbprint and the expiry. Kuvert is the only party that
 * ever checks them, so a self-contained JWT would buy nothing, and a lookup makes revocation take effect at once
 * (checking a JWT would need the same lookup for that).
 */
export const ACCESS_TOKEN_TTL_SECONDS = 600;
const TOKEN_RE = /^kvt_[A-Za-z0-9_-]{43}$/;
const hash = (token: string) => createHash('sha256').update(token).digest('hex');

export const looksLikeAccessToken = (value: string) => value.startsWith('kvt_');

export interface IssuedToken {
  accessToken: string;
  expiresIn: number;
  scopes: Scope[];
}

/** The scopes to grant: those asked for (space-separated), or without `scope` all the client may have. */
export function grantedScopes(client: AssertedClient, requested: string | undefined): Scope[] {
  const allowed = client.scopes.filter(isScope);
  if (requested === undefined || requested.trim() === '') return allowed;
  const asked = [...new Set(requested.trim().split(/\s+/))];
  const refused = asked.filter((s) => !isScope(s) || !allowed.includes(s));
  if (refused.length > 0) {
    throw new OAuthError(400, 'invalid_scope', `Not granted to this client: ${refused.join(' ')}.`);
  }
  // A business's system never gets a sender scope, and a sender's never the business inbox, whatever was stored.
  const ownerScopes = client.businessRecipientId ? BUSINESS_SCOPES : SENDER_SCOPES;
  const wrong = asked.filter((s) => !ownerScopes.includes(s as Scope));
  if (wrong.length > 0) throw new OAuthError(400, 'invalid_scope', `Not for this kind of client: ${wrong.join(' ')}.`);
  return asked as Scope[];
}

/**
 * Issues an access token to a verified client: remembers the assertion's jti, stores the token's hash and audits
 * the issue, all in one transaction. `thumbprint`: the certificate the token is bound to (RFC 8705), if any.
 */
export async function issueAccessToken(
  services: Services,
  client: AssertedClient,
  scopes: Scope[],
  thumbprint: string | null,
  onBehalf: OnBehalfGrant | null = null,
): Promise<IssuedToken> {
  const accessToken = `kvt_${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(Date.now() + ACCESS_TOKEN_TTL_SECONDS * 1000);
  await services.db.transaction().execute(async (trx) => {
    await rememberJti(trx, client);
    await trx.deleteFrom('system_access_token').where('expires_at', '<', new Date()).execute();
    await trx
      .insertInto('system_access_token')
      .values({
        token_hash: hash(accessToken),
        client_id: client.id,
        scopes,
        certificate_thumbprint: thumbprint,
        expires_at: expiresAt,
        on_behalf_authorisation_id: onBehalf?.authorisationId ?? null,
      })
      .execute();
    await recordAudit(trx, {
      actorKind: 'system_client',
      actorId: client.id,
      action: 'system_client.token_issued',
      subjectType: 'system_client',
      subjectId: client.id,
      details: {
        scopes,
        expiresAt: expiresAt.toISOString(),
        assertionJti: client.jti,
        certificateBound: thumbprint !== null,
        test: client.test,
        ...(onBehalf
          ? { onBehalfOf: { authorisationId: onBehalf.authorisationId, senderId: onBehalf.authoritySenderId } }
          : {}),
      },
    });
  });
  return { accessToken, expiresIn: ACCESS_TOKEN_TTL_SECONDS, scopes };
}

export interface TokenHolder {
  clientId: string;
  senderId: string | null;
  businessRecipientId: string | null;
  scopes: Scope[];
  test: boolean;
  /** The x5t#S256 the token is bound to; every call must present that certificate. */
  thumbprint: string | null;
  /** Issued on behalf of an authority: `senderId` is then the authority's, and this names the vendor. */
  onBehalfOf?: { authorisationId: string; vendorSenderId: string };
}

/**
 * Resolves a presented access token: null when unknown, expired, or its client is revoked (effective at once) — or,
 * for a token issued on behalf of an authority, when that authorisation has been revoked or has ended.
 */
export async function authenticateAccessToken(db: Db, presented: string): Promise<TokenHolder | null> {
  if (!TOKEN_RE.test(presented)) return null;
  const row = await db
    .selectFrom('system_access_token as t')
    .innerJoin('system_client as c', 'c.id', 't.client_id')
    .leftJoin('on_behalf_authorisation as o', 'o.id', 't.on_behalf_authorisation_id')
    .select(['t.client_id', 't.scopes', 't.certificate_thumbprint', 'c.sender_id', 'c.business_recipient_id', 'c.test'])
    .select(['t.on_behalf_authorisation_id', 'o.authority_sender_id', 'o.revoked_at', 'o.valid_from', 'o.ends_at'])
    .where('t.token_hash', '=', hash(presented))
    .where('t.expires_at', '>', new Date())
    .where('c.revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  const now = Date.now();
  const onBehalf = row.on_behalf_authorisation_id;
  if (
    onBehalf !== null &&
    (row.revoked_at !== null ||
      !row.authority_sender_id ||
      !row.ends_at ||
      row.ends_at.getTime() <= now ||
      (row.valid_from?.getTime() ?? now) > now)
  ) {
    return null;
  }
  return {
    clientId: row.client_id,
    senderId: onBehalf !== null ? (row.authority_sender_id as string) : row.sender_id,
    ...(onBehalf !== null
      ? { onBehalfOf: { authorisationId: onBehalf, vendorSenderId: row.sender_id as string } }
      : {}),
    businessRecipientId: row.business_recipient_id,
    scopes: row.scopes.filter(isScope),
    test: row.test,
    thumbprint: row.certificate_thumbprint,
  };
}
