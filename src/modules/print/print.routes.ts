import { createHash, timingSafeEqual } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../http/problem.ts';
import { Problem } from '../../http/schemas.ts';
import type { Services } from '../../services.ts';
import { confirmPrintBatch } from './confirm-print-batch.ts';
import { listPrintBatches } from './list-print-batches.ts';
import { RETURN_REASONS, reportReturnedLetters } from './report-returns.ts';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** The print provider's bearer token (KUVERT_PRINT_PROVIDER_TOKEN); without one configured, the API does not exist. */
export function requirePrintProvider(services: Services) {
  const expected = services.config.printProviderToken ? digest(services.config.printProviderToken) : null;
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!expected) throw new AppError(404, 'not_found', 'There is nothing at this address.');
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    // Compared as SHA-256 digests: equal length, constant time.
    if (!match || !timingSafeEqual(digest(match[1] as string), expected)) {
      reply.header('www-authenticate', 'Bearer');
      throw new AppError(401, 'invalid_print_provider_token', 'Send the print provider token as a Bearer token.');
    }
  };
}

const Batch = Type.Object({
  id: Type.String({ format: 'uuid' }),
  state: Type.Union([Type.Literal('ready'), Type.Literal('confirmed')]),
  createdAt: Type.String({ format: 'date-time' }),
  readyAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  confirmedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  letters: Type.Integer(),
  pages: Type.Integer(),
  folder: Type.String(),
});
const errors = { 400: Problem, 401: Problem, 404: Problem, 409: Problem };

const ReturnedLetter = Type.Object(
  {
    letterId: Type.String({ format: 'uuid', description: 'The letter’s id (messageId in the batch manifest)' }),
    reason: Type.Union(
      RETURN_REASONS.map((r) => Type.Literal(r)),
      { description: 'Why the post brought it back' },
    ),
    returnedAt: Type.String({ format: 'date-time', description: 'When the letter came back' }),
  },
  { additionalProperties: false },
);

/** The print provider's API: which batches to collect, and confirming one as printed and posted. */
export async function printPlugin(app: FastifyInstance, { services }: { services: Services }) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const auth = requirePrintProvider(services);

  api.get(
    '/api/v1/print/batches',
    {
      onRequest: auth,
      schema: {
        tags: ['print'],
        summary: 'List print batches',
        description:
          'Batches oldest first. `ready`: complete folders in the print outbox (`<data>/print/outbox/<id>/`: one PDF ' +
          'per letter and `manifest.json`), to print and post. `confirmed`: already confirmed.',
        security: [{ printProviderToken: [] }],
        querystring: Type.Object(
          {
            state: Type.Optional(Type.Union([Type.Literal('ready'), Type.Literal('confirmed')])),
            limit: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,3}$' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ batches: Type.Array(Batch) }), ...errors },
      },
    },
    async (request) => {
      const limit = Math.min(Number(request.query.limit ?? 100), 1000);
      return { batches: await listPrintBatches(services, { state: request.query.state ?? 'ready', limit }) };
    },
  );

  api.post(
    '/api/v1/print/batches/:id/confirmation',
    {
      onRequest: auth,
      schema: {
        tags: ['print'],
        summary: 'Confirm a print batch as printed and posted',
        description:
          'Records PHYSICAL_LETTER_SENT for every letter of the batch. Confirming again is harmless and answers the same.',
        security: [{ printProviderToken: [] }],
        params: Type.Object({ id: Type.String() }),
        response: {
          200: Type.Object({
            batchId: Type.String({ format: 'uuid' }),
            state: Type.Literal('confirmed'),
            confirmedAt: Type.String({ format: 'date-time' }),
            letters: Type.Integer(),
            newlySent: Type.Integer(),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const result = await confirmPrintBatch(services, request.params.id);
      return { ...result, state: 'confirmed' as const, confirmedAt: result.confirmedAt.toISOString() };
    },
  );

  api.post(
    '/api/v1/print/returns',
    {
      onRequest: auth,
      schema: {
        tags: ['print'],
        summary: 'Report letters the post brought back',
        description:
          'For each posted letter: RETURNED_TO_SENDER with the reason for the sender (event feed, webhooks), the ' +
          'letter’s status becomes `returned`, and the recipient’s postal address is marked doubtful in the registry ' +
          '(not for `refused`). All or nothing: an unknown letter (422) or one whose batch is not confirmed (409) ' +
          'refuses the report. A letter reported again changes nothing (`already_recorded`).',
        security: [{ printProviderToken: [] }],
        body: Type.Object(
          { returns: Type.Array(ReturnedLetter, { minItems: 1, maxItems: 1000 }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            recorded: Type.Integer(),
            alreadyRecorded: Type.Integer(),
            letters: Type.Array(
              Type.Object({
                letterId: Type.String({ format: 'uuid' }),
                outcome: Type.Union([Type.Literal('recorded'), Type.Literal('already_recorded')]),
              }),
            ),
          }),
          422: Problem,
          ...errors,
        },
      },
    },
    async (request) =>
      reportReturnedLetters(
        services,
        request.body.returns.map((r) => ({ ...r, returnedAt: new Date(r.returnedAt) })),
      ),
  );
}
