/**
 * The events module's public face for the modules above it (issue 15: other modules import a module only through its
 * index): the message-event writer (which schedules webhook dispatch), the sender's event feed, the webhook
 * endpoints and their dispatch job, and the routable-message type the channels share with routing.
 */
export {
  addMessageEvent,
  insertMessageEventsFrom,
  type MessageEvent,
  purgeMessageEvents,
  recordMessageEvent,
  recordMessageEvents,
} from './events.repository.ts';
export { type EventPage, type FeedEvent, listEvents } from './list-events.ts';
export {
  isProofFact,
  PROOF_FACT_NAMES,
  PROOF_FACTS,
  type ProofFact,
  proofFactOf,
  proofUrl,
} from './proof-facts.ts';
export type { RoutableMessage } from './routable-message.ts';
export { webhookRoutes } from './webhooks.routes.ts';
export {
  addWebhookEndpoint,
  checkUrl as checkWebhookUrl,
  dispatchWebhooks,
  isInternalAddress,
  listWebhookEndpoints,
  presentWebhookEndpoint,
  removeWebhookEndpoint,
  replayWebhook,
  SIGNATURE_HEADER,
  scheduleWebhookDispatch,
  signWebhook,
  verifyWebhook,
  type WebhookEndpoint,
  webhookHostProblem,
} from './webhooks.ts';
