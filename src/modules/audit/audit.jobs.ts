import type { CronItem, TaskList } from 'graphile-worker';
import type { Services } from '../../services.ts';
import { createAuditCheckpoint } from './checkpoint.ts';

/** The audit module's jobs and their payloads (merged into JobPayloads in src/jobs/queue.ts). */
export type AuditJobPayloads = {
  /** Signs this hour's checkpoint of every chain's head (hourly; audit/checkpoint.ts). */
  'audit-checkpoint': { _cron?: { ts: string; backfilled?: boolean } };
};

declare module '../../jobs/queue.ts' {
  interface JobPayloads extends AuditJobPayloads {}
}

/** Handlers for AuditJobPayloads, by name (merged into the worker's task list). */
export function auditTasks(services: Services): TaskList {
  return {
    // A run caught up after a pause checkpoints the heads as they are now: that is still a true checkpoint.
    'audit-checkpoint': async () => {
      await createAuditCheckpoint(services.db);
    },
  };
}

/** Recurring audit jobs (UTC cron; see cronItems in src/worker.ts for the conventions). */
export const auditCron: CronItem[] = [
  {
    task: 'audit-checkpoint',
    match: '1 * * * *',
    identifier: 'audit-checkpoint',
    options: { jobKey: 'audit-checkpoint', queueName: 'audit', maxAttempts: 3 },
  },
];
