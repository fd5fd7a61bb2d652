import type { CronItem, TaskList } from 'graphile-worker';
import type { Services } from '../../services.ts';
import { takeSnapshot } from './take-snapshot.ts';

/** The statistics module's jobs and their payloads (merged into JobPayloads in src/jobs/queue.ts). */
export type StatisticsJobPayloads = {
  /** The nightly statistics snapshot; `_cron.ts` is the scheduled time, whose Copenhagen day the figures describe. */
  'statistics-snapshot': { _cron?: { ts: string; backfilled?: boolean } };
};

declare module '../../jobs/queue.ts' {
  interface JobPayloads extends StatisticsJobPayloads {}
}

/** Handlers for StatisticsJobPayloads, by name (merged into the worker's task list). */
export function statisticsTasks(services: Services): TaskList {
  return {
    'statistics-snapshot': async (payload, helpers) => {
      const scheduled = (payload as StatisticsJobPayloads['statistics-snapshot'])._cron?.ts;
      // The figures are counted now and filed under the Copenhagen day of the scheduled time.
      const result = await takeSnapshot(services.db, { at: scheduled ? new Date(scheduled) : new Date() });
      helpers.logger.info(`statistics snapshot ${result.asOf}: ${result.durationMs} ms`);
    },
  };
}

/** Recurring statistics jobs (UTC cron; see cronItems in src/worker.ts for the conventions). */
export const statisticsCron: CronItem[] = [
  {
    task: 'statistics-snapshot',
    match: '30 2 * * *',
    identifier: 'statistics-snapshot',
    options: {
      backfillPeriod: 24 * 3600 * 1000,
      jobKey: 'statistics-snapshot',
      queueName: 'statistics',
      maxAttempts: 5,
    },
  },
];
