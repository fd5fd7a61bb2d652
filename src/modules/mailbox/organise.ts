import { AppError } from '../../http/problem.ts';
import type { Actor } from '../../kernel/actor.ts';
import type { Services } from '../../services.ts';
import { type MailboxAction, mayMoveLetter } from '../access/index.ts';
import { recordAudit } from '../audit/index.ts';
import { serveLegalNotification } from './legal-notification.ts';
import { ensureMailboxItems } from './letter.repository.ts';
import { type AuthorisedLetter, authoriseLetter, letterPlace } from './letter-access.ts';
import type { FolderRef } from './mailbox-listing.repository.ts';

export const OPERATIONS = ['move', 'mark_read', 'mark_unread', 'trash', 'restore', 'delete_permanently'] as const;
export type Operation = (typeof OPERATIONS)[number];

/** What each operation needs from the policy. */
const NEEDS: Record<Operation, MailboxAction> = {
  move: 'organise',
  mark_read: 'organise',
  mark_unread: 'organise',
  trash: 'delete',
  restore: 'delete',
  delete_permanently: 'delete_permanently',
};

/** At most this many letters in one go (one page of a listing is 20). */
export const MAX_LETTERS_PER_OPERATION = 100;

export interface OrganiseRequest {
  operation: Operation;
  messageIds: string[];
  /** For move: where to. */
  target?: Exclude<FolderRef, { kind: 'trash' }>;
}

/**
 * Moves, marks or deletes letters, all or none: each letter is checked against the policy for its own mailbox
 * (not found if the actor may not read it, 403 if they may read but not do this), and every change is made in one
 * transaction. Moving or deleting a legal-notification letter that was not opened serves it (LEGALLY_NOTIFIED).
 * The recipient's unread mark is their own: marking read never tells the sender anything.
 */
export async function organiseLetters(
  services: Services,
  actor: Actor | null,
  request: OrganiseRequest,
): Promise<{ count: number }> {
  const ids = [...new Set(request.messageIds.map((id) => id.toLowerCase()))];
  if (ids.length === 0) throw new AppError(400, 'no_letters', 'Choose at least one letter.', 'id');
  if (ids.length > MAX_LETTERS_PER_OPERATION) {
    throw new AppError(400, 'too_many_letters', `At most ${MAX_LETTERS_PER_OPERATION} letters at a time.`, 'id');
  }
  const need = NEEDS[request.operation];
  const letters: AuthorisedLetter[] = [];
  for (const id of ids) {
    const letter = await authoriseLetter(services.db, actor, id, need);
    // Restoring out of Trash, and moving out of it, is undoing a delete.
    if (letter.message.folder === 'trash' && request.operation === 'move') {
      await authoriseLetter(services.db, actor, id, 'delete');
    }
    letters.push(letter);
  }
  const target = request.target;
  if (request.operation === 'move') {
    if (!target) throw new AppError(400, 'missing_folder', 'Choose a folder to move to.', 'folder');
    if (target.kind === 'user') {
      for (const letter of letters) {
        const folder = await services.db
          .selectFrom('mailbox_folder')
          .select('id')
          .where('id', '=', target.id)
          .where('mailbox_id', '=', letter.message.recipient_id)
          .executeTakeFirst();
        if (!folder) throw new AppError(400, 'unknown_folder', 'There is no such folder in this mailbox.', 'folder');
      }
    }
    // A folder-scoped employee keeps letters within their folders: never out of them into one they cannot see.
    const to = { folder: target.kind, folderId: target.kind === 'user' ? target.id.toLowerCase() : null };
    for (const { actor: citizen, access, message } of letters) {
      if (!mayMoveLetter(citizen, access, letterPlace(message), to)) {
        throw new AppError(
          403,
          'folder_out_of_reach',
          'You cannot move letters to a folder you have no access to.',
          'folder',
        );
      }
    }
  }
  if (request.operation === 'delete_permanently' || request.operation === 'restore') {
    for (const letter of letters) {
      if (letter.message.folder !== 'trash') {
        throw new AppError(
          409,
          'not_in_trash',
          request.operation === 'restore'
            ? 'Only letters in Trash can be restored.'
            : 'Only letters in Trash can be deleted permanently.',
          'id',
        );
      }
    }
  }

  const now = new Date();
  await services.db.transaction().execute(async (trx) => {
    await ensureMailboxItems(
      trx,
      letters.map((l) => l.message),
    );
    for (const { actor: citizen, message } of letters) {
      const where = trx.updateTable('mailbox_item').where('message_id', '=', message.id);
      switch (request.operation) {
        case 'mark_read':
          await where.set({ unread: false, updated_at: now }).execute();
          break;
        case 'mark_unread':
          await where.set({ unread: true, updated_at: now }).execute();
          break;
        case 'move': {
          const t = target as NonNullable<typeof target>;
          await where
            .set({
              folder: t.kind,
              folder_id: t.kind === 'user' ? t.id : null,
              trashed_from: null,
              trashed_from_folder_id: null,
              trashed_at: null,
              updated_at: now,
            })
            .execute();
          break;
        }
        case 'trash': {
          if (message.folder === 'trash') break;
          const from = (message.folder ?? 'inbox') as 'inbox' | 'archive' | 'user';
          await where
            .set({
              folder: 'trash',
              folder_id: null,
              trashed_from: from,
              trashed_from_folder_id: from === 'user' ? message.folder_id : null,
              trashed_at: now,
              updated_at: now,
            })
            .execute();
          break;
        }
        case 'restore': {
          // Back where it came from; a user folder deleted meanwhile means the Inbox.
          const back = message.trashed_from ?? 'inbox';
          const folderId = back === 'user' ? message.trashed_from_folder_id : null;
          const folder = back === 'user' && !folderId ? 'inbox' : back;
          await where
            .set({
              folder,
              folder_id: folder === 'user' ? folderId : null,
              trashed_from: null,
              trashed_from_folder_id: null,
              trashed_at: null,
              updated_at: now,
            })
            .execute();
          break;
        }
        case 'delete_permanently':
          await where
            .set({ folder: 'deleted', folder_id: null, trashed_from_folder_id: null, updated_at: now })
            .execute();
          break;
      }
      const servesNotice =
        request.operation === 'move' || request.operation === 'trash' || request.operation === 'delete_permanently';
      if (servesNotice && message.legal_notification && message.first_read_at === null) {
        await serveLegalNotification(trx, message, now);
      }
      if (
        request.operation === 'trash' ||
        request.operation === 'restore' ||
        request.operation === 'delete_permanently'
      ) {
        await recordAudit(trx, {
          actorKind: citizen.kind,
          actorId: citizen.recipientId,
          action: `message.${request.operation}`,
          subjectType: 'message',
          subjectId: message.id,
          mailboxRecipientId: message.recipient_id,
          details: {},
        });
      }
    }
  });
  return { count: letters.length };
}
