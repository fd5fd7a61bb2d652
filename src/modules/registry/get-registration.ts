import type { Db } from '../../db/database.ts';
import { AppError } from '../../http/problem.ts';
import type { Actor } from '../../kernel/actor.ts';
import { birthDateFromCpr } from '../../kernel/identifiers.ts';
import type { Services } from '../../services.ts';
import { ageOn, type RegistryActor } from './enrolment.ts';
import { canManageRegistration, isOwnRegistration } from './registry.policy.ts';
import {
  type EnrolmentChange,
  findRegistrationById,
  listEnrolmentHistory,
  type Registration,
  recordLookup,
} from './registry.repository.ts';

export type CaseworkerActor = Extract<Actor, { kind: 'caseworker' }>;
export type CitizenActor = Extract<Actor, { kind: 'citizen' }>;

/** A registration with its history and the person's age today. Never message content. */
export interface RegistrationView {
  registration: Registration;
  age: number | null;
  history: EnrolmentChange[];
}

/** How a caseworker is recorded in the enrolment history (the name is for colleagues, never shown to the owner). */
export const caseworkerAsRegistryActor = (actor: CaseworkerActor): RegistryActor => ({
  kind: 'caseworker',
  id: actor.staffId,
  name: actor.name,
});

export const notYourMunicipality = (field?: string) =>
  new AppError(
    403,
    'not_your_municipality',
    'The person is not registered in your municipality; the citizen service of their municipality handles them.',
    field,
  );

/** The person if this caseworker may manage them: 404 when unknown, 403 not_your_municipality otherwise. */
export async function requireManageablePerson(db: Db, actor: CaseworkerActor, recipientId: string) {
  const registration = await findRegistrationById(db, recipientId);
  if (registration?.kind !== 'person') {
    throw new AppError(404, 'person_not_found', 'No person with this id is registered.');
  }
  if (!canManageRegistration(actor, registration)) throw notYourMunicipality();
  return registration;
}

function ageOf(registration: Registration, now: Date): number | null {
  const birthDate = registration.birthDate ?? (registration.cpr ? birthDateFromCpr(registration.cpr) : null);
  return ageOn(birthDate, now);
}

/** A person's registration as the back office shows it; each view is audited on the person's mailbox. */
export async function getRegistrationForCaseworker(
  services: Services,
  actor: CaseworkerActor,
  recipientId: string,
  now = new Date(),
): Promise<RegistrationView> {
  const registration = await requireManageablePerson(services.db, actor, recipientId);
  await recordLookup(services.db, {
    staffId: actor.staffId,
    recipientId,
    action: 'registry.view',
    outcome: 'shown',
  });
  const history = await listEnrolmentHistory(services.db, recipientId);
  return { registration, age: ageOf(registration, now), history };
}

/** The logged-in citizen's own registration and history. */
export async function getOwnRegistration(
  services: Services,
  actor: CitizenActor,
  now = new Date(),
): Promise<RegistrationView> {
  const registration = await findRegistrationById(services.db, actor.recipientId);
  if (!registration || !isOwnRegistration(actor, registration.id)) {
    throw new AppError(404, 'not_found', 'Your registration was not found.');
  }
  const history = await listEnrolmentHistory(services.db, registration.id);
  return { registration, age: ageOf(registration, now), history };
}
