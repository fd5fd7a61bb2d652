import type { Services } from '../../services.ts';
import { type ChangeResult, changeEnrolment } from './enrolment.ts';
import { type CaseworkerActor, caseworkerAsRegistryActor, requireManageablePerson } from './get-registration.ts';
import { cleanNote } from './register-exemption.ts';

/** A caseworker re-enrols an exempted person of their municipality in Digital Post (audited). */
export async function reEnrol(
  services: Services,
  actor: CaseworkerActor,
  options: { recipientId: string; note?: string },
): Promise<ChangeResult> {
  const note = cleanNote(options.note);
  return services.db.transaction().execute(async (trx) => {
    await requireManageablePerson(trx, actor, options.recipientId);
    return changeEnrolment(trx, options.recipientId, { type: 're_enrol', note }, caseworkerAsRegistryActor(actor));
  });
}
