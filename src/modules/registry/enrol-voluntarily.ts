import type { Services } from '../../services.ts';
import { type ChangeResult, changeEnrolment } from './enrolment.ts';
import type { CitizenActor } from './get-registration.ts';

/** A citizen enrols themselves in Digital Post (e.g. after an exemption); effective at once, audited. */
export async function enrolVoluntarily(services: Services, actor: CitizenActor): Promise<ChangeResult> {
  return services.db
    .transaction()
    .execute((trx) =>
      changeEnrolment(
        trx,
        actor.recipientId,
        { type: 'enrol_voluntarily' },
        { kind: 'citizen', id: actor.recipientId },
      ),
    );
}
