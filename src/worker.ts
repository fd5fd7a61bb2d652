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
import { isDatabaseUnavailable } from './db/unavailable.ts';
import { removeDeadJobs } from './jobs/dead-jobs.ts';
import { processWorkers, type WorkerState, workerRestarts } from './jobs/process-workers.ts';
import { modules } from './modules/index.ts';
import type { Services } from './services.ts';
import './strings.ts';

/**
 * Recurring rules. graphile-worker's cron runs in UTC: 01:00 UTC is 02:00 in Copenhagen in winter, 03:00 in summer;
 * the day is the same either way. Each run is scheduled once however many workers run (graphile-worker records
 * the last run per identifier), a missed run is caught up when a worker starts within a day, and the job key plus
 * a serial queue keep two runs from overlapping. The rules are idempotent, so a repeat changes nothing.
 */
export function cronItems(): ParsedCronItem[] {
  return parseCronItems([
    ...modules.flatMap((module) => module.cron ?? []),
    {
      // Jobs that failed for good, out of graphile-worker's table after a retention (see ./dead-jobs.ts).
      task: 'remove-dead-jobs',
      match: '23 * * * *',
      identifier: 'remove-dead-jobs',
      options: { jobKey: 'remove-dead-jobs', queueName: 'maintenance', maxAttempts: 3 },
    },
  ]);
}

/**
 * Every job handler, by name: each module's (its manifest's `tasks`, in list order) and the platform's own.
 * Payloads are typed in JobPayloads (./queue.ts), which each module's `<module>.jobs.ts` extends.
 */
export function taskList(services: Services): TaskList {
  return {
    ...Object.assign({}, ...modules.map((module) => module.tasks?.(services) ?? {})),
    'remove-dead-jobs': async (_payload, helpers) => {
      const removed = await removeDeadJobs(services.db);
      if (removed) helpers.logger.info(`removed ${removed} jobs that had failed for good`);
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
