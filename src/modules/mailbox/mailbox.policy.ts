import type { Actor } from '../identity/actor.ts';

/**
 * Who may read a letter's content. For now only the owner of the mailbox: a citizen reads their own mail.
 * Caseworkers, sender staff and operators never see content (access grants will widen this for delegates).
 */
export function canReadMessage(actor: Actor | null, message: { recipientId: string }): boolean {
  if (!actor) return false;
  switch (actor.kind) {
    case 'citizen':
      return actor.recipientId === message.recipientId;
    case 'caseworker':
    case 'sender_staff':
    case 'operator':
      return false;
  }
}
