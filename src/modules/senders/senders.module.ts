import type { KuvertModule } from '../module.ts';
import { sendersErrors } from './senders.errors.ts';
import * as strings from './senders.i18n.ts';
import { sendersPlugin } from './senders.plugin.ts';

/** The senders module: the sender portal (letters, composing, batches, webhooks). No tables of its own. */
export const sendersModule: KuvertModule = {
  name: 'senders',
  errors: sendersErrors,
  strings,
  plugins: [sendersPlugin],
};
