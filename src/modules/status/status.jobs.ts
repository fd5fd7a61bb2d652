import type { CronItem, TaskList } from 'graphile-worker';
import type { Services } from '../../services.ts';
import { runStatusChecks } from './run-status-checks.ts';
import { recordStatusSample } from './status.repository.ts';

/** The status module's jobs and their payloads (merged into JobPayloads in src/jobs/queue.ts). */
export type StatusJobPayloads = {
  /** Checks every component and counts the result into its day (every minute; the 90-day history on /drift). */
  'record-status': { _cron?: { ts: string; backfilled?: boolean } };
};

declare module '../../jobs/queue.ts' {
  interface JobPayloads extends StatusJobPayloads {}
}

/** Handlers for StatusJobPayloads, by name (merged into the worker's task list). */
export function statusTasks(services: Services): TaskList {
  return {
    'record-status': async (payload) => {
      // A run caught up after a pause would count the present state into the past: only live runs count.
      if ((payload as StatusJobPayloads['record-status'])._cron?.backfilled) return;
      await recordStatusSample(services.db, await runStatusChecks(services));
    },
  };
}

/** Recurring status jobs (UTC cron; see cronItems in src/worker.ts for the conventions). */
export const statusCron: CronItem[] = [
  {
    task: 'record-status',
    match: '* * * * *',
    identifier: 'record-status',
    options: { jobKey: 'record-status', queueName: 'status', maxAttempts: 1 },
  },
];
