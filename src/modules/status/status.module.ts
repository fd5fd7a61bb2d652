import type { KuvertModule } from '../module.ts';
import { statusErrors } from './status.errors.ts';
import * as strings from './status.i18n.ts';
import { statusCron, statusTasks } from './status.jobs.ts';
import { statusPlugin } from './status.plugin.ts';

export type { StatusTables } from './status.tables.ts';

/** The status module: operational status, /api/v1/status and /metrics. */
export const statusModule: KuvertModule = {
  name: 'status',
  errors: statusErrors,
  plugins: [statusPlugin],
  tasks: statusTasks,
  cron: statusCron,
  strings,
};
