import type { KuvertModule } from '../module.ts';
import { contactDetailsPlugin } from './contact-details.plugin.ts';
import { notifyErrors } from './notify.errors.ts';
import * as strings from './notify.i18n.ts';
import { notifyCron, notifyTasks } from './notify.jobs.ts';
import { notifyPlugin } from './notify.plugin.ts';
import { seedNotifyDemo } from './notify.seed.ts';

export type { ContactDetailTable, NotifyTables } from './notify.tables.ts';

/** The notify module: new-mail notifications, reminders, NemSMS, e-mail and SMS transports. */
export const notifyModule: KuvertModule = {
  name: 'notify',
  errors: notifyErrors,
  // The contact-details pages first, as before they moved here from the registry.
  plugins: [contactDetailsPlugin, notifyPlugin],
  tasks: notifyTasks,
  cron: notifyCron,
  strings,
  seed: seedNotifyDemo,
};
