import type { Db } from '../../db/database.ts';
import { listFolderGrantees } from '../access/index.ts';
import { scheduleFolderMailNotification } from '../notify/index.ts';

/**
 * The mailbox.rule-notify job: the letter a rule filed into `folderId` is announced to the employees whose grant is
 * scoped to that folder (grants in force now), if the letter is still there and not recalled. Administrators and
 * whole-mailbox employees are not told per folder. Returns how many were notified (had contact details).
 */
export async function notifyFolderEmployees(
  db: Db,
  payload: { messageId: string; folderId: string },
  now = new Date(),
): Promise<number> {
  const letter = await db
    .selectFrom('mailbox_item as mi')
    .innerJoin('message as m', 'm.id', 'mi.message_id')
    .select('mi.mailbox_id')
    .where('mi.message_id', '=', payload.messageId)
    .where('mi.folder', '=', 'user')
    .where('mi.folder_id', '=', payload.folderId)
    .where('m.recalled_at', 'is', null)
    .executeTakeFirst();
  if (!letter) return 0;
  const employees = await listFolderGrantees(db, letter.mailbox_id, payload.folderId, now);
  return db.transaction().execute((trx) => scheduleFolderMailNotification(trx, employees, now));
}
