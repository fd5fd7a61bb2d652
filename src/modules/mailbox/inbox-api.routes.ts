import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { Problem } from '../../http/schemas.ts';
import type { Services } from '../../services.ts';
import { requireScopes, type Scope } from '../identity/index.ts';
import {
  acknowledgeLetter,
  fileLetter,
  getInboxLetter,
  listInbox,
  readInboxDocument,
  readInboxMemo,
} from './inbox-api.ts';
import { inboxWebhookRoutes } from './inbox-webhooks.routes.ts';

/** OpenAPI security of an inbox route: a business system's access token with the scope (API keys are senders'). */
export const inboxSecurity = (scope: Scope) => [{ machineLogin: [scope] }];

const FLOW =
  'For a business’s own system (OAuth2 client credentials, POST /oauth/token, scopes inbox:read and inbox:write). ' +
  'Process each letter once: list `GET /api/v1/inbox/letters` (state=new by default: letters not yet acknowledged, ' +
  'oldest first in delivery order), fetch each letter, its documents or its MeMo, then ' +
  '`POST /api/v1/inbox/letters/{id}/acknowledge`; it is then no longer listed as new. Fetching counts as opening the ' +
  'letter, exactly as in the web mailbox (the sender is told it was read; a legal notification is served). ' +
  'Letters of other mailboxes are 404.';

const Document = Type.Object({
  id: Type.Integer({ description: 'The document’s position in the letter; use it in the document URL' }),
  name: Type.String({ description: 'File name' }),
  title: Type.String(),
  mediaType: Type.String(),
  size: Type.Integer({ description: 'Bytes' }),
  sha256: Type.String(),
});
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
export const InboxLetterSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  sender: Type.Object({ name: Type.String(), cvr: Nullable(Type.String()) }),
  subject: Type.String(),
  availableAt: Type.String({ format: 'date-time', description: 'When the letter reached the mailbox' }),
  senderReference: Nullable(Type.String()),
  legalNotification: Type.Boolean(),
  documents: Type.Array(Document),
  folder: Type.Object({
    kind: Type.Union([Type.Literal('inbox'), Type.Literal('archive'), Type.Literal('trash'), Type.Literal('user')]),
    id: Nullable(Type.String({ format: 'uuid' })),
    name: Nullable(Type.String()),
  }),
  read: Type.Boolean({ description: 'Opened (web mailbox or API) and not marked unread since' }),
  acknowledged: Type.Boolean(),
  acknowledgedAt: Nullable(Type.String({ format: 'date-time' })),
});
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem, 429: Problem };
const LetterParams = Type.Object({ id: Type.String() });

/** The recipient-side API for organisations (issue 17, item 4): a business's system and its own mailbox. */
export async function inboxApiRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const read = requireScopes(services, 'inbox:read');
  const write = requireScopes(services, 'inbox:write');

  api.get(
    '/api/v1/inbox/letters',
    {
      onRequest: read,
      schema: {
        tags: ['inbox'],
        summary: 'List the business’s letters, oldest first, cursor-paged',
        description:
          `${FLOW}\n\nPaging: pass the returned \`cursor\` to get the next page; it is stable under concurrent ` +
          'deliveries (a letter is listed only once its delivery has committed and every earlier one has too, so ' +
          'nothing is skipped or repeated). With nothing new the cursor comes back unchanged: poll with it.',
        security: inboxSecurity('inbox:read'),
        querystring: Type.Object(
          {
            cursor: Type.Optional(Type.String({ maxLength: 100 })),
            limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$', description: '1–200, default 50' })),
            state: Type.Optional(
              Type.Union([Type.Literal('new'), Type.Literal('all')], {
                default: 'new',
                description: 'new: not acknowledged yet; all: every letter in the mailbox',
              }),
            ),
            folder: Type.Optional(
              Type.String({ maxLength: 40, description: 'inbox, archive, trash or a folder id of the mailbox' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ letters: Type.Array(InboxLetterSchema), cursor: Type.String(), hasMore: Type.Boolean() }),
          ...errors,
        },
      },
    },
    async (request) => {
      const limit = request.query.limit === undefined ? undefined : Number(request.query.limit);
      const options = { ...request.query, limit };
      return request.reads.lagTolerant((db) => listInbox(services, request.businessCaller, options, db));
    },
  );

  api.get(
    '/api/v1/inbox/letters/:id',
    {
      onRequest: read,
      schema: {
        tags: ['inbox'],
        summary: 'Fetch a letter (counts as opening it)',
        description: FLOW,
        security: inboxSecurity('inbox:read'),
        params: LetterParams,
        response: {
          200: Type.Intersect([InboxLetterSchema, Type.Object({ notification: Nullable(Type.String()) })]),
          ...errors,
        },
      },
    },
    async (request) => getInboxLetter(services, request.businessCaller, request.params.id),
  );

  api.get(
    '/api/v1/inbox/letters/:id/documents/:documentId',
    {
      onRequest: read,
      schema: {
        tags: ['inbox'],
        summary: 'Download one of the letter’s documents, as sent, with its media type',
        description: `${FLOW}\n\nThe bytes are the sender's, unchanged (HTML is not cleaned: do not show it in a browser as is).`,
        security: inboxSecurity('inbox:read'),
        params: Type.Object({ id: Type.String(), documentId: Type.String() }),
        response: { 200: Type.Unknown({ description: 'The document (binary), with its media type' }), ...errors },
      },
    },
    async (request, reply) => {
      const doc = await readInboxDocument(
        services,
        request.businessCaller,
        request.params.id,
        request.params.documentId,
      );
      const ascii = doc.filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
      return reply
        .type(doc.mediaType)
        .header('content-length', doc.sizeBytes)
        .header('x-content-type-options', 'nosniff')
        .header(
          'content-disposition',
          `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(doc.filename)}`,
        )
        .send(doc.body);
    },
  );

  api.get(
    '/api/v1/inbox/letters/:id/memo',
    {
      onRequest: read,
      schema: {
        tags: ['inbox'],
        summary: 'The letter as a MeMo document (counts as opening it)',
        description: `${FLOW}\n\nThe MeMo the sender sent (or one built from the letter), with its files inline.`,
        security: inboxSecurity('inbox:read'),
        params: LetterParams,
        response: { 200: Type.String({ description: 'application/xml' }), ...errors },
      },
    },
    async (request, reply) => {
      const xml = await readInboxMemo(services, request.businessCaller, request.params.id);
      return reply.type('application/xml; charset=utf-8').send(xml);
    },
  );

  api.post(
    '/api/v1/inbox/letters/:id/acknowledge',
    {
      onRequest: write,
      schema: {
        tags: ['inbox'],
        summary: 'Acknowledge a letter: processed by your system, no longer listed as new',
        description: `${FLOW}\n\nIdempotent: acknowledging again answers 200 with the first acknowledgement.`,
        security: inboxSecurity('inbox:write'),
        params: LetterParams,
        response: {
          200: Type.Object({
            id: Type.String({ format: 'uuid' }),
            acknowledged: Type.Literal(true),
            acknowledgedAt: Type.String({ format: 'date-time' }),
          }),
          ...errors,
        },
      },
    },
    async (request) => acknowledgeLetter(services, request.businessCaller, request.params.id),
  );

  api.post(
    '/api/v1/inbox/letters/:id/file',
    {
      onRequest: write,
      schema: {
        tags: ['inbox'],
        summary: 'File a letter in a folder of the mailbox',
        description:
          'Moves the letter to a folder, named by `folderId` (a folder id, or `inbox`/`archive`) or by `folderName` ' +
          '(a folder’s name, case-insensitive; Indbakke/Inbox and Arkiv/Archive name the system folders). An unknown ' +
          'folder is 422 `unknown_folder` with the field. Moving an unopened legal notification serves it, as in the ' +
          'web mailbox.',
        security: inboxSecurity('inbox:write'),
        params: LetterParams,
        body: Type.Object(
          {
            folderId: Type.Optional(Type.String({ maxLength: 40 })),
            folderName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: InboxLetterSchema, ...errors },
      },
    },
    async (request) => fileLetter(services, request.businessCaller, request.params.id, request.body),
  );

  await app.register(inboxWebhookRoutes, { services });
}
