/**
 * Every UI string: the platform's (src/web/i18n.ts) merged with each module's `<module>.i18n.ts`, registered with the
 * translator when this file is loaded. Part of the composition root: every entry point (src/app.ts, src/worker.ts,
 * src/seed.ts, src/main.ts) imports it, so the platform's translator names no module. `MessageKey` is the union of
 * the keys (a wiring type: the platform imports it as a type).
 */
import * as access from './modules/access/access.i18n.ts';
import * as accessActivity from './modules/access/activity.i18n.ts';
import * as correspondence from './modules/correspondence/correspondence.i18n.ts';
import * as mailboxExport from './modules/mailbox/export.i18n.ts';
import * as mailbox from './modules/mailbox/mailbox.i18n.ts';
import * as mailboxRules from './modules/mailbox/rules.i18n.ts';
import * as notify from './modules/notify/notify.i18n.ts';
import * as proofs from './modules/proofs/proofs.i18n.ts';
import * as registry from './modules/registry/registry.i18n.ts';
import * as sendersEscalation from './modules/senders/escalation.i18n.ts';
import * as sendersMachine from './modules/senders/machine-access.i18n.ts';
import * as sendersOnboarding from './modules/senders/onboarding.i18n.ts';
import * as senders from './modules/senders/senders.i18n.ts';
import * as sendersTestMailbox from './modules/senders/test-mailbox.i18n.ts';
import * as statistics from './modules/statistics/statistics.i18n.ts';
import * as status from './modules/status/status.i18n.ts';
import { platformStrings, registerStrings } from './web/i18n.ts';

/** Danish first; English must have exactly the same keys (a missing key fails type-check). */
const da = {
  ...platformStrings.da,
  ...access.da,
  ...accessActivity.da,
  ...correspondence.da,
  ...mailbox.da,
  ...mailboxRules.da,
  ...mailboxExport.da,
  ...notify.da,
  ...proofs.da,
  ...registry.da,
  ...senders.da,
  ...sendersOnboarding.da,
  ...sendersMachine.da,
  ...sendersEscalation.da,
  ...sendersTestMailbox.da,
  ...statistics.da,
  ...status.da,
} as const;

export type MessageKey = keyof typeof da;

const en: Record<MessageKey, string> = {
  ...platformStrings.en,
  ...access.en,
  ...accessActivity.en,
  ...correspondence.en,
  ...mailbox.en,
  ...mailboxRules.en,
  ...mailboxExport.en,
  ...notify.en,
  ...proofs.en,
  ...registry.en,
  ...senders.en,
  ...sendersOnboarding.en,
  ...sendersMachine.en,
  ...sendersEscalation.en,
  ...sendersTestMailbox.en,
  ...statistics.en,
  ...status.en,
};

registerStrings({ da, en });
