/** The public face of the identity module: what other modules may import. */
export { authenticateApiKey, createApiKey } from './api-keys.ts';
export { builtInIssuer, PICKER_PATH } from './built-in-provider.ts';
export type { BusinessLogin } from './business-claims.ts';
export { addLoginStep, type LoginStep, type LoginStepContext, type LoginStepResult } from './login-steps.ts';
export type { DemoSenderKey, Persona } from './personas.ts';
export { demoSenders, personas } from './personas.ts';
export { requireApiKey } from './require-api-key.ts';
export type { SenderCaller } from './sender-caller.ts';
export { callerAudit } from './sender-caller.ts';
export { csrfField, requireActor, secureCookies, verifyCsrf } from './session.ts';
