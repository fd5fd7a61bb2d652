import type { Db } from '../../db/database.ts';
import { addMessageEvent } from '../events/index.ts';
import { insertPrintJob } from './print.repository.ts';

/**
 * Puts a letter in the print queue, in the caller's transaction, and tells the sender (PRINT_QUEUED). The next
 * 'build-print-batch' run takes it. Idempotent: a letter already queued is left as it is and gets no second event.
 */
export async function queueForPrint(
  trx: Db,
  message: { id: string; sender_id: string },
  now: Date = new Date(),
): Promise<void> {
  if (!(await insertPrintJob(trx, message, now))) return;
  await addMessageEvent(trx, message, 'PRINT_QUEUED', {}, now);
}
