import type { KuvertModule } from '../module.ts';
import { correspondenceErrors } from './correspondence.errors.ts';
import * as strings from './correspondence.i18n.ts';
import { correspondencePlugin } from './correspondence.plugin.ts';
import { seedCorrespondenceDemo } from './correspondence.seed.ts';

export type { CorrespondenceTables } from './correspondence.tables.ts';

/** The correspondence module: replies, messages to authorities and the authorities' contact points. */
export const correspondenceModule: KuvertModule = {
  name: 'correspondence',
  errors: correspondenceErrors,
  plugins: [correspondencePlugin],
  strings,
  seed: seedCorrespondenceDemo,
};
