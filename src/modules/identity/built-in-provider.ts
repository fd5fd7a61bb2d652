import { createHmac } from 'node:crypto';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { type Account, type KoaContext, Provider } from 'oidc-provider';
import type { Db } from '../../db/database.ts';
import { isDatabaseUnavailable } from '../../db/unavailable.ts';
import { UNAVAILABLE_RETRY_AFTER_SECONDS } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import { IdpErrorPage, LoggedOutPage, LogoutConfirmPage } from './built-in-provider.views.tsx';
import { privilegeList } from './business-claims.ts';
import { ADMIN_PRIVILEGE, CPR_CLAIM, CVR_CLAIM, LOGIN_SCOPE, ORG_NAME_CLAIM, PRIVILEGES_CLAIM } from './claims.ts';
import { findStaffUserBySubject } from './identity.repository.ts';
import { oidcPayloadAdapter } from './oidc-payload.repository.ts';
import { ENTRY_PARAM, type Persona, personas } from './personas.ts';
import { loadOrCreateSigningKeys } from './signing-keys.ts';

/** Where the built-in provider lives inside Kuvert; its issuer is `${publicUrl}${IDP_PATH}`. */
export const IDP_PATH = '/idp';
/** Where the built-in provider sends the browser to pick a persona. */
export const PICKER_PATH = '/idp-login';

export const builtInIssuer = (publicUrl: string) => `${publicUrl}${IDP_PATH}`;

/** A persona's claims: the CPR number for people, and as MitID Erhverv would, the business and its privileges. */
function claimsOf(persona: Persona): Record<string, string> {
  if (persona.role === 'citizen') return { [CPR_CLAIM]: persona.cpr };
  if (persona.role !== 'business') return {};
  return {
    [CPR_CLAIM]: persona.cpr,
    [CVR_CLAIM]: persona.businessCvr,
    [ORG_NAME_CLAIM]: persona.businessName,
    [PRIVILEGES_CLAIM]: privilegeList(persona.businessCvr, persona.administrator ? [ADMIN_PRIVILEGE] : []),
  };
}

/**
 * Finds a demo persona by subject and presents it as an OpenID account; else a registered staff member (onboarded
 * without the seed), who carries only their subject and name, as a staff login at a real provider would.
 */
const findAccount =
  (db: Db) =>
  async (_ctx: unknown, sub: string): Promise<Account | undefined> => {
    const persona = personas.find((p) => p.subject === sub);
    if (!persona) {
      const staff = await findStaffUserBySubject(db, sub);
      return staff ? { accountId: sub, claims: () => ({ sub, name: staff.name }) } : undefined;
    }
    // A business employee is the person, named as such: "(Jensen Design ApS)" is only the picker's label.
    const name = persona.role === 'business' ? persona.personName : persona.name;
    return {
      accountId: persona.subject,
      claims: () => ({ sub: persona.subject, name, ...claimsOf(persona) }),
    };
  };

/** Kuvert is this provider's only, first-party client: grant it the login scopes without a consent screen. */
const UNAVAILABLE_DETAIL =
  'Kuvert kan ikke nås lige nu, så du kan ikke logge ind. Prøv igen om lidt. (Kuvert cannot be reached right now; try again in a little while.)';

async function loadExistingGrant(ctx: KoaContext) {
  const { client, session, result, provider } = ctx.oidc;
  if (!client || !session?.accountId) return undefined;
  const grantId = result?.consent?.grantId ?? session.grantIdFor(client.clientId);
  if (grantId) {
    const existing = await provider.Grant.find(grantId);
    if (existing) return existing;
  }
  const grant = new provider.Grant({ accountId: session.accountId, clientId: client.clientId });
  grant.addOIDCScope(LOGIN_SCOPE);
  await grant.save();
  return grant;
}

/**
 * Creates the built-in OpenID provider used when no OIDC_ISSUER is configured (demo and development). State lives in
 * PostgreSQL and the signing key in `app_setting`, so any number of server processes can share it.
 */
export async function createBuiltInProvider(services: Services, log: FastifyBaseLogger): Promise<Provider> {
  const { config, db } = services;
  const jwks = await loadOrCreateSigningKeys(db);
  // Derived rather than reused, so the provider's cookie signatures cannot be replayed as Kuvert's own.
  const cookieKey = createHmac('sha256', config.sessionSecret).update('kuvert-idp-cookies').digest('base64url');
  const provider = new Provider(builtInIssuer(config.publicUrl), {
    adapter: oidcPayloadAdapter(db),
    clients: [
      {
        client_id: config.oidc.clientId,
        client_secret: config.oidc.clientSecret,
        client_name: 'Kuvert',
        redirect_uris: [config.oidc.redirectUrl],
        post_logout_redirect_uris: [`${config.publicUrl}/`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks,
    cookies: {
      keys: [cookieKey],
      names: { session: 'kuvert_idp_session', interaction: 'kuvert_idp_interaction', resume: 'kuvert_idp_resume' },
    },
    pkce: { required: () => true },
    // Which personas the picker offers (oidc-client.ts sets it from the page the login returns to).
    extraParams: [ENTRY_PARAM],
    scopes: ['openid'],
    claims: { openid: ['sub'], profile: ['name', CPR_CLAIM, CVR_CLAIM, ORG_NAME_CLAIM, PRIVILEGES_CLAIM] },
    findAccount: findAccount(db),
    loadExistingGrant,
    clientBasedCORS: () => false,
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `${PICKER_PATH}/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx: KoaContext, form: string) => {
          ctx.type = 'html';
          ctx.body = `<!doctype html>${await LogoutConfirmPage({ safeForm: form })}`;
        },
        postLogoutSuccessSource: async (ctx: KoaContext) => {
          ctx.type = 'html';
          ctx.body = `<!doctype html>${await LoggedOutPage({ home: `${config.publicUrl}/` })}`;
        },
      },
    },
    renderError: async (ctx: KoaContext, out: Record<string, unknown>, error?: unknown) => {
      ctx.type = 'html';
      // The provider keeps its state in PostgreSQL: while that is away, say so with a 503 (as Kuvert's own pages do)
      // instead of oidc-provider's 500 "oops! something went wrong".
      if (isDatabaseUnavailable(error)) {
        ctx.status = 503;
        ctx.set('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
        ctx.body = `<!doctype html>${await IdpErrorPage({ detail: UNAVAILABLE_DETAIL })}`;
        return;
      }
      ctx.body = `<!doctype html>${await IdpErrorPage({ detail: String(out.error_description ?? out.error ?? '') })}`;
    },
    ttl: {
      AccessToken: 10 * 60,
      AuthorizationCode: 60,
      IdToken: 60 * 60,
      Interaction: 15 * 60,
      Grant: 8 * 60 * 60,
      Session: 8 * 60 * 60,
    },
  });
  // Behind a TLS-terminating proxy the provider must trust X-Forwarded-Proto to set secure cookies.
  provider.proxy = config.publicUrl.startsWith('https:');
  provider.on('server_error', (_ctx, err) => log.error({ err }, 'built-in identity provider failed'));
  return provider;
}

/**
 * Serves the provider under /idp. The route's onRequest hook hands the raw request to the provider before Fastify
 * reads the body, so the provider parses form posts itself.
 */
export function mountBuiltInProvider(app: FastifyInstance, provider: Provider): void {
  const handle = provider.callback();
  app.all(
    `${IDP_PATH}/*`,
    {
      schema: { hide: true },
      onRequest: async (request, reply) => {
        reply.hijack();
        // As Express would: the provider finds its mount path (for the URLs it builds) from originalUrl.
        const raw = request.raw as typeof request.raw & { originalUrl?: string };
        raw.originalUrl = raw.url;
        raw.url = raw.url?.slice(IDP_PATH.length) || '/';
        await handle(request.raw, reply.raw);
      },
    },
    async () => undefined,
  );
}
