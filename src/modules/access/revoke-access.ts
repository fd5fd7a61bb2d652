import { AppError } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import { recordAudit } from '../audit/index.ts';
import { findDelegation, revokeDelegation } from './access.repository.ts';
import { keepLastAdministrator } from './administrators.ts';
import type { CitizenActor } from './grant-access.ts';
import { mayRevokeInMailbox } from './mailbox.policy.ts';
import { resolveMailboxAccess } from './mailbox-access.ts';

const notFound = () => new AppError(404, 'access_not_found', 'This access does not exist or has already ended.');

/**
 * The owner (or a business's administrator) ends someone's access to the mailbox, at once: access is resolved on
 * every request. Audited on the mailbox.
 */
export async function revokeAccess(
  services: Services,
  actor: CitizenActor,
  options: { mailboxId: string; accessId: string },
  now = new Date(),
): Promise<{ granteeName: string }> {
  const { db } = services;
  const access = await resolveMailboxAccess(db, actor, options.mailboxId, now);
  const delegation = await findDelegation(db, options.accessId, now);
  if (!access || !delegation || delegation.mailboxId !== access.mailboxId) throw notFound();
  if (!mayRevokeInMailbox(actor, access, delegation)) {
    throw new AppError(403, 'access_management_forbidden', 'You cannot revoke this access.');
  }
  await db.transaction().execute(async (trx) => {
    // An administrator's owner access: never the business's last one (issue 17).
    if (delegation.level === 'owner') await keepLastAdministrator(trx, delegation.mailboxId, now);
    if (!(await revokeDelegation(trx, delegation.id, { kind: 'citizen', id: actor.recipientId }, now))) {
      throw notFound();
    }
    await recordAudit(trx, {
      actorKind: 'citizen',
      actorId: actor.recipientId,
      action: 'access.revoke',
      subjectType: 'mailbox_access',
      subjectId: delegation.id,
      mailboxRecipientId: delegation.mailboxId,
      details: { kind: delegation.kind, level: delegation.level, granteeId: delegation.granteeId },
    });
  });
  return { granteeName: delegation.granteeName };
}
