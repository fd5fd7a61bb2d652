import { documentsCron, documentsTasks } from '../../documents/documents.jobs.ts';
import type { KuvertModule } from '../module.ts';
import { batchesPlugin } from './batches/batches.routes.ts';
import { messagesErrors } from './messages.errors.ts';
import { messagesTasks } from './messages.jobs.ts';
import { messagesApiPlugin } from './messages.routes.ts';
import { messagePlanPlugin } from './plan.routes.ts';

export type { BatchTable, DocumentRole, MessagesTables } from './messages.tables.ts';

/** The messages module: intake, routing, bulk batches and the sending API. */
export const messagesModule: KuvertModule = {
  name: 'messages',
  errors: messagesErrors,
  plugins: [messagesApiPlugin, batchesPlugin, messagePlanPlugin],
  tasks: (services) => ({ ...documentsTasks(services), ...messagesTasks(services) }),
  cron: documentsCron,
};
