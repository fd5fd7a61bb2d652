import * as client from 'openid-client';
import type { Config } from '../../config.ts';
import { builtInIssuer } from './built-in-provider.ts';
import { LOGIN_SCOPE } from './claims.ts';
import { ENTRY_PARAM, entryRoleOf } from './personas.ts';

function entryParam(returnTo: string | null): Record<string, string> {
  const role = entryRoleOf(returnTo);
  return role ? { [ENTRY_PARAM]: role } : {};
}

export interface PendingLogin {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string | null;
}

export interface OidcLogin {
  readonly issuer: string;
  /** Where to send the browser, and the secrets to keep until it comes back. */
  start(returnTo: string | null): Promise<{ url: URL; pending: PendingLogin }>;
  /** Exchanges the code in the callback query for tokens; returns the ID token and userinfo claims, merged. */
  finish(callbackQuery: string, pending: PendingLogin): Promise<{ claims: Record<string, unknown>; idToken?: string }>;
  /** The provider's logout address, or null if it has none (or cannot be reached). */
  endSessionUrl(idToken: string | null): Promise<URL | null>;
}

/**
 * Kuvert as an OpenID Connect client of OIDC_ISSUER, or of the built-in provider when that is unset. The provider's
 * metadata is discovered on first use (the built-in one is not listening yet when this is created) and cached.
 */
export function createOidcLogin(config: Config): OidcLogin {
  const issuer = config.oidc.issuer ?? builtInIssuer(config.publicUrl);
  let discovered: Promise<client.Configuration> | null = null;

  const options: client.DiscoveryRequestOptions = {
    timeout: 10,
    // Plain http is for the built-in provider on localhost and for tests; production refuses an http issuer.
    execute: config.env !== 'production' && issuer.startsWith('http:') ? [client.allowInsecureRequests] : [],
  };

  function configuration(): Promise<client.Configuration> {
    discovered ??= client
      .discovery(
        new URL(issuer),
        config.oidc.clientId,
        undefined,
        client.ClientSecretBasic(config.oidc.clientSecret),
        options,
      )
      .catch((error: unknown) => {
        discovered = null; // try again on the next login
        throw error;
      });
    return discovered;
  }

  return {
    issuer,
    async start(returnTo) {
      const c = await configuration();
      const pending: PendingLogin = {
        state: client.randomState(),
        nonce: client.randomNonce(),
        codeVerifier: client.randomPKCECodeVerifier(),
        returnTo,
      };
      const url = client.buildAuthorizationUrl(c, {
        redirect_uri: config.oidc.redirectUrl,
        scope: config.oidc.issuer ? config.oidc.scopes : LOGIN_SCOPE,
        state: pending.state,
        nonce: pending.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
        code_challenge_method: 'S256',
        // The built-in demo login offers only the personas that fit the page asked for ("Log ind som borger": the
        // citizens); an external provider gets no such parameter.
        ...(config.oidc.issuer ? {} : entryParam(returnTo)),
      });
      return { url, pending };
    },
    async finish(callbackQuery, pending) {
      const c = await configuration();
      const currentUrl = new URL(config.oidc.redirectUrl);
      currentUrl.search = callbackQuery;
      const tokens = await client.authorizationCodeGrant(c, currentUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const idClaims = tokens.claims();
      if (!idClaims) throw new Error('no ID token in the token response');
      let claims: Record<string, unknown> = { ...idClaims };
      if (c.serverMetadata().userinfo_endpoint) {
        const userinfo = await client.fetchUserInfo(c, tokens.access_token, idClaims.sub);
        claims = { ...userinfo, ...idClaims };
      }
      return { claims, idToken: tokens.id_token };
    },
    async endSessionUrl(idToken) {
      let c: client.Configuration;
      try {
        c = await configuration();
      } catch {
        return null;
      }
      if (!c.serverMetadata().end_session_endpoint) return null;
      return client.buildEndSessionUrl(c, {
        post_logout_redirect_uri: `${config.publicUrl}/`,
        ...(idToken ? { id_token_hint: idToken } : { client_id: config.oidc.clientId }),
      });
    },
  };
}
