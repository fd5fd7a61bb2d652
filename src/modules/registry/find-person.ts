import { AppError } from '../../http/problem.ts';
import { normaliseCpr } from '../../kernel/identifiers.ts';
import type { Services } from '../../services.ts';
import { type CaseworkerActor, notYourMunicipality } from './get-registration.ts';
import { canManageRegistration } from './registry.policy.ts';
import { findRegistrationByCpr, recordLookup } from './registry.repository.ts';

/**
 * A caseworker looks a person up by CPR number (sent in a form body, never in a URL). Returns the person's opaque
 * Kuvert id for the back-office pages. Every lookup of a known person is audited on their mailbox, also one refused
 * because they live in another municipality (which is all the caseworker is told).
 */
export async function findPerson(
  services: Services,
  actor: CaseworkerActor,
  cprInput: string,
): Promise<{ id: string }> {
  const cpr = normaliseCpr(cprInput);
  if (!cpr) throw new AppError(422, 'invalid_cpr', 'This is not a valid CPR number (DDMMÅÅ-XXXX).', 'cpr');
  const person = await findRegistrationByCpr(services.db, cpr);
  if (!person) throw new AppError(404, 'person_not_found', 'No person with this CPR number is registered.', 'cpr');
  const allowed = canManageRegistration(actor, person);
  await recordLookup(services.db, {
    staffId: actor.staffId,
    recipientId: person.id,
    action: 'registry.lookup',
    outcome: allowed ? 'found' : 'other_municipality',
  });
  if (!allowed) throw notYourMunicipality('cpr');
  return { id: person.id };
}
