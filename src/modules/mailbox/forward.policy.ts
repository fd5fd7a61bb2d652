import type { Actor } from '../../kernel/actor.ts';
import { type MailboxAccess, mayInMailbox } from '../access/index.ts';

/**
 * Whether a letter may be forwarded (to another person's mailbox or to an authority's contact point). Who may act in
 * the mailbox at all is the mailbox policy's ('forward': the owner and read/write delegates, never read-only
 * access); this adds what is particular to the letter:
 *
 * | the letter                                   | decision                       |
 * |----------------------------------------------|--------------------------------|
 * | not in the mailbox the access is to          | no_access (shown as not found) |
 * | recalled by its sender, or deleted for good  | gone (shown as not found)      |
 * | a legal notification not yet served         | unserved_legal_notification    |
 * | otherwise                                    | allowed                        |
 *
 * Why the legal notification: it is served (forkyndt) on the recipient when they open it, which starts its legal
 * effect and tells the sender; a copy handed on before that would let its content travel before it has legally
 * reached the person it was for. Once served, it is the recipient's to share like any letter.
 */
export type ForwardDecision =
  | { allowed: true }
  | { allowed: false; reason: 'no_access' | 'read_only' | 'gone' | 'unserved_legal_notification' };

export interface ForwardableLetter {
  recipientId: string;
  legalNotification: boolean;
  legallyNotifiedAt: Date | null;
  recalled: boolean;
  deleted: boolean;
}

export function mayForward(
  actor: Actor | null,
  access: MailboxAccess | null,
  letter: ForwardableLetter,
): ForwardDecision {
  if (!access || access.mailboxId !== letter.recipientId || !mayInMailbox(actor, access, 'read')) {
    return { allowed: false, reason: 'no_access' };
  }
  if (letter.recalled || letter.deleted) return { allowed: false, reason: 'gone' };
  if (!mayInMailbox(actor, access, 'forward')) return { allowed: false, reason: 'read_only' };
  if (letter.legalNotification && !letter.legallyNotifiedAt) {
    return { allowed: false, reason: 'unserved_legal_notification' };
  }
  return { allowed: true };
}
