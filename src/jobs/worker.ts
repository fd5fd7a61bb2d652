import { type Runner, run, type TaskList } from 'graphile-worker';
import type { Logger } from 'pino';
import { deliverMessage } from '../modules/messages/deliver-message.ts';
import type { Services } from '../services.ts';

/** Every job handler, by name; payloads are typed in ./queue.ts. */
export function taskList(services: Services): TaskList {
  return {
    'deliver-message': async (payload) => {
      await deliverMessage(services, payload as { messageId: string });
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
