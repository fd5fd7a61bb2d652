import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { AppError } from '../../http/problem.ts';
import type { BusinessCaller } from '../../kernel/actor.ts';
import { recordAudit } from '../audit/index.ts';
import { serveLegalNotification } from './legal-notification.ts';
import { ensureMailboxItems, type MailboxMessageRow } from './letter.repository.ts';
import { isUuid } from './list-inbox.ts';

type Target = { kind: 'inbox' | 'archive' } | { kind: 'user'; id: string };

/** System folders a system may name (their kinds, and the names the web mailbox shows in Danish and English). */
const SYSTEM_NAMES: Record<string, 'inbox' | 'archive'> = {
  inbox: 'inbox',
  indbakke: 'inbox',
  archive: 'archive',
  arkiv: 'archive',
};

const unknownFolder = (field: string) =>
  new AppError(422, 'unknown_folder', 'There is no such folder in this mailbox.', field);

/** The folder a system names: a user folder by id, or a folder by name (user folders first, then Inbox/Archive). */
async function resolveTarget(
  db: Db,
  mailboxId: string,
  target: { folderId?: string; folderName?: string },
): Promise<Target> {
  const byId = target.folderId !== undefined;
  if (byId === (target.folderName !== undefined)) {
    throw new AppError(400, 'missing_folder', 'Name the folder by either folderId or folderName.', 'folderId');
  }
  if (byId) {
    const id = target.folderId as string;
    if (id === 'inbox' || id === 'archive') return { kind: id };
    const row = isUuid(id)
      ? await db
          .selectFrom('mailbox_folder')
          .select('id')
          .where('id', '=', id.toLowerCase())
          .where('mailbox_id', '=', mailboxId)
          .executeTakeFirst()
      : undefined;
    if (!row) throw unknownFolder('folderId');
    return { kind: 'user', id: row.id };
  }
  const name = (target.folderName as string).trim();
  const row = await db
    .selectFrom('mailbox_folder')
    .select('id')
    .where('mailbox_id', '=', mailboxId)
    .where(sql`lower(name)`, '=', name.toLowerCase())
    .orderBy('created_at')
    .executeTakeFirst();
  if (row) return { kind: 'user', id: row.id };
  const system = SYSTEM_NAMES[name.toLowerCase()];
  if (system) return { kind: system };
  throw unknownFolder('folderName');
}

/**
 * Moves a letter of the business mailbox to a folder, as the web mailbox's move does (organise.ts): the letter gets
 * its mailbox_item row, leaves Trash if it was there, and moving an unopened legal notification serves it. Audited
 * with the system client as the actor, in the same transaction.
 */
export async function moveToFolder(
  db: Db,
  caller: BusinessCaller,
  message: MailboxMessageRow,
  target: { folderId?: string; folderName?: string },
): Promise<void> {
  const to = await resolveTarget(db, message.recipient_id, target);
  const now = new Date();
  await db.transaction().execute(async (trx) => {
    await ensureMailboxItems(trx, [message]);
    await trx
      .updateTable('mailbox_item')
      .set({
        folder: to.kind,
        folder_id: to.kind === 'user' ? to.id : null,
        trashed_from: null,
        trashed_from_folder_id: null,
        trashed_at: null,
        updated_at: now,
      })
      .where('message_id', '=', message.id)
      .execute();
    if (message.legal_notification && message.first_read_at === null) {
      await serveLegalNotification(trx, message, now);
    }
    await recordAudit(trx, {
      actorKind: 'system_client',
      actorId: caller.clientId,
      action: 'message.file',
      subjectType: 'message',
      subjectId: message.id,
      mailboxRecipientId: message.recipient_id,
      details: { folder: to.kind, ...(to.kind === 'user' ? { folderId: to.id } : {}) },
    });
  });
}
