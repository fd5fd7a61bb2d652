/** The public face of the identity module: what other modules may import. */

export type { IssuedToken, TokenHolder } from './access-tokens.ts';
export { ACCESS_TOKEN_TTL_SECONDS, authenticateAccessToken } from './access-tokens.ts';
export { authenticateApiKey, createApiKey } from './api-keys.ts';
export { builtInIssuer, PICKER_PATH } from './built-in-provider.ts';
export type { BusinessLogin } from './business-claims.ts';
export { certificateThumbprint } from './client-certificate.ts';
export type { SenderCreator, SenderListing } from './create-sender.ts';
export { createSender, listSenders } from './create-sender.ts';
export type { SenderRole } from './identity.tables.ts';
export { addLoginStep, type LoginStep, type LoginStepContext, type LoginStepResult } from './login-steps.ts';
export { TOKEN_PATH, tokenAudiences } from './oauth.routes.ts';
export type { AuthoriseInput, OnBehalfActor, OnBehalfAuthorisation } from './on-behalf.ts';
export { authoriseOnBehalf, listOnBehalf, MAX_AUTHORISATION_DAYS, revokeOnBehalf } from './on-behalf.ts';
export type { DemoSenderKey, Persona } from './personas.ts';
export { demoSenders, personas } from './personas.ts';
export { requireApiKey, requireScopes } from './require-api-key.ts';
export { scopeDecision } from './scope.policy.ts';
export type { Scope } from './scopes.ts';
export { ALL_SCOPES, BUSINESS_SCOPES, machineSecurity, SCOPES, SENDER_SCOPES } from './scopes.ts';
export type { SenderCaller } from './sender-caller.ts';
export { callerAudit } from './sender-caller.ts';
export type { NewSenderInput, SenderField, SenderKind } from './sender-input.ts';
export { SenderInputError, senderKinds, senderRoles } from './sender-input.ts';
export { setSenderRetentionYears } from './sender-retention.ts';
export type { SenderAction } from './sender-staff.policy.ts';
export { maySender } from './sender-staff.policy.ts';
export type { SenderStaffMember } from './sender-staff.repository.ts';
export {
  addSenderStaff,
  authoriseSender,
  changeSenderStaffRole,
  removeSenderStaff,
  senderStaffPage,
} from './sender-staff.ts';
export {
  giveOnBehalf,
  onBehalfPage,
  parsePastedJwks,
  registerSenderSystem,
  replaceSenderSystemKeys,
  revokeSenderSystem,
  senderSystems,
  withdrawOnBehalf,
} from './sender-systems.ts';
export type { SendersArgs } from './senders-cli.ts';
export { parseSendersArgs, runSendersCommand, sendersUsage } from './senders-cli.ts';
export { csrfField, requireActor, SESSION_LIFETIME_SECONDS, secureCookies, verifyCsrf } from './session.ts';
export type { ClientKeys, ClientManager, SystemClientInput, SystemClientListing } from './system-clients.ts';
export { listSystemClients, registerSystemClient, replaceKeys, revokeSystemClient } from './system-clients.ts';
export type { SystemsArgs } from './systems-cli.ts';
export { parseSystemsArgs, runSystemsCommand, systemsUsage } from './systems-cli.ts';
export { viewerSenderRole } from './viewer-role.ts';
