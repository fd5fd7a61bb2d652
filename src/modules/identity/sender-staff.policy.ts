import type { Actor } from '../../kernel/actor.ts';
import type { SenderRole } from './identity.tables.ts';

/** What can be done to a sender's organisation: who may see or change its staff, its API keys, and create senders. */
export type SenderAction =
  | 'view_staff'
  | 'manage_staff'
  | 'manage_api_keys'
  | 'manage_systems'
  | 'manage_on_behalf'
  | 'create_sender'
  | 'list_senders';

/**
 * Decides whether an actor may do an action on a sender (`senderId`; null for the platform-wide actions).
 * `role` is the acting sender staff member's current role within their sender, read from staff_user (not the
 * session, so a demotion takes effect at once); null when they no longer exist. The one place these rules live.
 *
 * - Operators create and list senders; they do not manage a sender's staff or keys (the sender's administrators do).
 * - A sender's administrators manage its staff, API keys, systems (machine login) and on-behalf authorisations (which
 *   vendors may send for it, and seeing whom it may send for); its other staff see who their colleagues are.
 * - No one acts on another sender's organisation; citizens and caseworkers have no part here.
 */
export function maySender(
  actor: Actor | null,
  action: SenderAction,
  target: { senderId: string | null; role: SenderRole | null },
): boolean {
  if (!actor) return false;
  if (action === 'create_sender' || action === 'list_senders') return actor.kind === 'operator';
  if (actor.kind !== 'sender_staff' || target.senderId === null || actor.senderId !== target.senderId) return false;
  if (target.role === null) return false;
  if (action === 'view_staff') return true;
  return target.role === 'admin';
}
