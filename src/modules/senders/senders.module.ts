import type { KuvertModule } from '../module.ts';
import * as escalationStrings from './escalation.i18n.ts';
import * as machineStrings from './machine-access.i18n.ts';
import * as onboardingStrings from './onboarding.i18n.ts';
import { sendersErrors } from './senders.errors.ts';
import * as sendersStrings from './senders.i18n.ts';
import { sendersPlugin } from './senders.plugin.ts';

/** The senders module: the sender portal (letters, composing, batches, webhooks). No tables of its own. */
export const sendersModule: KuvertModule = {
  name: 'senders',
  errors: sendersErrors,
  strings: {
    da: { ...sendersStrings.da, ...onboardingStrings.da, ...machineStrings.da, ...escalationStrings.da },
    en: { ...sendersStrings.en, ...onboardingStrings.en, ...machineStrings.en, ...escalationStrings.en },
  },
  plugins: [sendersPlugin],
};
