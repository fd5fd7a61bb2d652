import type { KuvertModule } from '../module.ts';
import { eventsTasks } from './events.jobs.ts';

/**
 * The events module: the message-event writer, the sender's event feed and its webhooks. Its routes are part of the
 * sending API (registered by messages.routes.ts under /api/v1); its job pushes events to webhook endpoints.
 */
export const eventsModule: KuvertModule = {
  name: 'events',
  tasks: eventsTasks,
};
