import type { TaskList } from 'graphile-worker';
import type { Services } from '../../services.ts';
import { dispatchWebhooks } from './webhooks.ts';

/** The events module's jobs and their payloads (merged into JobPayloads in src/jobs/queue.ts). */
export type EventsJobPayloads = {
  /** Pushes a sender's new events to its webhook endpoints (one pending job per sender). */
  'dispatch-webhooks': { senderId: string };
};

declare module '../../jobs/queue.ts' {
  interface JobPayloads extends EventsJobPayloads {}
}

/** Handlers for EventsJobPayloads, by name (merged into the worker's task list). */
export function eventsTasks(services: Services): TaskList {
  return {
    'dispatch-webhooks': async (payload) => {
      await dispatchWebhooks(services, payload as EventsJobPayloads['dispatch-webhooks']);
    },
  };
}
