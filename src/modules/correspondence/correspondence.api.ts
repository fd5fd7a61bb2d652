import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { contentDisposition } from '../../http/content-disposition.ts';
import { Problem } from '../../http/schemas.ts';
import type { Services } from '../../services.ts';
import { machineSecurity, requireScopes } from '../identity/index.ts';
import { ALLOWED_MEDIA_TYPES, CONTACT_POINT_MAX_COUNT, CONTACT_POINT_MAX_TOTAL_BYTES } from './attachments.ts';
import { createContactPoint, getContactPoint, listContactPoints, updateContactPoint } from './contact-points.ts';
import { acknowledgeInbound, getInbound, getInboundAttachment, listInbound, presentInbound } from './sender-inbound.ts';

const errors = { 400: Problem, 401: Problem, 404: Problem, 409: Problem, 413: Problem, 422: Problem };

const MediaType = Type.Union(
  ALLOWED_MEDIA_TYPES.map((t) => Type.Literal(t)),
  { description: 'A type Kuvert accepts (checked against the file content)' },
);

const ContactPoint = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    description: Type.String(),
    maxAttachments: Type.Integer(),
    maxTotalBytes: Type.Integer(),
    allowedMediaTypes: Type.Array(Type.String()),
    active: Type.Boolean(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { title: 'ContactPoint', description: 'Where recipients write to you, and the attachments it takes' },
);

const contactPointFields = {
  name: Type.String({ maxLength: 120, description: 'Shown to recipients, e.g. "Borgerservice"' }),
  description: Type.Optional(Type.String({ maxLength: 1000, description: 'What to write about here' })),
  maxAttachments: Type.Integer({ minimum: 0, maximum: CONTACT_POINT_MAX_COUNT }),
  maxTotalBytes: Type.Integer({
    minimum: 0,
    maximum: CONTACT_POINT_MAX_TOTAL_BYTES,
    description: 'All attachments together',
  }),
  allowedMediaTypes: Type.Array(MediaType, { maxItems: ALLOWED_MEDIA_TYPES.length }),
  active: Type.Optional(Type.Boolean({ description: 'Recipients can write to it; default true' })),
};
const ContactPointCreate = Type.Object(contactPointFields, { additionalProperties: false });
const ContactPointUpdate = Type.Partial(Type.Object(contactPointFields), {
  additionalProperties: false,
  minProperties: 1,
});

const Inbound = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    kind: Type.Union([Type.Literal('reply'), Type.Literal('contact_point')]),
    subject: Type.String(),
    text: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
    acknowledgedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    from: Type.Object({
      kind: Type.Union([Type.Literal('person'), Type.Literal('business')]),
      name: Type.String(),
      cpr: Type.Union([Type.String(), Type.Null()]),
      cvr: Type.Union([Type.String(), Type.Null()]),
    }),
    writtenBy: Type.Object({
      name: Type.String(),
      access: Type.Union([Type.Literal('owner'), Type.Literal('read_write')]),
      via: Type.String({ description: 'self, grant, power_of_attorney, parent or business' }),
      isMailboxOwner: Type.Boolean(),
    }),
    inReplyTo: Type.Union([
      Type.Object({
        messageId: Type.String({ format: 'uuid' }),
        messageUuid: Type.String({ format: 'uuid', description: 'Your messageUuid of the letter' }),
        label: Type.String(),
        senderReference: Type.Union([Type.String(), Type.Null()]),
      }),
      Type.Null(),
    ]),
    contactPoint: Type.Union([Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String() }), Type.Null()]),
    attachments: Type.Array(
      Type.Object({
        position: Type.Integer(),
        filename: Type.String(),
        mediaType: Type.String(),
        sizeBytes: Type.Integer(),
        sha256: Type.String(),
        href: Type.String(),
      }),
    ),
  },
  {
    title: 'InboundMessage',
    description: 'A reply to one of your letters, or a message to one of your contact points',
  },
);

/** /api/v1/contact-points and /api/v1/inbound: contact points and what recipients wrote, for senders' systems. */
export async function correspondenceApiRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const idParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

  api.get(
    '/api/v1/contact-points',
    {
      onRequest: requireScopes(services, 'correspondence:read'),
      schema: {
        tags: ['contact points'],
        summary: 'List your contact points',
        security: machineSecurity('correspondence:read'),
        response: { 200: Type.Object({ contactPoints: Type.Array(ContactPoint) }), ...errors },
      },
    },
    async (request) => ({ contactPoints: await listContactPoints(services.db, request.apiCaller!.senderId) }),
  );

  api.post(
    '/api/v1/contact-points',
    {
      onRequest: requireScopes(services, 'correspondence:write'),
      schema: {
        tags: ['contact points'],
        summary: 'Create a contact point',
        description:
          'Recipients can write to an active contact point from their mailbox, with at most `maxAttachments` files ' +
          'of the `allowedMediaTypes`, `maxTotalBytes` in all (each file also within Kuvert’s per-document limit).',
        security: machineSecurity('correspondence:write'),
        body: ContactPointCreate,
        response: { 201: ContactPoint, ...errors },
      },
    },
    async (request, reply) => {
      const created = await createContactPoint(services, request.apiCaller!, request.body);
      reply.status(201).header('location', `/api/v1/contact-points/${created.id}`);
      return created;
    },
  );

  api.get(
    '/api/v1/contact-points/:id',
    {
      onRequest: requireScopes(services, 'correspondence:read'),
      schema: {
        tags: ['contact points'],
        summary: 'One contact point',
        security: machineSecurity('correspondence:read'),
        params: idParams,
        response: { 200: ContactPoint, ...errors },
      },
    },
    async (request) => getContactPoint(services.db, request.apiCaller!.senderId, request.params.id),
  );

  api.patch(
    '/api/v1/contact-points/:id',
    {
      onRequest: requireScopes(services, 'correspondence:write'),
      schema: {
        tags: ['contact points'],
        summary: 'Change a contact point',
        description: 'Fields left out stay as they are. `"active": false` stops new messages; those received stay.',
        security: machineSecurity('correspondence:write'),
        params: idParams,
        body: ContactPointUpdate,
        response: { 200: ContactPoint, ...errors },
      },
    },
    async (request) => updateContactPoint(services, request.apiCaller!, request.params.id, request.body),
  );

  api.get(
    '/api/v1/inbound',
    {
      onRequest: requireScopes(services, 'correspondence:read'),
      schema: {
        tags: ['inbound'],
        summary: 'What recipients wrote to you',
        description:
          'Replies to your letters and messages to your contact points, oldest first. Start without `after`, then ' +
          'pass the `cursor` of the previous answer: each message comes exactly once, in order. With ' +
          '`unacknowledged=true`, only those you have not acknowledged. The event feed carries RECIPIENT_REPLY and ' +
          'RECIPIENT_MESSAGE events with `data.inboundId` too.',
        security: machineSecurity('correspondence:read'),
        querystring: Type.Object(
          {
            after: Type.Optional(Type.String({ maxLength: 100, description: 'The cursor of the previous page' })),
            limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$', description: '1–200, default 50' })),
            unacknowledged: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(Inbound), cursor: Type.String(), hasMore: Type.Boolean() }),
          ...errors,
        },
      },
    },
    async (request) =>
      listInbound(services, request.apiCaller!.senderId, {
        after: request.query.after,
        limit: request.query.limit ? Number(request.query.limit) : undefined,
        unacknowledged: request.query.unacknowledged === 'true',
      }),
  );

  api.get(
    '/api/v1/inbound/:id',
    {
      onRequest: requireScopes(services, 'correspondence:read'),
      schema: {
        tags: ['inbound'],
        summary: 'One message a recipient wrote',
        description:
          'The text, who wrote it (the mailbox owner or someone with read/write access), the letter it replies to ' +
          '(with your messageUuid) or the contact point, and its attachments.',
        security: machineSecurity('correspondence:read'),
        params: idParams,
        response: { 200: Inbound, ...errors },
      },
    },
    async (request) => presentInbound(await getInbound(services, request.apiCaller!.senderId, request.params.id)),
  );

  api.get(
    '/api/v1/inbound/:id/attachments/:position',
    {
      onRequest: requireScopes(services, 'correspondence:read'),
      schema: {
        tags: ['inbound'],
        summary: 'An attachment’s file',
        security: machineSecurity('correspondence:read'),
        params: Type.Object({ id: Type.String({ maxLength: 64 }), position: Type.String({ maxLength: 4 }) }),
        description: 'The file itself, with its media type and a Content-Disposition naming it.',
        response: errors,
      },
    },
    async (request, reply) => {
      const file = await getInboundAttachment(
        services,
        request.apiCaller!.senderId,
        request.params.id,
        request.params.position,
      );
      return (reply as FastifyReply)
        .type(file.mediaType)
        .header('content-length', file.sizeBytes)
        .header('content-disposition', contentDisposition('attachment', file.filename))
        .header('x-content-type-options', 'nosniff')
        .send(file.body);
    },
  );

  api.post(
    '/api/v1/inbound/:id/acknowledge',
    {
      onRequest: requireScopes(services, 'correspondence:write'),
      schema: {
        tags: ['inbound'],
        summary: 'Acknowledge a message',
        description:
          'Confirms you have received it; the recipient sees it as received by the authority. Acknowledging again ' +
          'changes nothing (the first time stays).',
        security: machineSecurity('correspondence:write'),
        params: idParams,
        response: { 200: Inbound, ...errors },
      },
    },
    async (request) => presentInbound(await acknowledgeInbound(services, request.apiCaller!, request.params.id)),
  );
}
