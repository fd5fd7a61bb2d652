import { accessModule } from './access/access.module.ts';
import { auditModule } from './audit/audit.module.ts';
import { correspondenceModule } from './correspondence/correspondence.module.ts';
import { eventsModule } from './events/events.module.ts';
import { identityModule } from './identity/identity.module.ts';
import { mailboxModule } from './mailbox/mailbox.module.ts';
import { messagesModule } from './messages/messages.module.ts';
import { notifyModule } from './notify/notify.module.ts';
import { printModule } from './print/print.module.ts';
import { proofsModule } from './proofs/proofs.module.ts';
import { registryModule } from './registry/registry.module.ts';
import { sendersModule } from './senders/senders.module.ts';
import { statisticsModule } from './statistics/statistics.module.ts';
import { statusModule } from './status/status.module.ts';

export type { KuvertModule, ModulePlugin } from './module.ts';

/**
 * Every module's manifest, in the dependency order of docs/ARCHITECTURE.md and .dependency-cruiser.cjs (lowest
 * first). The composition root iterates it: plugins are registered, and cron entries and tasks merged, in this
 * order. Imported by the composition root only.
 */
export const modules = [
  auditModule,
  identityModule,
  registryModule,
  accessModule,
  eventsModule,
  printModule,
  notifyModule,
  messagesModule,
  proofsModule,
  mailboxModule,
  sendersModule,
  correspondenceModule,
  statisticsModule,
  statusModule,
] as const;

/**
 * The order the module seeds run in (src/seed.ts), not the dependency order: notify's sender defaults
 * (Skattestyrelsen reminds of unread letters) come after the letters the mailbox and correspondence seeds send, so
 * that those letters get no reminders, as before.
 */
export const seedOrder = [
  registryModule,
  mailboxModule,
  accessModule,
  correspondenceModule,
  notifyModule,
  statisticsModule,
] as const;
