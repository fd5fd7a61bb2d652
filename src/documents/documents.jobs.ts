import type { CronItem, TaskList } from 'graphile-worker';
import type { Services } from '../services.ts';
import { sweepOrphanDocuments } from './sweep-documents.ts';

/** The document store's jobs and their payloads (merged into JobPayloads in src/jobs/queue.ts). */
export type DocumentsJobPayloads = {
  /** Removes stored files no row names, older than the grace period (hourly). */
  'documents.sweep-orphans': { _cron?: { ts: string; backfilled?: boolean } };
};

declare module '../jobs/queue.ts' {
  interface JobPayloads extends DocumentsJobPayloads {}
}

/** Handlers for DocumentsJobPayloads, by name (merged into the worker's task list). */
export function documentsTasks(services: Services): TaskList {
  return {
    'documents.sweep-orphans': async (_payload, helpers) => {
      const result = await sweepOrphanDocuments(services);
      if (result.removed) helpers.logger.info(`documents: ${result.removed} files no row names removed`);
    },
  };
}

/** Recurring document jobs (UTC cron; see cronItems in src/worker.ts for the conventions). */
export const documentsCron: CronItem[] = [
  {
    task: 'documents.sweep-orphans',
    match: '17 * * * *',
    identifier: 'documents.sweep-orphans',
    options: { jobKey: 'documents.sweep-orphans', queueName: 'documents', maxAttempts: 3 },
  },
];
