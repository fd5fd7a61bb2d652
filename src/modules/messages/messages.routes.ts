import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../http/problem.ts';
import { Problem } from '../../http/schemas.ts';
import type { Services } from '../../services.ts';
import { listEvents, webhookRoutes } from '../events/index.ts';
import { machineSecurity, requireScopes } from '../identity/index.ts';
import { exportMemo } from './export-memo.ts';
import { getMessageStatus } from './get-message-status.ts';
import { warmMemoValidator } from './memo/index.ts';
import { MessageStatus, SendMessageBody } from './messages.schemas.ts';
import { recallMessage } from './recall-message.ts';
import { memoBodyLimit, sendMemoMessage } from './send-memo.ts';
import { sendMessage } from './send-message.ts';
import { getRetentionDefaults, setRetentionDefaults } from './sender-retention.ts';

const errors = { 400: Problem, 401: Problem, 404: Problem, 409: Problem, 413: Problem, 415: Problem, 422: Problem };
/** A letter deleted under the retention rules: problem+json with its tombstone (get-message-status.ts). */
const gone = { 410: Problem };

export async function messagesApiPlugin(app: FastifyInstance, { services }: { services: Services }) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  await app.register(webhookRoutes, { services });
  // The MeMo validator thread compiles the schemas once, at start, so no letter waits for it.
  app.addHook('onReady', async () => warmMemoValidator());
  // Room for the largest documents in base64, plus the JSON (or MeMo XML) around them.
  const bodyLimit = memoBodyLimit(services.config);
  // MeMo arrives as bytes: the MeMo library decodes and checks them itself (encoding, DOCTYPE, depth, size).
  app.addContentTypeParser(
    ['application/xml', 'application/vnd.memo+xml', 'text/xml'],
    { parseAs: 'buffer', bodyLimit },
    (_request, body, done) => done(null, body),
  );
  const receipt = Type.Object({
    id: Type.String({ format: 'uuid' }),
    messageUuid: Type.String({ format: 'uuid' }),
    status: Type.String(),
  });

  api.post(
    '/api/v1/messages',
    {
      bodyLimit,
      onRequest: requireScopes(services, 'messages:send'),
      schema: {
        tags: ['messages'],
        summary: 'Send a letter',
        description:
          'Stores the letter and routes it: to the recipient’s mailbox, or to remote print for exempted recipients ' +
          '(see README, Routing). Send Kuvert JSON, or a MeMo 1.1 or 1.2 document as `application/xml` (the MeMo ' +
          'messageUUID is then the idempotency key; the sending organisation is always the API key’s, whatever ' +
          'the MeMo Sender says). Sending the same `messageUuid` with the same content again returns the original ' +
          'receipt (200); with different content, 409. A NemSMS (`messageType` NEMSMS, in JSON or MeMo) is its ' +
          '`notification` text alone (no documents or actions, no links): it goes as an SMS to the recipient’s ' +
          'confirmed mobile if they opted in to NemSMS (else it is rejected, event NEMSMS_REJECTED), never to the ' +
          'mailbox or to print.\n\n' +
          'Test mode: with a test key (`kuv_test_…`, made on the sender portal’s key page) the letter is validated ' +
          'and routed exactly like a live one — the same errors, the same status and events (marked `test: true`) — ' +
          'but it reaches nobody: no mailbox, notification, print or SMS, and no statistics. It appears only in the ' +
          'sender portal’s test mailbox (/afsender/testpostkasse).',
        security: machineSecurity('messages:send'),
        // One schema per content type (Fastify validates the JSON one; MeMo is validated by its XSD). The cast keeps
        // the type provider quiet: the handler tells the two bodies apart itself.
        body: {
          content: {
            'application/json': { schema: SendMessageBody },
            'application/xml': { schema: Type.Unknown({ description: 'A MeMo 1.1 or 1.2 document' }) },
          },
        } as unknown as typeof SendMessageBody,
        response: { 201: receipt, 200: receipt, ...errors },
      },
    },
    async (request, reply) => {
      const body = request.body as unknown;
      // Only JSON is schema-checked; other parsers Fastify has (e.g. text/plain) must not reach sendMessage.
      if (!Buffer.isBuffer(body) && request.mediaType !== 'application/json') {
        throw new AppError(415, 'unsupported_media_type', 'Send application/json or MeMo as application/xml.');
      }
      const result = Buffer.isBuffer(body)
        ? await sendMemoMessage(services, request.apiCaller!, body)
        : await sendMessage(services, request.apiCaller!, body as SendMessageBody);
      reply.status(result.created ? 201 : 200).header('location', `/api/v1/messages/${result.id}`);
      return { id: result.id, messageUuid: result.messageUuid, status: result.created ? 'received' : 'duplicate' };
    },
  );

  api.get(
    '/api/v1/messages/:id/memo',
    {
      onRequest: requireScopes(services, 'messages:read'),
      schema: {
        tags: ['messages'],
        summary: 'A letter as MeMo',
        description:
          'One of your letters as a MeMo document with its files, in version 1.1 or 1.2 (default: the version it ' +
          'was sent in, or 1.2 for letters sent as JSON).',
        security: machineSecurity('messages:read'),
        params: Type.Object({ id: Type.String() }),
        querystring: Type.Object(
          { version: Type.Optional(Type.Union([Type.Literal('1.1'), Type.Literal('1.2')])) },
          { additionalProperties: false },
        ),
        response: { 200: Type.String({ description: 'application/xml' }), ...errors },
      },
    },
    async (request, reply) => {
      const xml = await exportMemo(services, request.apiCaller!.senderId, request.params.id, request.query.version);
      return reply.type('application/xml; charset=utf-8').send(xml);
    },
  );

  api.post(
    '/api/v1/messages/:id/recall',
    {
      onRequest: requireScopes(services, 'messages:send'),
      schema: {
        tags: ['messages'],
        summary: 'Recall a letter',
        description:
          'Takes back a letter that has not been read: it leaves the mailbox at once and the status becomes ' +
          '`recalled` (event RECALLED). 409 `already_read` once read, `already_printed` once posted on paper. ' +
          'Recalling again changes nothing.',
        security: machineSecurity('messages:send'),
        params: Type.Object({ id: Type.String() }),
        response: { 200: MessageStatus, ...errors },
      },
    },
    async (request) => {
      await recallMessage(services, request.apiCaller!, request.params.id);
      return getMessageStatus(services, request.apiCaller!.senderId, request.params.id);
    },
  );

  const RetentionDefaults = Type.Object({
    years: Type.Union([Type.Integer({ minimum: 1, maximum: 100 }), Type.Null()], {
      description: 'Letters sent without deleteAfter are deleted this many years after sending; null: kept',
    }),
  });
  const retentionAnswer = Type.Object({ ...RetentionDefaults.properties, maxYears: Type.Integer() });
  api.get(
    '/api/v1/retention-defaults',
    {
      onRequest: requireScopes(services, 'messages:read'),
      schema: {
        tags: ['messages'],
        summary: 'Your default retention',
        security: machineSecurity('messages:read'),
        response: { 200: retentionAnswer, ...errors },
      },
    },
    async (request) => getRetentionDefaults(services, request.apiCaller!.senderId),
  );
  api.put(
    '/api/v1/retention-defaults',
    {
      onRequest: requireScopes(services, 'messages:send'),
      schema: {
        tags: ['messages'],
        summary: 'Set your default retention',
        description:
          'Applies to letters sent from now on without their own deleteAfter; at most the national maximum ' +
          '(maxYears), else 422 retention_years_invalid.',
        security: machineSecurity('messages:send'),
        body: RetentionDefaults,
        response: { 200: retentionAnswer, ...errors },
      },
    },
    async (request) => setRetentionDefaults(services, request.apiCaller!, request.body.years),
  );

  api.get(
    '/api/v1/messages/:id',
    {
      onRequest: requireScopes(services, 'messages:read'),
      schema: {
        tags: ['messages'],
        summary: 'Follow a letter',
        description:
          'When it was received, became available in the mailbox, and was first read, and when it will be deleted ' +
          '(deleteAfter). A letter deleted under the retention rules answers 410 `retention_message_deleted` with ' +
          '`tombstone` (id, messageUuid, receivedAt, availableAt, deletedAt, reason).',
        security: machineSecurity('messages:read'),
        params: Type.Object({ id: Type.String() }),
        response: { 200: MessageStatus, ...errors, ...gone },
      },
    },
    async (request) => getMessageStatus(services, request.apiCaller!.senderId, request.params.id),
  );

  api.get(
    '/api/v1/events',
    {
      onRequest: requireScopes(services, 'messages:read'),
      schema: {
        tags: ['events'],
        summary: 'The event feed',
        description:
          'Everything that happened to your letters (RECEIVED, VALIDATED, AVAILABLE_TO_RECIPIENT, READ, …), oldest first. Start without ' +
          '`after`, then always pass the `cursor` of the previous answer: every event is delivered exactly once, in ' +
          'order, however the events were committed. Poll while `hasMore` is true, then at your own pace. Events of ' +
          'letters sent with a test key are in the feed (and sent to your webhooks) too, marked `test: true`.',
        security: machineSecurity('messages:read'),
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
                messageId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
                messageUuid: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
                senderReference: Type.Union([Type.String(), Type.Null()]),
                type: Type.String(),
                occurredAt: Type.String({ format: 'date-time' }),
                data: Type.Record(Type.String(), Type.Unknown()),
                test: Type.Optional(
                  Type.Literal(true, {
                    description: 'Present (true) only on events of a letter sent with a test key: it reached nobody',
                  }),
                ),
                technicalSender: Type.Optional(
                  Type.Object(
                    {
                      cvr: Type.Union([Type.String(), Type.Null()]),
                      name: Type.String(),
                      clientId: Type.String({ format: 'uuid' }),
                    },
                    {
                      description:
                        'On every event of a letter that a vendor’s system sent on your behalf (token with ' +
                        '`on_behalf_of`): the vendor organisation and its system client. Absent otherwise.',
                    },
                  ),
                ),
                proofUrl: Type.Optional(
                  Type.String({
                    description:
                      'On an event that is a legal fact of the letter (VALIDATED, AVAILABLE_TO_RECIPIENT, ' +
                      'PHYSICAL_LETTER_SENT, READ, LEGALLY_NOTIFIED, RECALLED): where its signed proof (PDF) is given out',
                  }),
                ),
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
