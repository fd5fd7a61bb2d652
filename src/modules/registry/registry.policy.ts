import type { Actor } from '../../kernel/actor.ts';

/**
 * Who may see and change a person's registration in the back office: a caseworker of the citizen service of the
 * municipality the person lives in (the Danish rule), and no one else. Businesses are not handled by citizen
 * service, and a person with no municipality of residence (e.g. emigrated) by no caseworker.
 */
export function canManageRegistration(
  actor: Actor | null,
  person: { kind: 'person' | 'business'; municipalityCode: string | null },
): boolean {
  if (!actor) return false;
  switch (actor.kind) {
    case 'caseworker':
      return (
        person.kind === 'person' &&
        person.municipalityCode !== null &&
        actor.municipalityCode === person.municipalityCode
      );
    case 'citizen':
    case 'sender_staff':
    case 'operator':
      return false;
  }
}

/** Whether this actor may see a registration and its history as its owner (a citizen, their own). */
export function isOwnRegistration(actor: Actor | null, recipientId: string): boolean {
  return actor?.kind === 'citizen' && actor.recipientId === recipientId;
}
