import type { KuvertModule } from '../module.ts';
import { accessErrors } from './access.errors.ts';
import * as strings from './access.i18n.ts';
import { accessPlugin } from './access.plugin.ts';
import { seedAccessDemo } from './access.seed.ts';

export type { AccessTables } from './access.tables.ts';

/** The access module: grants and delegations to mailboxes, and the one access policy. */
export const accessModule: KuvertModule = {
  name: 'access',
  errors: accessErrors,
  plugins: [accessPlugin],
  strings,
  seed: seedAccessDemo,
};
