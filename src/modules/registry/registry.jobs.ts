import type { CronItem, TaskList } from 'graphile-worker';
import type { Services } from '../../services.ts';
import { enrolNewFifteenYearOlds } from './age-rules.ts';

/** The registry module's jobs and their payloads (merged into JobPayloads in src/jobs/queue.ts). */
export type RegistryJobPayloads = {
  /** Scheduled daily (see registryCron); `_cron.ts` is the scheduled time, used as the rule's clock. */
  'enrol-fifteen-year-olds': { _cron?: { ts: string; backfilled?: boolean } };
};

declare module '../../jobs/queue.ts' {
  interface JobPayloads extends RegistryJobPayloads {}
}

/** Handlers for RegistryJobPayloads, by name (merged into the worker's task list). */
export function registryTasks(services: Services): TaskList {
  return {
    'enrol-fifteen-year-olds': async (payload, helpers) => {
      const scheduled = (payload as RegistryJobPayloads['enrol-fifteen-year-olds'])._cron?.ts;
      const result = await enrolNewFifteenYearOlds(services, scheduled ? new Date(scheduled) : new Date());
      helpers.logger.info(`age-15 rule: ${result.enrolled} enrolled`);
    },
  };
}

/** Recurring registry jobs (UTC cron; see cronItems in src/worker.ts for the conventions). */
export const registryCron: CronItem[] = [
  {
    task: 'enrol-fifteen-year-olds',
    match: '0 1 * * *',
    identifier: 'enrol-fifteen-year-olds',
    options: {
      backfillPeriod: 24 * 3600 * 1000,
      jobKey: 'enrol-fifteen-year-olds',
      queueName: 'registry-rules',
      maxAttempts: 10,
    },
  },
];
