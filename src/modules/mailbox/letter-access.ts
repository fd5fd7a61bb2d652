import type { Db } from '../../db/database.ts';
import { AppError, notFound } from '../../http/problem.ts';
import { resolveMailboxAccess } from '../access/mailbox-access.ts';
import type { Actor } from '../identity/actor.ts';
import { isUuid } from './list-inbox.ts';
import { type MailboxAccess, type MailboxAction, mayInMailbox } from './mailbox.policy.ts';
import { findMailboxMessage, type MailboxMessageRow } from './mailbox.repository.ts';

export type Citizen = Extract<Actor, { kind: 'citizen' }>;

export interface AuthorisedLetter {
  actor: Citizen;
  message: MailboxMessageRow;
  access: MailboxAccess;
}

/**
 * A letter and the actor's access to its mailbox, if the policy lets them do `action` there. A letter they may not
 * read is "not found" (its existence is never revealed); one they may read but not do `action` on is 403.
 */
export async function authoriseLetter(
  db: Db,
  actor: Actor | null,
  messageId: string,
  action: MailboxAction,
  what = 'message',
): Promise<AuthorisedLetter> {
  if (!isUuid(messageId)) throw notFound(what);
  const message = await findMailboxMessage(db, messageId.toLowerCase());
  if (!message || actor?.kind !== 'citizen') throw notFound(what);
  const access = await resolveMailboxAccess(db, actor, message.recipient_id);
  if (!mayInMailbox(actor, access, 'read') || !access) throw notFound(what);
  if (!mayInMailbox(actor, access, action)) {
    throw new AppError(403, 'forbidden', 'Your access to this mailbox does not allow this.');
  }
  return { actor, message, access };
}
