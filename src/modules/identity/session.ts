import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { escapeHtml } from '@kitajs/html';
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler, preHandlerAsyncHookHandler } from 'fastify';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { AppError } from '../../http/problem.ts';
import type { Actor } from '../../kernel/actor.ts';
import { deleteSession, findSession, insertSession, type StoredSession } from './session.repository.ts';

export const SESSION_COOKIE = 'kuvert_session';
export const SESSION_LIFETIME_SECONDS = 8 * 60 * 60;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const SESSION_ID_RE = /^[A-Za-z0-9_-]{43}$/;

/** Cookies are Secure on https and on localhost (browsers treat http://localhost as a secure context). */
export function secureCookies(config: Config): boolean {
  const url = new URL(config.publicUrl);
  return url.protocol === 'https:' || url.hostname === 'localhost';
}

function sessionCookieOptions(config: Config) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: secureCookies(config) };
}

/** Creates a session for a logged-in actor (inside the caller's transaction) and returns its secret id. */
export async function createSession(
  db: Db,
  actor: Actor,
  idToken: string | null,
): Promise<{ sessionId: string; csrfToken: string; expiresAt: Date }> {
  const sessionId = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + SESSION_LIFETIME_SECONDS * 1000);
  await insertSession(db, sha256(sessionId), { actor, csrfToken, idToken, expiresAt });
  return { sessionId, csrfToken, expiresAt };
}

export function setSessionCookie(reply: FastifyReply, config: Config, sessionId: string): void {
  reply.setCookie(SESSION_COOKIE, sessionId, { ...sessionCookieOptions(config), maxAge: SESSION_LIFETIME_SECONDS });
}

export function clearSessionCookie(reply: FastifyReply, config: Config): void {
  reply.clearCookie(SESSION_COOKIE, sessionCookieOptions(config));
}

/** The session id the request's cookie presents (well-formed; not checked against the database). */
export function presentedSessionId(request: FastifyRequest): string | null {
  const value = request.cookies[SESSION_COOKIE];
  return value && SESSION_ID_RE.test(value) ? value : null;
}

/** Ends the request's session (if any) and returns what it held, e.g. the ID token for the provider's logout. */
export async function endSession(db: Db, request: FastifyRequest): Promise<StoredSession | null> {
  const sessionId = presentedSessionId(request);
  if (!sessionId) return null;
  const session = await findSession(db, sha256(sessionId));
  await deleteSession(db, sha256(sessionId));
  return session;
}

/** Deletes a session by its secret id (if it exists); for a new login in the same browser. */
export async function deleteSessionById(db: Db, sessionId: string): Promise<void> {
  await deleteSession(db, sha256(sessionId));
}

/** An onRequest hook that sets `request.actor` and `request.csrfToken` from a live session cookie. */
export function loadSessionHook(db: Db): onRequestAsyncHookHandler {
  return async (request) => {
    const sessionId = presentedSessionId(request);
    if (!sessionId) return;
    const idHash = sha256(sessionId);
    const session = await findSession(db, idHash);
    if (!session) return;
    if (session.expiresAt.getTime() <= Date.now()) {
      await deleteSession(db, idHash);
      return;
    }
    request.actor = session.actor;
    request.csrfToken = session.csrfToken;
  };
}

/**
 * A preHandler that lets only logged-in actors (of the given kinds) through. Logged out: GET goes to the login with
 * a way back, other methods get 401 login_required. Wrong kind: 403 forbidden.
 */
export function requireActor(kind?: Actor['kind'] | Actor['kind'][]): preHandlerAsyncHookHandler {
  const kinds = kind === undefined ? null : Array.isArray(kind) ? kind : [kind];
  return async (request, reply) => {
    if (!request.actor) {
      if (request.method === 'GET' || request.method === 'HEAD') {
        return reply.redirect(`/login?returnTo=${encodeURIComponent(request.url)}`, 303);
      }
      throw new AppError(401, 'login_required', 'You need to log in to do this.');
    }
    if (kinds && !kinds.includes(request.actor.kind)) {
      throw new AppError(403, 'forbidden', 'Your login does not give access to this page.');
    }
  };
}

function sameSecret(a: string, b: string): boolean {
  // Comparing digests keeps the comparison constant-time even when the lengths differ.
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

/** Throws 403 csrf_failed unless the form field `_csrf` (or header `x-csrf-token`) matches the session's token. */
export function verifyCsrf(request: FastifyRequest): void {
  const body = request.body as Record<string, unknown> | undefined | null;
  const fromBody = body && typeof body === 'object' ? body._csrf : undefined;
  const presented = typeof fromBody === 'string' ? fromBody : request.headers['x-csrf-token'];
  const expected = request.csrfToken;
  if (!expected || typeof presented !== 'string' || !sameSecret(presented, expected)) {
    throw new AppError(
      403,
      'csrf_failed',
      'The form has expired or was not sent from Kuvert. Reload the page and try again.',
    );
  }
}

/** The hidden form field carrying the session's CSRF token; put it in every POST form. */
export function csrfField(request: FastifyRequest): JSX.Element {
  return `<input type="hidden" name="_csrf" value="${escapeHtml(request.csrfToken ?? '')}">`;
}
