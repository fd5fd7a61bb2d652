import type { Actor } from '../../kernel/actor.ts';

/**
 * Who may see a sender's test mailbox (its test letters, test-mode.ts in messages): that sender's own staff, and no
 * one else — not another sender's staff, not an operator, not a citizen (even the letter's would-be recipient: a
 * test letter is never theirs).
 */
export function mayViewTestMailbox(actor: Actor | null, senderId: string): boolean {
  return actor?.kind === 'sender_staff' && actor.senderId === senderId;
}
