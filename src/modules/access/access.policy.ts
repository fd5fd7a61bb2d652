import type { Actor } from '../../kernel/actor.ts';
import { canManageRegistration } from '../registry/index.ts';
import type { DelegationKind } from './mailbox.policy.ts';

/** What citizen service registers on a person's mailbox. */
export type CaseworkerDelegationKind = Extract<DelegationKind, 'power_of_attorney' | 'parent'>;

/**
 * Whether `actor` may see, register and revoke powers of attorney and parents' access on `person`'s mailbox in the
 * back office: the caseworker of the person's municipality (the registry's rule), for those two kinds only. They
 * see who holds access, never the mail.
 */
export function mayManageDelegations(
  actor: Actor | null,
  person: { kind: 'person' | 'business'; municipalityCode: string | null },
  delegation?: { kind: DelegationKind },
): boolean {
  if (delegation && delegation.kind !== 'power_of_attorney' && delegation.kind !== 'parent') return false;
  return canManageRegistration(actor, person);
}
