import { AppError } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import { type ChangeResult, changeEnrolment } from './enrolment.ts';
import { type CaseworkerActor, caseworkerAsRegistryActor, requireManageablePerson } from './get-registration.ts';
import { cleanNote } from './register-exemption.ts';
import { deleteAfterDeath } from './registry.config.ts';

export const closeReasons = ['death', 'emigration'] as const;
export type CloseReason = (typeof closeReasons)[number];

/**
 * A caseworker closes the mailbox of a person of their municipality, because of death (kept 5 years, then deleted)
 * or emigration. Closing is hard to undo, so the caseworker must confirm it explicitly.
 */
export async function closeMailbox(
  services: Services,
  actor: CaseworkerActor,
  options: { recipientId: string; reason: string; note?: string; confirmed: boolean },
): Promise<ChangeResult> {
  if (!closeReasons.includes(options.reason as CloseReason)) {
    throw new AppError(422, 'invalid_reason', 'Choose why the mailbox is closed: death or emigration.', 'reason');
  }
  const note = cleanNote(options.note);
  if (!options.confirmed) {
    throw new AppError(422, 'confirmation_required', 'Confirm that the mailbox is to be closed.', 'confirm');
  }
  return services.db.transaction().execute(async (trx) => {
    await requireManageablePerson(trx, actor, options.recipientId);
    return changeEnrolment(
      trx,
      options.recipientId,
      {
        type: 'close',
        reason: options.reason as CloseReason,
        note,
        ...(options.reason === 'death'
          ? { deleteAfter: deleteAfterDeath(new Date(), services.config.registry.deathRetentionYears) }
          : {}),
      },
      caseworkerAsRegistryActor(actor),
    );
  });
}
