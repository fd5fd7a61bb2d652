import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../http/problem.ts';
import { Problem } from '../../http/schemas.ts';
import type { Services } from '../../services.ts';
import { machineSecurity, requireScopes } from '../identity/index.ts';
import { addWebhookEndpoint, listWebhookEndpoints, removeWebhookEndpoint, replayWebhook } from './webhooks.ts';

const Endpoint = Type.Object({
  id: Type.String({ format: 'uuid' }),
  url: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  lastSuccessAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastFailureAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
});
const errors = { 400: Problem, 401: Problem, 404: Problem, 409: Problem };
const description =
  'Kuvert POSTs your events (the same objects as the event feed) as `{"events": [...]}` in batches of up to 100, in ' +
  'feed order. Each request carries `Kuvert-Signature: t=<unix seconds>,v1=<hex>` where v1 is HMAC-SHA256 with your ' +
  'endpoint secret over `<t>.<raw body>`; reject requests whose signature does not match or whose t is more than 5 ' +
  'minutes old. Answer 2xx to acknowledge; anything else is retried with exponential backoff (at least once: ' +
  'de-duplicate by eventId).';

export async function webhookRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.post(
    '/api/v1/webhooks',
    {
      onRequest: requireScopes(services, 'webhooks:manage'),
      schema: {
        tags: ['webhooks'],
        summary: 'Add a webhook endpoint',
        description,
        security: machineSecurity('webhooks:manage'),
        body: Type.Object({ url: Type.String({ maxLength: 2000 }) }, { additionalProperties: false }),
        response: { 201: Type.Intersect([Endpoint, Type.Object({ secret: Type.String() })]), ...errors },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return addWebhookEndpoint(services, request.apiCaller!, request.body.url);
    },
  );

  api.get(
    '/api/v1/webhooks',
    {
      onRequest: requireScopes(services, 'webhooks:manage'),
      schema: {
        tags: ['webhooks'],
        summary: 'List webhook endpoints',
        security: machineSecurity('webhooks:manage'),
        response: { 200: Type.Object({ endpoints: Type.Array(Endpoint) }), ...errors },
      },
    },
    async (request) => ({ endpoints: await listWebhookEndpoints(services, request.apiCaller!.senderId) }),
  );

  api.delete(
    '/api/v1/webhooks/:id',
    {
      onRequest: requireScopes(services, 'webhooks:manage'),
      schema: {
        tags: ['webhooks'],
        summary: 'Remove a webhook endpoint',
        security: machineSecurity('webhooks:manage'),
        params: Type.Object({ id: Type.String() }),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await removeWebhookEndpoint(services, request.apiCaller!, request.params.id);
      return reply.status(204).send(null);
    },
  );

  api.post(
    '/api/v1/webhooks/:id/replay',
    {
      onRequest: requireScopes(services, 'webhooks:manage'),
      schema: {
        tags: ['webhooks'],
        summary: 'Send events again from a point in time',
        security: machineSecurity('webhooks:manage'),
        params: Type.Object({ id: Type.String() }),
        body: Type.Object({ from: Type.String({ format: 'date-time' }) }, { additionalProperties: false }),
        response: { 202: Type.Object({ status: Type.Literal('replaying') }), ...errors },
      },
    },
    async (request, reply) => {
      const from = new Date(request.body.from);
      if (Number.isNaN(from.getTime())) throw new AppError(400, 'invalid_field', 'Not a date-time.', '/from');
      await replayWebhook(services, request.apiCaller!, request.params.id, from);
      return reply.status(202).send({ status: 'replaying' as const });
    },
  );
}
