import type { CronItem, TaskList } from 'graphile-worker';
import type { Services } from '../../services.ts';

/** The statistics module's jobs and their payloads (merged into JobPayloads in src/jobs/queue.ts). */
// biome-ignore lint/complexity/noBannedTypes: filled in as the module grows
export type StatisticsJobPayloads = {};

/** Handlers for StatisticsJobPayloads, by name (merged into the worker's task list). */
export function statisticsTasks(_services: Services): TaskList {
  return {};
}

/** Recurring statistics jobs (UTC cron; see cronItems in src/jobs/worker.ts for the conventions). */
export const statisticsCron: CronItem[] = [];
