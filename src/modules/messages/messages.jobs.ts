import type { TaskList } from 'graphile-worker';
import type { Services } from '../../services.ts';
import { deliverBatchChunk } from './batches/deliver-batch-chunk.ts';
import { processBatch } from './batches/process-batch.ts';
import { deliverMessage } from './deliver-message.ts';

/** The messages module's jobs and their payloads (merged into JobPayloads in src/jobs/queue.ts). */
export type MessagesJobPayloads = {
  'deliver-message': { messageId: string };
  /** Applies a spooled bulk batch in chunks (./batches/process-batch.ts). */
  'process-batch': { batchId: string };
  /** Routes one committed chunk of a batch's letters set-based, as deliver-message does one. */
  'deliver-batch-chunk': { messageIds: string[] };
};

declare module '../../jobs/queue.ts' {
  interface JobPayloads extends MessagesJobPayloads {}
}

/** Handlers for MessagesJobPayloads, by name (merged into the worker's task list). */
export function messagesTasks(services: Services): TaskList {
  return {
    'deliver-message': async (payload) => {
      await deliverMessage(services, payload as { messageId: string });
    },
    'process-batch': async (payload, helpers) => {
      await processBatch(services, payload as MessagesJobPayloads['process-batch'], undefined, {
        attempts: helpers.job.attempts,
        maxAttempts: helpers.job.max_attempts,
        log: (message) => helpers.logger.warn(message),
      });
    },
    'deliver-batch-chunk': async (payload) => {
      await deliverBatchChunk(services, payload as MessagesJobPayloads['deliver-batch-chunk']);
    },
  };
}
