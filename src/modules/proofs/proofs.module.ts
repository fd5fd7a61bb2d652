import type { KuvertModule } from '../module.ts';
import { proofsErrors } from './proofs.errors.ts';
import * as strings from './proofs.i18n.ts';
import { proofsPlugin } from './proofs.plugin.ts';

export type { ProofsTables } from './proofs.tables.ts';

/** The proofs module: signed PDF/A proofs of a letter's legal facts (issue 18), their API and verification. */
export const proofsModule: KuvertModule = {
  name: 'proofs',
  errors: proofsErrors,
  plugins: [proofsPlugin],
  strings,
};
