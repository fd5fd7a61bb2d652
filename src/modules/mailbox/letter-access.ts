import type { Db } from '../../db/database.ts';
import { AppError, notFound } from '../../http/problem.ts';
import type { Actor } from '../../kernel/actor.ts';
import {
  type LetterPlace,
  type MailboxAccess,
  type MailboxAction,
  mayOnLetter,
  resolveMailboxAccess,
} from '../access/index.ts';
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
  // A letter outside a folder-scoped grant's folders is as one the actor cannot see: not found.
  const place = letterPlace(message);
  if (!mayOnLetter(actor, access, 'read', place) || !access) throw notFound(what);
  if (!mayOnLetter(actor, access, action, place)) {
    throw new AppError(403, 'forbidden', 'Your access to this mailbox does not allow this.');
  }
  return { actor, message, access };
}

/** Where a letter (as read by findMailboxMessage) sits, for the policy's folder scope. */
export function letterPlace(message: MailboxMessageRow): LetterPlace {
  return {
    folder: message.folder ?? null,
    folderId: message.folder_id ?? null,
    trashedFromFolderId: message.trashed_from_folder_id ?? null,
  };
}
