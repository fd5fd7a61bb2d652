import type { CronItem, TaskList } from 'graphile-worker';
import type { Services } from '../../services.ts';

/** The status module's jobs and their payloads (merged into JobPayloads in src/jobs/queue.ts). */
// biome-ignore lint/complexity/noBannedTypes: filled in as the module grows
export type StatusJobPayloads = {};

/** Handlers for StatusJobPayloads, by name (merged into the worker's task list). */
export function statusTasks(_services: Services): TaskList {
  return {};
}

/** Recurring status jobs (UTC cron; see cronItems in src/jobs/worker.ts for the conventions). */
export const statusCron: CronItem[] = [];
