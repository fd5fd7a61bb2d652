import type { Readable } from 'node:stream';
import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../http/problem.ts';
import { Problem } from '../../http/schemas.ts';
import type { Services } from '../../services.ts';
import { requireScopes } from '../identity/index.ts';
import { batchUploadFormat, NDJSON, TAR_TYPES } from './batches/batch-upload.ts';
import { PLAN_MAX_ITEMS, planBatch } from './batches/plan-batch.ts';
import type { FormPart } from './batches/submit-csv-batch.ts';
import { SendMessageBody } from './messages.schemas.ts';
import { planMemoMessage, planMessage, type RecipientPlan } from './plan-message.ts';
import { memoBodyLimit } from './send-memo.ts';

const errors = { 400: Problem, 401: Problem, 403: Problem, 409: Problem, 413: Problem, 415: Problem, 422: Problem };
const at = Type.String({ format: 'date-time' });

/** One recipient's plan (plan-message.ts's RecipientPlan). */
export const RecipientPlanSchema = Type.Object({
  recipient: Type.String({ description: 'As you named it, masked: a CPR number as DDMMYY-****; a CVR number' }),
  channel: Type.Union([Type.Literal('digital'), Type.Literal('print'), Type.Literal('nemsms'), Type.Literal('none')], {
    description: 'digital: the mailbox; print: a paper letter; nemsms: an SMS (NemSMS); none: it would not arrive',
  }),
  reason: Type.String({
    description:
      'Why: enrolled, exempted, not_enrolled (under 15), nemsms_opted_in; or what stops it: unknown_recipient, ' +
      'recipient_closed, business_ceased, no_postal_address, recipient_not_opted_in, no_confirmed_mobile, ' +
      'already_sent (a letter with this messageUuid was sent before: sending it again changes nothing)',
  }),
  deliveryAt: Type.String({ format: 'date-time', description: 'When it would be routed: now, or doNotDeliverUntil' }),
  scheduled: Type.Boolean({ description: 'True when doNotDeliverUntil lies ahead (status scheduled until then)' }),
  notifications: Type.Array(
    Type.Object({
      channel: Type.Union([Type.Literal('email'), Type.Literal('sms')]),
      at: Type.String({ format: 'date-time', description: 'The earliest time it goes out (SMS: quiet hours applied)' }),
      purpose: Type.Union([Type.Literal('new_mail'), Type.Literal('reminder'), Type.Literal('nemsms')]),
    }),
    { description: 'Kinds of channel and times only: never an address or a text' },
  ),
  escalation: Type.Array(
    Type.Object({
      action: Type.Union([Type.Literal('remind'), Type.Literal('print_if_unread'), Type.Literal('notify_sender')]),
      afterDays: Type.Integer({ description: 'Days after the letter became available' }),
      at,
      skip: Type.Optional(
        Type.Union([Type.Literal('no_contact'), Type.Literal('not_printable'), Type.Literal('no_postal_address')], {
          description: 'Why the step would do nothing',
        }),
      ),
    }),
    {
      description:
        "The escalation plan while the letter stays unread (the letter's own, else your default plan, else your " +
        'reminder / print-if-unread defaults); every step stops when the letter is read',
    },
  ),
  failure: Type.Union(
    [
      Type.Object({
        code: Type.String({
          description:
            'The error (at intake: unknown_recipient, recipient_closed, message_uuid_conflict) or the FAILED / ' +
            'NEMSMS_REJECTED reason (recipient_not_digital, no_postal_address, recipient_not_opted_in, ' +
            'no_confirmed_mobile) you would get',
        }),
        stage: Type.Union([Type.Literal('intake'), Type.Literal('delivery'), Type.Literal('print')]),
      }),
      Type.Null(),
    ],
    { description: 'null when the letter would arrive' },
  ),
  test: Type.Optional(Type.Literal(true, { description: 'A test key: routed for real, but sent to nobody' })),
});

const LinePlanSchema = Type.Union([
  Type.Object({
    line: Type.Integer({ description: 'NDJSON line (as an editor numbers it) or tar file number' }),
    entry: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'The tar entry’s file name' })),
    messageUuid: Type.Union([Type.String(), Type.Null()]),
    plan: RecipientPlanSchema,
  }),
  Type.Object({
    line: Type.Integer(),
    entry: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    messageUuid: Type.Union([Type.String(), Type.Null()]),
    error: Type.Object({ code: Type.String(), field: Type.Union([Type.String(), Type.Null()]), detail: Type.String() }),
  }),
]);

const DRY_RUN =
  'A dry run: nothing is stored, no job is queued, nothing is sent, and no audit row is written. The registry and ' +
  'contact details are read as they are now (a letter scheduled for later is planned on today’s registry). Needs ' +
  'the scopes `messages:send` and `recipients:reachability` (an API key has both): a plan tells no more than the ' +
  'reachability look-up does, except the kinds of channel (e-mail, SMS) a notification would take — never an ' +
  'address, a name or a text. Counted against your API rate limit like any call.';

/** A plan as the API shows it: times as ISO 8601 strings. */
export function presentPlan(plan: RecipientPlan) {
  return {
    ...plan,
    deliveryAt: plan.deliveryAt.toISOString(),
    notifications: plan.notifications.map((n) => ({ ...n, at: n.at.toISOString() })),
    escalation: plan.escalation.map((e) => ({ ...e, at: e.at.toISOString() })),
  };
}

/** The sender API's dry runs: POST /api/v1/messages/plan and POST /api/v1/batches/plan. */
export async function messagePlanPlugin(app: FastifyInstance, { services }: { services: Services }) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const bodyLimit = memoBodyLimit(services.config);
  const limits = services.config.batches;
  // As on POST /api/v1/messages: MeMo arrives as bytes. Batch files stay streams (planBatch reads them itself).
  app.addContentTypeParser(
    ['application/xml', 'application/vnd.memo+xml', 'text/xml'],
    { parseAs: 'buffer', bodyLimit },
    (_request, body, done) => done(null, body),
  );
  app.addContentTypeParser([NDJSON, ...TAR_TYPES], (_request, payload, done) => done(null, payload));
  // A CSV mailing comes as multipart/form-data, with the batch route's limits (the file's own checked as it streams).
  await app.register(multipart, {
    limits: { fileSize: limits.maxBytes + 1, files: 2, fields: 1, parts: 3, fieldSize: 64 * 1024 },
    throwFileSizeLimit: false,
  });
  const onRequest = requireScopes(services, 'messages:send', 'recipients:reachability');
  // An API key, or an access token with both scopes (one security requirement lists both).
  const security: { [scheme: string]: string[] }[] = [
    { apiKey: [] },
    { machineLogin: ['messages:send', 'recipients:reachability'] },
  ];

  api.post(
    '/api/v1/messages/plan',
    {
      bodyLimit,
      onRequest,
      schema: {
        tags: ['messages'],
        summary: 'Plan a letter (dry run)',
        description:
          'What would happen to this letter if you sent it now: where it goes when it is due (the mailbox, paper, ' +
          'an SMS, or nowhere, and why), when the recipient would be notified and how (e-mail and/or SMS, quiet ' +
          'hours 21–08 applied to SMS), and the reminder and print-if-unread dates your notification defaults give. ' +
          'Send the body of POST /api/v1/messages (Kuvert JSON, or MeMo as application/xml): it is validated by the ' +
          'same rules, so the same mistake gets the same problem+json. In JSON the `documents` may be left out; ' +
          'given, they are checked as at sending. What would stop the letter after validation (an unknown or ' +
          `closed recipient, a messageUuid already used) is answered in the plan's \`failure\`, not as an error.\n\n${DRY_RUN}`,
        security,
        body: {
          content: {
            'application/json': { schema: SendMessageBody },
            'application/xml': { schema: Type.Unknown({ description: 'A MeMo 1.1 or 1.2 document' }) },
          },
        } as unknown as typeof SendMessageBody,
        response: { 200: RecipientPlanSchema, ...errors },
      },
    },
    async (request) => {
      const body = request.body as unknown;
      if (!Buffer.isBuffer(body) && request.mediaType !== 'application/json') {
        throw new AppError(415, 'unsupported_media_type', 'Send application/json or MeMo as application/xml.');
      }
      return presentPlan(
        Buffer.isBuffer(body)
          ? await planMemoMessage(services, request.apiCaller!, body)
          : await planMessage(services, request.apiCaller!, body as SendMessageBody),
      );
    },
  );

  api.post(
    '/api/v1/batches/plan',
    {
      onRequest,
      schema: {
        tags: ['batches'],
        summary: 'Plan a batch (dry run)',
        description:
          'The plan of every letter in a batch file, line by line: an NDJSON file (`application/x-ndjson`) or a tar ' +
          'archive of MeMo files (`application/x-tar`, `application/gzip`, …), read and validated exactly as ' +
          'POST /api/v1/batches reads them. Each item is answered by its `line` (NDJSON: the line number an editor ' +
          'shows; tar: the file number, with `entry`) with either its `plan` (as POST /api/v1/messages/plan) or ' +
          `the \`error\` the batch would record for it. A CSV mailing (\`multipart/form-data\`, the fields of ` +
          `POST /api/v1/batches) is answered by data row. At most ${PLAN_MAX_ITEMS} items per request: a larger ` +
          'file is refused as it streams (413 `too_many_items`, `limitItems`), so plan a big mailing in slices.' +
          `\n\n${DRY_RUN}`,
        security,
        response: {
          200: Type.Object({
            items: Type.Integer({ description: 'Items (non-empty lines, tar files) in the file' }),
            counts: Type.Object({
              digital: Type.Integer(),
              print: Type.Integer(),
              nemsms: Type.Integer(),
              none: Type.Integer({ description: 'Valid items that would not arrive (see their failure)' }),
              invalid: Type.Integer({ description: 'Items the batch would refuse (see their error)' }),
            }),
            lines: Type.Array(LinePlanSchema),
          }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const format = batchUploadFormat(request, limits, services.config.maxDocumentBytes, 'Plan');
      const body = request.body as Readable;
      const plan = await planBatch(
        services,
        limits,
        request.apiCaller!,
        format === 'csv' ? { format, parts: request.parts() as AsyncIterable<FormPart> } : { format, body },
      ).catch((error) => {
        // The rest of a refused file is not read: close the connection after the answer so the client stops.
        if (format !== 'csv') body.resume();
        reply.header('connection', 'close');
        throw error;
      });
      return {
        ...plan,
        lines: plan.lines.map((line) => ('plan' in line ? { ...line, plan: presentPlan(line.plan) } : line)),
      };
    },
  );
}
