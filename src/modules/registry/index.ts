/** The public face of the registry module: what other modules may import. */

export { type AddressDoubtReason, markAddressDoubtful } from './address-doubt.ts';
export { importUsage } from './business-cli.ts';
export { closedMailboxesDue, markMailboxPurged } from './closed-mailboxes.ts';
export { ageOn, changeEnrolmentNow } from './enrolment.ts';
export type { CaseworkerActor } from './get-registration.ts';
export { notYourMunicipality, requireManageablePerson } from './get-registration.ts';
export { runImport } from './import-cli.ts';
export type { ImportArgs } from './population-cli.ts';
export { parseImportArgs, populationImportUsage, runPopulationImport } from './population-cli.ts';
export { MAX_BATCH, reachabilityOf, reachabilityOfMany } from './reachability.ts';
export { canManageRegistration } from './registry.policy.ts';
export { findRegistrationByCpr } from './registry.repository.ts';
