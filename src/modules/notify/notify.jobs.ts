import type { CronItem, TaskList } from 'graphile-worker';
import type { Services } from '../../services.ts';

/** The notify module's jobs and their payloads (merged into JobPayloads in src/jobs/queue.ts). */
// biome-ignore lint/complexity/noBannedTypes: filled in as the module grows
export type NotifyJobPayloads = {};

/** Handlers for NotifyJobPayloads, by name (merged into the worker's task list). */
export function notifyTasks(_services: Services): TaskList {
  return {};
}

/** Recurring notify jobs (UTC cron; see cronItems in src/jobs/worker.ts for the conventions). */
export const notifyCron: CronItem[] = [];
