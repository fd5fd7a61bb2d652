import type { KuvertModule } from '../module.ts';
import { mailboxErrors } from './mailbox.errors.ts';
import * as strings from './mailbox.i18n.ts';
import { mailboxCron, mailboxTasks } from './mailbox.jobs.ts';
import { mailboxFramePlugin, mailboxPlugin } from './mailbox.plugin.tsx';
import { seedMailboxDemo } from './mailbox.seed.ts';
import { seedPrintDemo } from './paper-mail.seed.ts';
import { seedRetentionDemo } from './retention.seed.ts';

export type { MailboxTables } from './mailbox.tables.ts';

/** The mailbox module: reading, folders, search and actions on letters. */
export const mailboxModule: KuvertModule = {
  name: 'mailbox',
  errors: mailboxErrors,
  plugins: [mailboxFramePlugin, mailboxPlugin],
  tasks: mailboxTasks,
  cron: mailboxCron,
  strings,
  seed: async (ctx) => {
    await seedMailboxDemo(ctx);
    await seedRetentionDemo(ctx);
    // Paper mail's two endings (a returned letter, a failed one): letters sent through messages and printed.
    await seedPrintDemo(ctx);
  },
};
