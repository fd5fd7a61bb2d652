import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { safeRedirectPath } from '../../http/input.ts';
import { AppError } from '../../http/problem.ts';
import type { Actor } from '../../kernel/actor.ts';
import type { Services } from '../../services.ts';
import { recordAudit } from '../audit/index.ts';
import { logIn, NEMLOGIN_BUSINESS_CLAIMS } from './log-in.ts';
import type { OidcLogin, PendingLogin } from './oidc-client.ts';
import { entryRoleOf } from './personas.ts';
import {
  clearSessionCookie,
  endSession,
  presentedSessionId,
  secureCookies,
  setSessionCookie,
  verifyCsrf,
} from './session.ts';

const LOGIN_COOKIE = 'kuvert_login';
const LOGIN_COOKIE_SECONDS = 15 * 60;

/** Where each kind of actor lands after logging in without a `returnTo`. */
const homeOf: Record<Actor['kind'], string> = {
  citizen: '/post',
  caseworker: '/borgerservice',
  sender_staff: '/afsender',
  operator: '/',
};

function loginCookieOptions(services: Services) {
  return {
    path: new URL(services.config.oidc.redirectUrl).pathname,
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: secureCookies(services.config),
    signed: true,
  };
}

function readPendingLogin(request: FastifyRequest): PendingLogin | null {
  const raw = request.cookies[LOGIN_COOKIE];
  if (!raw) return null;
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || !unsigned.value) return null;
  try {
    const value = JSON.parse(unsigned.value) as PendingLogin;
    return typeof value.state === 'string' && typeof value.nonce === 'string' && typeof value.codeVerifier === 'string'
      ? value
      : null;
  } catch {
    return null;
  }
}

/** /login, /auth/callback and /logout: Kuvert's side of the OpenID Connect login. */
export function registerLoginRoutes(app: FastifyInstance, services: Services, oidc: OidcLogin): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const callbackPath = new URL(services.config.oidc.redirectUrl).pathname;

  api.get(
    '/login',
    { schema: { hide: true, querystring: Type.Object({ returnTo: Type.Optional(Type.String()) }) } },
    async (request, reply) => {
      const { url, pending } = await oidc.start(safeRedirectPath(request.query.returnTo)).catch((err: unknown) => {
        request.log.error({ err }, 'identity provider discovery failed');
        throw new AppError(503, 'login_unavailable', 'Login is not available right now. Please try again later.');
      });
      reply.setCookie(LOGIN_COOKIE, JSON.stringify(pending), {
        ...loginCookieOptions(services),
        maxAge: LOGIN_COOKIE_SECONDS,
      });
      reply.header('cache-control', 'no-store');
      return reply.redirect(url.href, 303);
    },
  );

  api.get(callbackPath, { schema: { hide: true } }, async (request, reply) => {
    const pending = readPendingLogin(request);
    reply.clearCookie(LOGIN_COOKIE, loginCookieOptions(services));
    reply.header('cache-control', 'no-store');
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    const params = new URLSearchParams(query);
    // The person cancelled at the identity provider: nothing went wrong, go back to the front page.
    if (params.get('error') === 'access_denied') return reply.redirect('/', 303);
    if (!pending) {
      throw new AppError(
        400,
        'login_expired',
        'The login took too long or was started elsewhere. Please log in again.',
      );
    }
    let result: Awaited<ReturnType<OidcLogin['finish']>>;
    try {
      result = await oidc.finish(query, pending);
    } catch (err) {
      // Only the error's name, code and message: its cause may hold the provider's response, claims included.
      const e = err as { name?: string; code?: string; error?: string; message?: string };
      request.log.warn({ name: e.name, code: e.code, error: e.error, msg: e.message }, 'login callback rejected');
      throw new AppError(400, 'login_failed', 'The login could not be completed. Please try again.');
    }
    const { oidc: oidcConfig } = services.config;
    const { actor, sessionId, stepResults } = await logIn(services.db, {
      claims: result.claims,
      issuer: oidc.issuer,
      idToken: result.idToken,
      // The built-in provider always uses NemLog-in's claim name; an external one may be configured otherwise.
      cprClaim: oidcConfig.issuer ? oidcConfig.cprClaim : undefined,
      businessClaims: oidcConfig.issuer ? oidcConfig : NEMLOGIN_BUSINESS_CLAIMS,
      steps: app.kuvertLoginSteps,
      replacesSessionId: presentedSessionId(request),
    });
    setSessionCookie(reply, services.config, sessionId);
    for (const result of stepResults) result.onReply?.(reply);
    // Checked again: a login started before this check existed may carry a path a Location header cannot hold.
    const returnTo = safeRedirectPath(pending.returnTo);
    // A page for another kind of user (a caseworker returning to /post) would only say 403: go home instead.
    const role = entryRoleOf(returnTo);
    return reply.redirect(returnTo && (role === null || role === actor.kind) ? returnTo : homeOf[actor.kind], 303);
  });

  app.post('/logout', { schema: { hide: true } }, async (request: FastifyRequest, reply: FastifyReply) => {
    const actor = request.actor;
    if (!actor) {
      // Nothing to end (the session expired already); a stale cookie is all there is to clear.
      clearSessionCookie(reply, services.config);
      return reply.redirect('/', 303);
    }
    verifyCsrf(request);
    const ended = await services.db.transaction().execute(async (trx) => {
      const session = await endSession(trx, request);
      if (session) {
        const actorId = actor.kind === 'citizen' ? actor.recipientId : actor.staffId;
        await recordAudit(trx, {
          actorKind: actor.kind,
          actorId,
          action: 'session.logout',
          subjectType: actor.kind === 'citizen' ? 'recipient' : 'staff_user',
          subjectId: actorId,
          mailboxRecipientId: actor.kind === 'citizen' ? actor.recipientId : null,
        });
      }
      return session;
    });
    clearSessionCookie(reply, services.config);
    const endSessionUrl = await oidc.endSessionUrl(ended?.idToken ?? null);
    return reply.redirect(endSessionUrl?.href ?? '/', 303);
  });
}
