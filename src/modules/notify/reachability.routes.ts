import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../http/problem.ts';
import { Problem, RecipientInput } from '../../http/schemas.ts';
import type { Services } from '../../services.ts';
import { machineSecurity, requireScopes } from '../identity/index.ts';
import { MAX_BATCH, reachabilityOf, reachabilityOfMany } from '../registry/index.ts';
import { recipientsWithUsableContact } from './contact-details.ts';

const errors = { 400: Problem, 401: Problem, 404: Problem, 413: Problem, 415: Problem, 422: Problem };

const fields = {
  id: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], {
    description: 'The recipient’s Kuvert id (usable with the GET form); null when unknown',
  }),
  channel: Type.Union([Type.Literal('digital'), Type.Literal('print'), Type.Literal('none')], {
    description: 'digital: the mailbox; print: a paper letter (remote print); none: cannot be delivered',
  }),
  status: Type.Union(
    [
      Type.Literal('AUTOMATIC'),
      Type.Literal('VOLUNTARY'),
      Type.Literal('EXEMPT'),
      Type.Literal('NOT_ENROLLED'),
      Type.Literal('CLOSED'),
      Type.Literal('UNKNOWN'),
    ],
    { description: 'NOT_ENROLLED: a person under 15; UNKNOWN: no such recipient (batch form only)' },
  ),
  notificationPossible: Type.Boolean({
    description: 'Whether the recipient will be notified of digital mail (a confirmed, working e-mail or mobile)',
  }),
  reason: Type.Optional(
    Type.Union([Type.Literal('business_ceased'), Type.Literal('p_unit_ceased')], {
      description:
        'Why a business cannot be reached: business_ceased (the company has ceased in the CVR register; its ' +
        'mailbox is closed) or p_unit_ceased (the production unit asked about has ceased)',
    }),
  ),
  postalAddressDoubtful: Type.Optional(
    Type.Literal(true, {
      description:
        'Present (true) when the channel is print and paper post to the recipient’s address has come back: the ' +
        'address is doubtful until the population register reports a new one',
    }),
  ),
};

/** A recipient as the reachability look-up takes it: a person, a business, or a business's production unit. */
const ReachabilityInput = Type.Union(
  [
    ...RecipientInput.anyOf,
    Type.Object(
      { pNumber: Type.String({ description: 'P-number of a production unit, 10 digits: answers for its business' }) },
      { additionalProperties: false },
    ),
  ],
  { description: 'A person (CPR), a business (CVR) or a production unit (P-number)' },
);

const Reachability = Type.Object(fields);

const BatchResult = Type.Union([
  Type.Object({ index: Type.Integer(), ...fields }),
  Type.Object({
    index: Type.Integer(),
    error: Type.Object({ field: Type.String(), code: Type.String(), detail: Type.String() }),
  }),
]);

const BatchBody = Type.Object(
  {
    recipients: Type.Array(ReachabilityInput, {
      minItems: 1,
      maxItems: MAX_BATCH,
      description: `1 to ${MAX_BATCH} people (CPR), businesses (CVR) or production units (pNumber)`,
    }),
  },
  { additionalProperties: false },
);

/** The sender API's reachability look-ups: can this recipient get Digital Post, and how? */
export async function reachabilityRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.get(
    '/api/v1/recipients/:id/reachability',
    {
      onRequest: requireScopes(services, 'recipients:reachability'),
      schema: {
        tags: ['recipients'],
        summary: 'Reachability of one recipient',
        description:
          '`id` is the recipient’s Kuvert id (as returned by the batch form), a CVR number, or a P-number written ' +
          '`P1234567890` (a production unit: the answer is its business’s mailbox, `reason` `p_unit_ceased` when ' +
          'the unit has ceased; a ceased company has `reason` `business_ceased`). CPR numbers are ' +
          'refused here (400 `cpr_in_url`) so that they never appear in URLs or access logs: look people up by CPR ' +
          'with `POST /api/v1/recipients/reachability`. Contact details are never returned.',
        security: machineSecurity('recipients:reachability'),
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: { 200: Reachability, ...errors },
      },
    },
    async (request) => reachabilityOf(services.db, request.params.id, recipientsWithUsableContact),
  );

  api.post(
    '/api/v1/recipients/reachability',
    {
      onRequest: requireScopes(services, 'recipients:reachability'),
      attachValidation: true,
      schema: {
        tags: ['recipients'],
        summary: 'Reachability of up to 1,000 recipients',
        description:
          'Identifiers travel in the body. `results[i]` answers `recipients[i]` (also given as `index`). A number ' +
          'that is not a valid CPR or CVR number or P-number is answered on its own item with `error` ' +
          '(`invalid_cpr`, `invalid_cvr`, `invalid_p_number`) and the rest of the batch is answered; an unknown ' +
          'number has status `UNKNOWN` and ' +
          `channel \`none\`. More than ${MAX_BATCH} items: 422 \`too_many_recipients\`. A malformed body (not ` +
          'objects with exactly one of `cpr`, `cvr` or `pNumber`): 400. Contact details are never returned.',
        security: machineSecurity('recipients:reachability'),
        body: BatchBody,
        response: { 200: Type.Object({ results: Type.Array(BatchResult) }), ...errors },
      },
    },
    async (request) => {
      const invalid = request.validationError as FastifyError | undefined;
      if (invalid) {
        const first = invalid.validation?.[0];
        if (first?.keyword === 'maxItems' && first.instancePath === '/recipients') {
          throw new AppError(
            422,
            'too_many_recipients',
            `At most ${MAX_BATCH} recipients can be asked about in one request.`,
            '/recipients',
          );
        }
        throw invalid;
      }
      return { results: await reachabilityOfMany(services.db, request.body.recipients, recipientsWithUsableContact) };
    },
  );
}
