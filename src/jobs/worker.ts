import { EventEmitter } from 'node:events';
import {
  type ParsedCronItem,
  parseCronItems,
  type Runner,
  run,
  type TaskList,
  type WorkerEvents,
} from 'graphile-worker';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { isDatabaseUnavailable } from '../db/unavailable.ts';
import { dispatchWebhooks } from '../modules/events/index.ts';
import { mailboxCron, mailboxTasks } from '../modules/mailbox/mailbox.jobs.ts';
import { deliverBatchChunk } from '../modules/messages/batches/deliver-batch-chunk.ts';
import { processBatch } from '../modules/messages/batches/process-batch.ts';
import { deliverMessage } from '../modules/messages/deliver-message.ts';
import { documentsCron, documentsTasks } from '../modules/messages/documents.jobs.ts';
import { notifyCron, notifyTasks } from '../modules/notify/notify.jobs.ts';
import { buildPrintBatches } from '../modules/print/build-print-batch.ts';
import { enrolNewFifteenYearOlds } from '../modules/registry/age-rules.ts';
import { statisticsCron, statisticsTasks } from '../modules/statistics/statistics.jobs.ts';
import { statusCron, statusTasks } from '../modules/status/status.jobs.ts';
import type { Services } from '../services.ts';
import { removeDeadJobs } from './dead-jobs.ts';
import { processWorkers, type WorkerState, workerRestarts } from './process-workers.ts';
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
    {
      // Jobs that failed for good, out of graphile-worker's table after a retention (see ./dead-jobs.ts).
      task: 'remove-dead-jobs',
      match: '23 * * * *',
      identifier: 'remove-dead-jobs',
      options: { jobKey: 'remove-dead-jobs', queueName: 'maintenance', maxAttempts: 3 },
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
    'remove-dead-jobs': async (_payload, helpers) => {
      const removed = await removeDeadJobs(services.db);
      if (removed) helpers.logger.info(`removed ${removed} jobs that had failed for good`);
    },
    'enrol-fifteen-year-olds': async (payload, helpers) => {
      const scheduled = (payload as JobPayloads['enrol-fifteen-year-olds'])._cron?.ts;
      const result = await enrolNewFifteenYearOlds(services, scheduled ? new Date(scheduled) : new Date());
      helpers.logger.info(`age-15 rule: ${result.enrolled} enrolled`);
    },
  };
}

/** A job worker that restarts itself after a fault (see startWorker). */
export interface Worker extends WorkerState {
  /** Stops the runner (its jobs in progress finish first) and ends the restarts. */
  stop(): Promise<void>;
}

const RESTART_MIN_MS = 1000;
const RESTART_MAX_MS = 30_000;

/**
 * Starts graphile-worker on the services' pool, supervised: when the runner dies (the database went away while a
 * job ended, so graphile-worker could not record it and shut its pool down), it is started again once the
 * database answers, with backoff. Jobs the dead runner still held locked are unlocked first, so they run again
 * (handlers are idempotent) instead of waiting out graphile-worker's four-hour lock.
 *
 * Job completions and failures are recorded through graphile-worker's batcher (`completeJobBatchDelay`,
 * `failJobBatchDelay`): unbatched, a completion that failed for want of the database was an unhandled promise
 * rejection inside graphile-worker, which ended the whole process.
 */
export async function startWorker(services: Services, logger: Logger, concurrency = 4): Promise<Worker> {
  let runner: Runner;
  let workerIds: string[] = [];
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  const launch = async () => {
    const events = new EventEmitter() as WorkerEvents;
    const ids: string[] = [];
    // Jobs are locked by the pool's id (graphile-worker 0.17), job queues by a worker's: unlock both kinds.
    events.on('pool:create', ({ workerPool }) => ids.push(workerPool.id));
    events.on('worker:create', ({ worker }) => ids.push(worker.workerId));
    const started = await run({
      pgPool: services.pool,
      concurrency,
      noHandleSignals: true,
      pollInterval: 1000,
      taskList: taskList(services),
      parsedCronItems: cronItems(),
      logger: graphileLogger(logger),
      events,
      preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
    });
    runner = started;
    workerIds = ids;
    started.promise.then(
      () => died(started, null),
      (error: unknown) => died(started, error),
    );
  };
  const worker: Worker & { state: Worker['state']; restarts: number } = {
    state: 'running',
    restarts: 0,
    async stop() {
      stopping = true;
      clearTimeout(timer);
      wake?.();
      processWorkers.delete(worker);
      const was = worker.state;
      worker.state = 'stopped';
      if (was === 'running') await runner.stop().catch((error) => logger.warn({ err: error }, 'job worker stop'));
    },
  };
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, ms);
    });
  const died = async (which: Runner, error: unknown) => {
    if (stopping || which !== runner) return;
    worker.state = 'restarting';
    // graphile-worker logs the cause itself (e.g. "Failed to complete jobs … ECONNREFUSED"); its runner then ends.
    logger[error === null || isDatabaseUnavailable(error) ? 'warn' : 'error'](
      { err: error },
      'the job worker stopped unexpectedly; it restarts once the database answers',
    );
    for (let attempt = 0; !stopping; attempt++) {
      await pause(Math.min(RESTART_MAX_MS, RESTART_MIN_MS * 2 ** attempt));
      if (stopping) return;
      try {
        await sql`select graphile_worker.force_unlock_workers(${workerIds}::text[])`.execute(services.db);
        await launch();
        if (stopping) {
          await runner.stop().catch(() => {});
          return;
        }
        worker.restarts++;
        workerRestarts.total++;
        worker.state = 'running';
        logger.info({ restarts: worker.restarts }, 'the job worker is running again');
        return;
      } catch (retryError) {
        logger.warn({ err: retryError, attempt: attempt + 1 }, 'the job worker could not restart yet');
      }
    }
  };
  await launch();
  processWorkers.add(worker);
  return worker;
}

import { Logger as GraphileLogger } from 'graphile-worker';

function graphileLogger(logger: Logger): GraphileLogger {
  return new GraphileLogger((scope) => (level, message, meta) => {
    const method = level === 'error' ? 'error' : level === 'warning' ? 'warn' : 'debug';
    logger[method]({ worker: scope.workerId, task: scope.taskIdentifier, jobId: scope.jobId, ...meta }, message);
  });
}
