import type { CronItem, TaskList } from 'graphile-worker';
import type { Services } from '../../services.ts';
import { buildPrintBatches } from './build-print-batch.ts';

/** The print module's jobs and their payloads (merged into JobPayloads in src/jobs/queue.ts). */
export type PrintJobPayloads = {
  /** Packs queued print letters into print batches (every 15 minutes; see ./build-print-batch.ts). */
  'build-print-batch': { limit?: number; _cron?: { ts: string; backfilled?: boolean } };
};

declare module '../../jobs/queue.ts' {
  interface JobPayloads extends PrintJobPayloads {}
}

/** Handlers for PrintJobPayloads, by name (merged into the worker's task list). */
export function printTasks(services: Services): TaskList {
  return {
    'build-print-batch': async (payload, helpers) => {
      const result = await buildPrintBatches(services, payload as PrintJobPayloads['build-print-batch']);
      if (result.batches.length || result.failed) {
        helpers.logger.info(`print: ${result.batches.length} batches built, ${result.failed} letters unprintable`);
      }
    },
  };
}

/** Recurring print jobs (UTC cron; see cronItems in src/worker.ts for the conventions). */
export const printCron: CronItem[] = [
  {
    // Print batches for the print provider; a run that finds another still building leaves the letters to it.
    task: 'build-print-batch',
    match: '*/15 * * * *',
    identifier: 'build-print-batch',
    options: { jobKey: 'build-print-batch', queueName: 'print', maxAttempts: 5 },
  },
];
