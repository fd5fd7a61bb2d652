import type { Db } from '../../db/database.ts';
import type { RoutableMessage } from '../messages/deliver-message.ts';

/**
 * Routes a NemSMS message (messageType NEMSMS) when it is due, inside the routing transaction: to the recipient's
 * confirmed mobile number if they opted in to NemSMS, else FAILED with a reason. NemSMS never goes to the mailbox
 * or to print.
 */
export async function deliverNemSms(_trx: Db, _message: RoutableMessage, _now: Date): Promise<void> {}
