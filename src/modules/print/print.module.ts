import type { KuvertModule } from '../module.ts';
import { printErrors } from './print.errors.ts';
import { printCron, printTasks } from './print.jobs.ts';
import { printPlugin } from './print.routes.ts';

export type { PrintTables } from './print.tables.ts';

/** The print module: letters on paper, packed into print batches for the print provider. */
export const printModule: KuvertModule = {
  name: 'print',
  errors: printErrors,
  plugins: [printPlugin],
  tasks: printTasks,
  cron: printCron,
};
