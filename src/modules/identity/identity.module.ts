import type { KuvertModule } from '../module.ts';
import { identityErrors } from './identity.errors.ts';
import { identityPlugin } from './identity.plugin.ts';

export type { IdentityTables, StaffUserTable } from './identity.tables.ts';

/**
 * The identity module: log-in (OIDC, the built-in provider), sessions, staff users, the sending organisations and
 * their API keys. Its plugin comes first: its session hook reaches every later plugin.
 */
export const identityModule: KuvertModule = {
  name: 'identity',
  errors: identityErrors,
  plugins: [identityPlugin],
};
