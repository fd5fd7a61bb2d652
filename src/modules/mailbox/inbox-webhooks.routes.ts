import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { Problem } from '../../http/schemas.ts';
import type { Services } from '../../services.ts';
import { requireScopes } from '../identity/index.ts';
import { addInboxWebhook, listInboxWebhooks, removeInboxWebhook } from './inbox-webhooks.ts';

const Endpoint = Type.Object({
  id: Type.String({ format: 'uuid' }),
  url: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  lastSuccessAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastFailureAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
});
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 429: Problem };
const security = [{ machineLogin: ['inbox:write'] }];
const description =
  'When a letter reaches the business’s mailbox, Kuvert POSTs `{"type":"LETTER_AVAILABLE","letterId":…,' +
  '"availableAt":…}` to each endpoint — no content: fetch the letter with your token, then acknowledge it. Each ' +
  'request carries `Kuvert-Signature: t=<unix seconds>,v1=<hex>` where v1 is HMAC-SHA256 with the endpoint secret ' +
  'over `<t>.<raw body>` (the same scheme as senders’ webhooks); reject a request whose signature does not match or ' +
  'whose t is more than 5 minutes old. Answer 2xx; anything else is retried with exponential backoff (at least ' +
  'once: de-duplicate by letterId). Managing endpoints needs inbox:write.';

export async function inboxWebhookRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const write = requireScopes(services, 'inbox:write');

  api.post(
    '/api/v1/inbox/webhooks',
    {
      onRequest: write,
      schema: {
        tags: ['inbox'],
        summary: 'Add a webhook endpoint for new letters (the secret is shown once)',
        description,
        security,
        body: Type.Object({ url: Type.String({ maxLength: 2000 }) }, { additionalProperties: false }),
        response: { 201: Type.Intersect([Endpoint, Type.Object({ secret: Type.String() })]), ...errors },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return addInboxWebhook(services, request.businessCaller, request.body.url);
    },
  );

  api.get(
    '/api/v1/inbox/webhooks',
    {
      onRequest: write,
      schema: {
        tags: ['inbox'],
        summary: 'List the inbox’s webhook endpoints',
        description,
        security,
        response: { 200: Type.Object({ endpoints: Type.Array(Endpoint) }), ...errors },
      },
    },
    async (request) => ({ endpoints: await listInboxWebhooks(services, request.businessCaller) }),
  );

  api.delete(
    '/api/v1/inbox/webhooks/:id',
    {
      onRequest: write,
      schema: {
        tags: ['inbox'],
        summary: 'Remove a webhook endpoint',
        description,
        security,
        params: Type.Object({ id: Type.String() }),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await removeInboxWebhook(services, request.businessCaller, request.params.id);
      return reply.status(204).send(null);
    },
  );
}
