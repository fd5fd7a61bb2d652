import type { Actor } from '../../kernel/actor.ts';

/** Who may post incidents and plan maintenance on the status page: operators, and no one else. */
export function canManageStatus(actor: Actor | null): actor is Extract<Actor, { kind: 'operator' }> {
  if (!actor) return false;
  switch (actor.kind) {
    case 'operator':
      return true;
    case 'citizen':
    case 'caseworker':
    case 'sender_staff':
      return false;
  }
}
