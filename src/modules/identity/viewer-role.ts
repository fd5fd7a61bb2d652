import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import type { Db } from '../../db/database.ts';
import type { SenderRole } from './identity.tables.ts';
import { currentSenderRole } from './sender-staff.repository.ts';

/**
 * The page being drawn's viewer, for views that show or hide things by the viewer's sender role without every
 * caller passing it (the sender portal's navigation hides administrators' entries from other staff). A root
 * onRequest hook runs the rest of the request inside an AsyncLocalStorage scope (the pattern @fastify/request-
 * context uses); the role is read from staff_user at most once per request, and only when a view asks.
 */
const scope = new AsyncLocalStorage<{ request: FastifyRequest; db: Db; role?: Promise<SenderRole | null> }>();

export function viewerScopeHook(db: Db): onRequestHookHandler {
  return (request, _reply, done) => scope.run({ request, db }, done);
}

/**
 * The current viewer's role in their sender: 'admin' or 'staff' for sender staff, null for anyone else, and
 * undefined outside a request scope (a view rendered on its own) — then callers should show everything, as the
 * pages themselves still refuse non-administrators (maySender).
 */
export async function viewerSenderRole(): Promise<SenderRole | null | undefined> {
  const store = scope.getStore();
  if (!store) return undefined;
  const actor = store.request.actor;
  if (actor?.kind !== 'sender_staff') return null;
  store.role ??= currentSenderRole(store.db, actor.staffId, actor.senderId);
  return store.role;
}
