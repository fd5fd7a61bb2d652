import { type ParsedCronItem, parseCronItems, type Runner, run, type TaskList } from 'graphile-worker';
import type { Logger } from 'pino';
import { mailboxCron, mailboxTasks } from '../modules/mailbox/mailbox.jobs.ts';
import { deliverBatchChunk } from '../modules/messages/batches/deliver-batch-chunk.ts';
import { processBatch } from '../modules/messages/batches/process-batch.ts';
import { deliverMessage } from '../modules/messages/deliver-message.ts';
import { documentsCron, documentsTasks } from '../modules/messages/documents.jobs.ts';
import { dispatchWebhooks } from '../modules/messages/webhooks.ts';
import { notifyCron, notifyTasks } from '../modules/notify/notify.jobs.ts';
import { buildPrintBatches } from '../modules/print/build-print-batch.ts';
import { enrolNewFifteenYearOlds } from '../modules/registry/age-rules.ts';
import { statisticsCron, statisticsTasks } from '../modules/statistics/statistics.jobs.ts';
import { statusCron, statusTasks } from '../modules/status/status.jobs.ts';
import type { Services } from '../services.ts';
import type { JobPayloads } from './queue.ts';

/**
 * Recurring rules. graphile-worker's cron runs in UTC: 01:00 UTC is 02:00 in Copenhagen in winter, 03:00 in summer;
 * the day is the same either way. Each run is scheduled once however many workers run (graphile-worker records
 * the last run per identifier), a missed run is caught up when a worker starts within a day, and the job key plus
 * a serial queue keep two runs from overlapping. The rules are idempotent, so a repeat changes nothing.
 */
export function cronItems(): ParsedCronItem[] {
  return parseCronItems([
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
    {
      // Print batches for the print provider; a run that finds another still building leaves the letters to it.
      task: 'build-print-batch',
      match: '*/15 * * * *',
      identifier: 'build-print-batch',
      options: { jobKey: 'build-print-batch', queueName: 'print', maxAttempts: 5 },
    },
    ...mailboxCron,
    ...documentsCron,
    ...notifyCron,
    ...statisticsCron,
    ...statusCron,
  ]);
}

/** Every job handler, by name; payloads are typed in ./queue.ts. */
export function taskList(services: Services): TaskList {
  return {
    ...mailboxTasks(services),
    ...documentsTasks(services),
    ...notifyTasks(services),
    ...statisticsTasks(services),
    ...statusTasks(services),
    'deliver-message': async (payload) => {
      await deliverMessage(services, payload as { messageId: string });
    },
    'dispatch-webhooks': async (payload) => {
      await dispatchWebhooks(services, payload as JobPayloads['dispatch-webhooks']);
    },
    'process-batch': async (payload, helpers) => {
      await processBatch(services, payload as JobPayloads['process-batch'], undefined, {
        attempts: helpers.job.attempts,
        maxAttempts: helpers.job.max_attempts,
        log: (message) => helpers.logger.warn(message),
      });
    },
    'deliver-batch-chunk': async (payload) => {
      await deliverBatchChunk(services, payload as JobPayloads['deliver-batch-chunk']);
    },
    'build-print-batch': async (payload, helpers) => {
      const result = await buildPrintBatches(services, payload as JobPayloads['build-print-batch']);
      if (result.batches.length || result.failed) {
        helpers.logger.info(`print: ${result.batches.length} batches built, ${result.failed} letters unprintable`);
      }
    },
    'enrol-fifteen-year-olds': async (payload, helpers) => {
      const scheduled = (payload as JobPayloads['enrol-fifteen-year-olds'])._cron?.ts;
      const result = await enrolNewFifteenYearOlds(services, scheduled ? new Date(scheduled) : new Date());
      helpers.logger.info(`age-15 rule: ${result.enrolled} enrolled`);
    },
  };
}

/** Starts a graphile-worker runner on the services' pool. */
export async function startWorker(services: Services, logger: Logger, concurrency = 4): Promise<Runner> {
  const runner = await run({
    pgPool: services.pool,
    concurrency,
    noHandleSignals: true,
    pollInterval: 1000,
    taskList: taskList(services),
    parsedCronItems: cronItems(),
    logger: graphileLogger(logger),
  });
  return runner;
}

import { Logger as GraphileLogger } from 'graphile-worker';

function graphileLogger(logger: Logger): GraphileLogger {
  return new GraphileLogger((scope) => (level, message, meta) => {
    const method = level === 'error' ? 'error' : level === 'warning' ? 'warn' : 'debug';
    logger[method]({ worker: scope.workerId, task: scope.taskIdentifier, jobId: scope.jobId, ...meta }, message);
  });
}
