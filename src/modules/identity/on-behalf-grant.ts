import type { Db } from '../../db/database.ts';
import { normaliseCvr } from '../../kernel/identifiers.ts';
import { type AssertedClient, OAuthError } from './client-assertion.ts';
import { activeAuthorisations } from './on-behalf.ts';
import type { Scope } from './scopes.ts';

export interface OnBehalfGrant {
  authorisationId: string;
  authoritySenderId: string;
  scopes: Scope[];
}

const invalidGrant = (why: string) => new OAuthError(400, 'invalid_grant', why);

/**
 * The token endpoint's `on_behalf_of=<authority CVR>`: a vendor's system asks for a token to act for an authority
 * that authorised the vendor organisation. Granted scopes = those asked for (or, without `scope`, all the client may
 * have) ∩ the client's ∩ the authorisation's. Refusals follow RFC 6749 §5.2:
 * - no authorisation in force (none, not yet valid, expired, revoked, unknown CVR) → `invalid_grant` (the grant —
 *   the delegation — is invalid; Maskinporten answers a missing delegation the same way). `access_denied` is an
 *   authorization-endpoint error (§4.1.2.1) and not defined for the token endpoint.
 * - a scope asked for explicitly that the authorisation does not cover → `invalid_scope`; without `scope` the grant
 *   is reduced to what is authorised, and refused (`invalid_grant`) if nothing is left.
 * When several authorisations are in force, the token is tied to the one that covers the most of what was asked
 * (then the longest-lasting): a token names one authorisation, which is checked again at every use.
 */
export async function onBehalfGrant(
  db: Db,
  client: AssertedClient,
  authorityCvr: string,
  scopes: Scope[],
  scopesAsked: boolean,
): Promise<OnBehalfGrant> {
  if (!client.senderId) throw new OAuthError(400, 'invalid_request', 'Only a sender’s system can act on behalf of.');
  const cvr = normaliseCvr(authorityCvr);
  if (!cvr) throw new OAuthError(400, 'invalid_request', 'on_behalf_of must be the authority’s CVR number.');
  const found = await activeAuthorisations(db, client.senderId, cvr);
  if (found.length === 0) {
    throw invalidGrant('Your organisation holds no authorisation in force to act on behalf of this authority.');
  }
  const ranked = found
    .map((a) => ({ a, covered: scopes.filter((s) => a.scopes.includes(s)) }))
    .sort((x, y) => y.covered.length - x.covered.length || y.a.ends_at.getTime() - x.a.ends_at.getTime());
  const best = ranked[0] as (typeof ranked)[number];
  if (scopesAsked && best.covered.length < scopes.length) {
    const missing = scopes.filter((s) => !best.covered.includes(s));
    throw new OAuthError(400, 'invalid_scope', `Not authorised by this authority: ${missing.join(' ')}.`);
  }
  if (best.covered.length === 0) {
    throw invalidGrant('The authority has authorised none of the scopes this client may have.');
  }
  return { authorisationId: best.a.id, authoritySenderId: best.a.authority_sender_id, scopes: best.covered };
}
