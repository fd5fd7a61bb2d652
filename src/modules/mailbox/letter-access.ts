import type { Db } from '../../db/database.ts';
import { AppError, notFound } from '../../http/problem.ts';
import type { Actor } from '../../kernel/actor.ts';
import { type MailboxAccess, type MailboxAction, mayInMailbox, resolveMailboxAccess } from '../access/index.ts';
import { findMailboxMessage, type MailboxMessageRow } from './letter.repository.ts';
import { isUuid } from './list-inbox.ts';

export type Citizen = Extract<Actor, { kind: 'citizen' }>;

export interface AuthorisedLetter<M extends MailboxMessageRow = MailboxMessageRow> {
  actor: Citizen;
  message: M;
  access: MailboxAccess;
}

/**
 * A letter and the actor's access to its mailbox, if the policy lets them do `action` there. A letter they may not
 * read is "not found" (its existence is never revealed); one they may read but not do `action` on is 403. `find`
 * reads the letter (findMailboxMessage, or a variant that reads more in the same statement: what it read is
 * returned only once the policy has allowed it).
 */
export async function authoriseLetter<M extends MailboxMessageRow = MailboxMessageRow>(
  db: Db,
  actor: Actor | null,
  messageId: string,
  action: MailboxAction,
  what = 'message',
  find: (db: Db, messageId: string) => Promise<M | undefined> = findMailboxMessage as typeof find,
): Promise<AuthorisedLetter<M>> {
  if (!isUuid(messageId)) throw notFound(what);
  const message = await find(db, messageId.toLowerCase());
  if (!message || actor?.kind !== 'citizen') throw notFound(what);
  const access = await resolveMailboxAccess(db, actor, message.recipient_id);
  if (!mayInMailbox(actor, access, 'read') || !access) throw notFound(what);
  if (!mayInMailbox(actor, access, action)) {
    throw new AppError(403, 'forbidden', 'Your access to this mailbox does not allow this.');
  }
  return { actor, message, access };
}
