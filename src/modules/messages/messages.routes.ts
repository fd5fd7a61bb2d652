import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import { authenticateApiKey } from '../identity/api-keys.ts';
import { getMessageStatus } from './get-message-status.ts';
import { listEvents } from './list-events.ts';
import { MessageStatus, Problem, SendMessageBody } from './messages.schemas.ts';
import { sendMessage } from './send-message.ts';
import { webhookRoutes } from './webhooks.routes.ts';

const errors = { 400: Problem, 401: Problem, 404: Problem, 409: Problem, 413: Problem, 415: Problem, 422: Problem };

/** Resolves the bearer API key to its sender, or answers 401. */
export function requireApiKey(services: Services) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) {
      reply.header('www-authenticate', 'Bearer');
      throw new AppError(
        401,
        'missing_api_key',
        'Send your API key as "Authorization: Bearer <key>".',
        'Authorization',
      );
    }
    const caller = await authenticateApiKey(services.db, match[1] as string);
    if (!caller) {
      reply.header('www-authenticate', 'Bearer error="invalid_token"');
      throw new AppError(401, 'invalid_api_key', 'The API key is unknown or has been revoked.', 'Authorization');
    }
    request.apiCaller = caller;
  };
}

export async function messagesApiPlugin(app: FastifyInstance, { services }: { services: Services }) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const auth = requireApiKey(services);
  await app.register(webhookRoutes, { services });
  // Room for the largest documents in base64, plus the JSON around them.
  const bodyLimit = Math.ceil((services.config.maxDocumentBytes * 4) / 3) * 4 + 1024 * 1024;

  api.post(
    '/api/v1/messages',
    {
      bodyLimit,
      preHandler: auth,
      schema: {
        tags: ['messages'],
        summary: 'Send a letter',
        description:
          'Stores the letter and routes it to the recipient’s mailbox. Sending the same `messageUuid` with the same ' +
          'content again returns the original receipt (200); with different content, 409.',
        security: [{ apiKey: [] }],
        body: SendMessageBody,
        response: {
          201: Type.Object({
            id: Type.String({ format: 'uuid' }),
            messageUuid: Type.String({ format: 'uuid' }),
            status: Type.String(),
          }),
          200: Type.Object({
            id: Type.String({ format: 'uuid' }),
            messageUuid: Type.String({ format: 'uuid' }),
            status: Type.String(),
          }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const result = await sendMessage(services, request.apiCaller!, request.body);
      reply.status(result.created ? 201 : 200).header('location', `/api/v1/messages/${result.id}`);
      return { id: result.id, messageUuid: result.messageUuid, status: result.created ? 'received' : 'duplicate' };
    },
  );

  api.get(
    '/api/v1/messages/:id',
    {
      preHandler: auth,
      schema: {
        tags: ['messages'],
        summary: 'Follow a letter',
        description: 'When it was received, became available in the mailbox, and was first read.',
        security: [{ apiKey: [] }],
        params: Type.Object({ id: Type.String() }),
        response: { 200: MessageStatus, ...errors },
      },
    },
    async (request) => getMessageStatus(services, request.apiCaller!.senderId, request.params.id),
  );

  api.get(
    '/api/v1/events',
    {
      preHandler: auth,
      schema: {
        tags: ['events'],
        summary: 'The event feed',
        description:
          'Everything that happened to your letters (RECEIVED, VALIDATED, AVAILABLE_TO_RECIPIENT, READ, …), oldest first. Start without ' +
          '`after`, then always pass the `cursor` of the previous answer: every event is delivered exactly once, in ' +
          'order, however the events were committed. Poll while `hasMore` is true, then at your own pace.',
        security: [{ apiKey: [] }],
        querystring: Type.Object(
          {
            after: Type.Optional(Type.String({ maxLength: 100, description: 'The cursor of the previous page' })),
            limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$', description: '1–1000, default 100' })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            events: Type.Array(
              Type.Object({
                eventId: Type.String(),
                messageId: Type.String({ format: 'uuid' }),
                messageUuid: Type.String({ format: 'uuid' }),
                senderReference: Type.Union([Type.String(), Type.Null()]),
                type: Type.String(),
                occurredAt: Type.String({ format: 'date-time' }),
                data: Type.Record(Type.String(), Type.Unknown()),
              }),
            ),
            cursor: Type.String(),
            hasMore: Type.Boolean(),
          }),
          ...errors,
        },
      },
    },
    async (request) =>
      listEvents(services, request.apiCaller!.senderId, {
        after: request.query.after,
        limit: request.query.limit ? Number(request.query.limit) : undefined,
      }),
  );
}
