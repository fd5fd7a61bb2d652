import type { Readable } from 'node:stream';
import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { Problem } from '../../../http/schemas.ts';
import type { Services } from '../../../services.ts';
import { machineSecurity, requireScopes } from '../../identity/index.ts';
import { batchUploadFormat, NDJSON, TAR_TYPES } from './batch-upload.ts';
import type { BatchConfig } from './batches.config.ts';
import { cancelBatch } from './cancel-batch.ts';
import { getBatch } from './get-batch.ts';
import { listBatchErrors } from './list-batch-errors.ts';
import { recoverBatches } from './recover-batches.ts';
import { submitBatch } from './submit-batch.ts';
import { type FormPart, submitCsvBatch } from './submit-csv-batch.ts';
import { submitTarBatch } from './submit-tar-batch.ts';

const errors = { 400: Problem, 401: Problem, 404: Problem, 409: Problem, 411: Problem, 413: Problem, 415: Problem };
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });

const BatchStatus = Type.Object({
  id: Type.String({ format: 'uuid' }),
  state: Type.Union([
    Type.Literal('received'),
    Type.Literal('processing'),
    Type.Literal('completed'),
    Type.Literal('cancelled'),
    Type.Literal('failed'),
  ]),
  createdAt: Type.String({ format: 'date-time' }),
  startedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  counts: Type.Object({
    total: Type.Integer({ description: 'Items (non-empty lines) in the batch' }),
    processed: Type.Integer(),
    accepted: Type.Integer({ description: 'New letters stored' }),
    duplicates: Type.Integer({ description: 'Items whose messageUuid was already sent with the same content' }),
    failed: Type.Integer({ description: 'Items refused; see /errors' }),
  }),
  progress: Type.Number({ minimum: 0, maximum: 100 }),
  failure: Type.Union(
    [Type.Literal('processing_failed'), Type.Literal('spool_missing'), Type.Literal('spool_unreadable'), Type.Null()],
    {
      description:
        'Why a failed batch stopped: processing_failed (repeated errors on our side, the job gave up), ' +
        'spool_missing or spool_unreadable (the stored file). Items accepted before stay sent; send the batch ' +
        'again for the rest.',
    },
  ),
  detail: Type.Union([Type.String(), Type.Null()]),
  test: Type.Optional(
    Type.Literal(true, {
      description: 'Present (true) only for a batch sent with a test key: its letters reach nobody',
    }),
  ),
});

/**
 * Bulk sending: POST /api/v1/batches (NDJSON, streamed to a spool file and answered at once), its progress, its
 * failed items, and cancellation. Register with `app.register(batchesPlugin, { services })`.
 */
export async function batchesPlugin(
  app: FastifyInstance,
  { services, config }: { services: Services; config?: BatchConfig },
) {
  const limits = config ?? services.config.batches;
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  // The body stays a stream here (this plugin's scope only): submitBatch spools it with its own limits.
  app.addContentTypeParser([NDJSON, ...TAR_TYPES, 'text/csv'], (_request, payload, done) => done(null, payload));
  // CSV batches come as multipart/form-data; the file limit is the batch's own (checked as it streams), plus one
  // byte so the excess is seen.
  await app.register(multipart, {
    limits: { fileSize: limits.maxBytes + 1, files: 2, fields: 1, parts: 3, fieldSize: 64 * 1024 },
    throwFileSizeLimit: false,
  });
  // A worker killed mid-batch left it locked; schedule the resume once the server is up.
  app.addHook('onReady', async () => {
    await recoverBatches(services).catch((error) => app.log.error({ err: error }, 'batch recovery failed'));
  });

  api.post(
    '/api/v1/batches',
    {
      onRequest: requireScopes(services, 'messages:send'),
      schema: {
        tags: ['batches'],
        summary: 'Send many letters in one batch',
        description:
          'Three formats, told apart by Content-Type:\n\n' +
          '- `application/x-ndjson`: one letter per line, each the JSON of POST /api/v1/messages (the whole ' +
          'model) with `messageUuid` required. A document may instead give `sha256` of a document given inline on ' +
          'an earlier line, so a shared PDF is sent once. Lines end with LF or CRLF (a CR alone is refused: ' +
          '`invalid_line_ending`); a BOM before the first line and blank lines are ignored, and error `line` is the ' +
          'line number an editor shows.\n' +
          '- `application/x-tar` (or `application/gzip`, `application/x-gtar`, `application/tar+gzip`: a tar.gz): a ' +
          'tar archive of MeMo 1.1/1.2 files, one letter per file, each validated like a MeMo message sent alone ' +
          'and identified by its `messageUUID`. Errors name the entry.\n' +
          '- `multipart/form-data`: a CSV mailing. Field `template` (JSON: `label`, optional `notification`, ' +
          '`senderReference`, `batchKey` and flags, and `document: {title, filename, mediaType}`), file ' +
          '`recipients` (CSV, `,` or `;`: a `cpr` or `cvr` column, optionally `message_uuid`, and merge columns), ' +
          'file `document` (a PDF shared by all letters and stored once, or a text/HTML template). `{{column}}` ' +
          'in label, notification, senderReference and a text/HTML document is replaced by the row’s value. ' +
          'Without a message_uuid column, each letter’s messageUuid is the UUIDv5 of batchKey and the ' +
          'recipient’s number. Error `line` is the data row (1 = the first row under the header).\n\n' +
          'The batch is stored and answered at once (202); follow it at `/api/v1/batches/{id}`. Re-sending a batch ' +
          'is safe: letters already sent count as duplicates. A batch sent with a test key (`kuv_test_…`) is ' +
          'processed the same way, but every letter in it is a test letter (see POST /api/v1/messages, Test mode).',
        security: machineSecurity('messages:send'),
        response: {
          202: Type.Object({
            id: Type.String({ format: 'uuid' }),
            state: Type.Literal('received'),
            items: Type.Integer(),
          }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const format = batchUploadFormat(request, limits, services.config.maxDocumentBytes, 'Send');
      const caller = request.apiCaller!;
      const result = await (format === 'csv'
        ? submitCsvBatch(services, limits, caller, request.parts() as AsyncIterable<FormPart>)
        : format === 'tar'
          ? submitTarBatch(services, limits, caller, request.body as Readable)
          : submitBatch(services, limits, caller, request.body as Readable)
      ).catch((error) => {
        // The rest of a refused upload is not read (a refused gzip bomb is not unpacked further): close the
        // connection after the answer so the client stops sending.
        reply.header('connection', 'close');
        throw error;
      });
      reply.status(202).header('location', `/api/v1/batches/${result.id}`);
      return { id: result.id, state: 'received' as const, items: result.lines };
    },
  );

  api.get(
    '/api/v1/batches/:id',
    {
      onRequest: requireScopes(services, 'messages:read'),
      schema: {
        tags: ['batches'],
        summary: 'Follow a batch',
        security: machineSecurity('messages:read'),
        params: Id,
        response: { 200: BatchStatus, ...errors },
      },
    },
    async (request) => getBatch(services, request.apiCaller!.senderId, request.params.id),
  );

  api.get(
    '/api/v1/batches/:id/errors',
    {
      onRequest: requireScopes(services, 'messages:read'),
      schema: {
        tags: ['batches'],
        summary: 'The failed items of a batch',
        description: 'By line number; pass `next` of one page as `after` for the following page.',
        security: machineSecurity('messages:read'),
        params: Id,
        querystring: Type.Object(
          {
            after: Type.Optional(Type.String({ pattern: '^[0-9]{1,10}$' })),
            limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$', description: '1–1000, default 100' })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            errors: Type.Array(
              Type.Object({
                line: Type.Integer({ description: 'NDJSON line, tar file number or CSV data row (1-based)' }),
                entry: Type.Union([Type.String(), Type.Null()], { description: 'The tar entry’s file name' }),
                messageUuid: Type.Union([Type.String(), Type.Null()]),
                code: Type.String(),
                field: Type.Union([Type.String(), Type.Null()]),
                detail: Type.String(),
              }),
            ),
            next: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errors,
        },
      },
    },
    async (request) =>
      listBatchErrors(services, request.apiCaller!.senderId, request.params.id, {
        after: request.query.after ? Number(request.query.after) : undefined,
        limit: request.query.limit ? Number(request.query.limit) : undefined,
      }),
  );

  api.post(
    '/api/v1/batches/:id/cancel',
    {
      onRequest: requireScopes(services, 'messages:send'),
      schema: {
        tags: ['batches'],
        summary: 'Cancel a batch',
        description:
          'Processing stops at the next chunk boundary. Letters accepted before that stay sent (cancelling does ' +
          'not recall them); `counts.accepted` says how many.',
        security: machineSecurity('messages:send'),
        params: Id,
        response: { 200: BatchStatus, ...errors },
      },
    },
    async (request) => cancelBatch(services, request.apiCaller!, request.params.id),
  );
}
