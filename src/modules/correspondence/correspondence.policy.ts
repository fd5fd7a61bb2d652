import type { Actor } from '../../kernel/actor.ts';
import { type MailboxAccess, mayBeyondFolders, mayInMailbox } from '../access/index.ts';

/**
 * Who may do what with replies, messages to contact points and contact points. Mailbox rights (may this person
 * reply or write in this mailbox at all) are the mailbox policy's; this module adds what is particular to
 * correspondence: the letter's reply window and which organisation's staff see what.
 */

/** Whether a letter takes a reply now: the sender allowed replies and the reply-by time has not passed. */
export type ReplyWindow = 'open' | 'not_allowed' | 'closed';

export function replyWindow(letter: { replyAllowed: boolean; replyBy: Date | null }, now: Date): ReplyWindow {
  if (!letter.replyAllowed) return 'not_allowed';
  if (letter.replyBy && now.getTime() >= letter.replyBy.getTime()) return 'closed';
  return 'open';
}

export type ReplyDecision = { allowed: true } | { allowed: false; reason: 'no_access' | ReplyWindow };

/** May `actor`, holding `access` to the letter's mailbox, reply to this letter now? */
export function mayReply(
  actor: Actor | null,
  access: MailboxAccess | null,
  letter: { recipientId: string; replyAllowed: boolean; replyBy: Date | null },
  now: Date,
): ReplyDecision {
  if (!access || access.mailboxId !== letter.recipientId || !mayInMailbox(actor, access, 'reply')) {
    return { allowed: false, reason: 'no_access' };
  }
  const window = replyWindow(letter, now);
  return window === 'open' ? { allowed: true } : { allowed: false, reason: window };
}

/** May `actor`, holding `access` to a mailbox, write a new message from it to a contact point? */
export function mayWriteToContactPoint(
  actor: Actor | null,
  access: MailboxAccess | null,
  contactPoint: { active: boolean } | null,
): boolean {
  // A new message speaks for the mailbox as a whole: whole-mailbox access only (not a folder-scoped employee).
  return !!contactPoint?.active && mayBeyondFolders(actor, access, 'write');
}

/** Sender staff manage their own organisation's contact points, and nobody else's. */
export function mayManageContactPoints(actor: Actor | null, senderId: string): boolean {
  return actor?.kind === 'sender_staff' && actor.senderId === senderId;
}

/** Sender staff read (and acknowledge) what recipients wrote to their own organisation only. */
export function mayReadInbound(actor: Actor | null, inbound: { senderId: string }): boolean {
  return actor?.kind === 'sender_staff' && actor.senderId === inbound.senderId;
}
