import type { Db } from '../../db/database.ts';
import { textProblem } from '../../http/input.ts';
import { AppError, notFound } from '../../http/problem.ts';
import type { Actor } from '../../kernel/actor.ts';
import { FormTextError } from '../../web/form-text.ts';
import { type MailboxAccess, mayBeyondFolders, mayInMailbox } from '../access/index.ts';
import { isUuid } from './list-inbox.ts';

export const MAX_FOLDERS = 50;
export const MAX_FOLDER_NAME = 80;

export interface UserFolder {
  id: string;
  name: string;
}

function mayOrganise(actor: Actor | null, access: MailboxAccess | null): MailboxAccess {
  if (!access || !mayInMailbox(actor, access, 'list')) throw notFound('mailbox');
  // Folders are the mailbox's own: a folder-scoped employee works in theirs and does not make or delete any.
  if (!mayBeyondFolders(actor, access, 'organise')) {
    throw new AppError(403, 'forbidden', 'Your access to this mailbox does not allow this.');
  }
  return access;
}

function cleanName(raw: string | undefined): string {
  // Line breaks, tabs, NUL and the like are refused as typed (not folded into spaces); blank and length below.
  const problem = textProblem(raw ?? '', { allowBlank: true });
  if (problem) throw new FormTextError('name', problem, MAX_FOLDER_NAME);
  const name = (raw ?? '').replace(/\s+/g, ' ').trim();
  if (name.length === 0) throw new AppError(400, 'folder_name_missing', 'Give the folder a name.', 'name');
  if (name.length > MAX_FOLDER_NAME) {
    throw new AppError(400, 'folder_name_too_long', `A folder name has at most ${MAX_FOLDER_NAME} characters.`, 'name');
  }
  return name;
}

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';

export async function createFolder(
  db: Db,
  actor: Actor | null,
  access: MailboxAccess | null,
  rawName: string | undefined,
): Promise<UserFolder> {
  const { mailboxId } = mayOrganise(actor, access);
  const name = cleanName(rawName);
  const count = await db
    .selectFrom('mailbox_folder')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('mailbox_id', '=', mailboxId)
    .executeTakeFirstOrThrow();
  if (Number(count.n) >= MAX_FOLDERS) {
    throw new AppError(409, 'too_many_folders', `A mailbox has at most ${MAX_FOLDERS} folders.`, 'name');
  }
  try {
    return await db
      .insertInto('mailbox_folder')
      .values({ mailbox_id: mailboxId, name })
      .returning(['id', 'name'])
      .executeTakeFirstOrThrow();
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError(409, 'folder_exists', 'There is already a folder by that name.', 'name');
    throw error;
  }
}

export async function renameFolder(
  db: Db,
  actor: Actor | null,
  access: MailboxAccess | null,
  folderId: string,
  rawName: string | undefined,
): Promise<UserFolder> {
  const { mailboxId } = mayOrganise(actor, access);
  if (!isUuid(folderId)) throw notFound('folder');
  const name = cleanName(rawName);
  try {
    const row = await db
      .updateTable('mailbox_folder')
      .set({ name })
      .where('id', '=', folderId)
      .where('mailbox_id', '=', mailboxId)
      .returning(['id', 'name'])
      .executeTakeFirst();
    if (!row) throw notFound('folder');
    return row;
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError(409, 'folder_exists', 'There is already a folder by that name.', 'name');
    throw error;
  }
}

/** Deletes a folder; its letters go back to the Inbox (nothing is lost). Returns how many letters moved. */
export async function deleteFolder(
  db: Db,
  actor: Actor | null,
  access: MailboxAccess | null,
  folderId: string,
): Promise<number> {
  const { mailboxId } = mayOrganise(actor, access);
  if (!isUuid(folderId)) throw notFound('folder');
  return db.transaction().execute(async (trx) => {
    const folder = await trx
      .selectFrom('mailbox_folder')
      .select('id')
      .where('id', '=', folderId)
      .where('mailbox_id', '=', mailboxId)
      .forUpdate()
      .executeTakeFirst();
    if (!folder) throw notFound('folder');
    const moved = await trx
      .updateTable('mailbox_item')
      .set({ folder: 'inbox', folder_id: null, updated_at: new Date() })
      .where('folder_id', '=', folderId)
      .executeTakeFirst();
    await trx
      .updateTable('mailbox_item')
      .set({ trashed_from: 'inbox', trashed_from_folder_id: null })
      .where('trashed_from_folder_id', '=', folderId)
      .execute();
    await trx.deleteFrom('mailbox_folder').where('id', '=', folderId).execute();
    return Number(moved.numUpdatedRows);
  });
}
