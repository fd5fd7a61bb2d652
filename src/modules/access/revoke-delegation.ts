import { AppError } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import { recordAudit } from '../audit/index.ts';
import { type CaseworkerActor, requireManageablePerson } from '../registry/index.ts';
import { mayManageDelegations } from './access.policy.ts';
import { findDelegation, revokeDelegation } from './access.repository.ts';

/** Citizen service ends a power of attorney or a parent's access on a person of its municipality, at once. Audited. */
export async function revokeDelegationAsCaseworker(
  services: Services,
  actor: CaseworkerActor,
  options: { recipientId: string; accessId: string },
  now = new Date(),
): Promise<{ granteeName: string }> {
  const { db } = services;
  const person = await requireManageablePerson(db, actor, options.recipientId);
  const delegation = await findDelegation(db, options.accessId, now);
  if (!delegation || delegation.mailboxId !== person.id) {
    throw new AppError(404, 'access_not_found', 'This access does not exist or has already ended.');
  }
  if (!mayManageDelegations(actor, person, delegation)) {
    throw new AppError(
      403,
      'not_revocable_by_caseworker',
      'Citizen service ends powers of attorney and parental access only; the person revokes their own grants.',
    );
  }
  await db.transaction().execute(async (trx) => {
    if (!(await revokeDelegation(trx, delegation.id, { kind: 'caseworker', id: actor.staffId }, now))) {
      throw new AppError(404, 'access_not_found', 'This access does not exist or has already ended.');
    }
    await recordAudit(trx, {
      actorKind: 'caseworker',
      actorId: actor.staffId,
      action: 'access.revoke',
      subjectType: 'mailbox_access',
      subjectId: delegation.id,
      mailboxRecipientId: person.id,
      details: { kind: delegation.kind, level: delegation.level, granteeId: delegation.granteeId },
    });
  });
  return { granteeName: delegation.granteeName };
}
