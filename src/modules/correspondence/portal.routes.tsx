import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { contentDisposition } from '../../http/content-disposition.ts';
import { AppError, notFound } from '../../http/problem.ts';
import type { Actor } from '../../kernel/actor.ts';
import type { Services } from '../../services.ts';
import { t } from '../../web/i18n.ts';
import { sendPage } from '../../web/layout.tsx';
import type { SenderCaller } from '../identity/index.ts';
import { csrfField, requireActor, verifyCsrf } from '../identity/index.ts';
import {
  type ContactPointInput,
  createContactPoint,
  getContactPoint,
  isUuid,
  listContactPoints,
  updateContactPoint,
} from './contact-points.ts';
import { mayManageContactPoints, mayReadInbound } from './correspondence.policy.ts';
import { listInboundPage } from './inbound.repository.ts';
import {
  type ContactPointFormValues,
  ContactPointFormView,
  ContactPointsView,
  formValuesOf,
  InboundItemView,
  InboundListView,
} from './portal.views.tsx';
import { acknowledgeInbound, getInbound, getInboundAttachment, openInboundAsStaff } from './sender-inbound.ts';

type Staff = Extract<Actor, { kind: 'sender_staff' }>;
const staffOf = (request: FastifyRequest) => request.actor as Staff;
const callerOf = (staff: Staff): SenderCaller => ({ senderId: staff.senderId, staffUserId: staff.staffId });
const noStore = (reply: FastifyReply) => reply.header('cache-control', 'private, no-store');
const PAGE_SIZE = 25;

const EMPTY_FORM: ContactPointFormValues = {
  name: '',
  description: '',
  maxAttachments: '3',
  maxTotalMb: '10',
  types: ['application/pdf', 'image/jpeg', 'image/png'],
  active: true,
};

/** The posted form as typed, and as the use case wants it (a field that is not a number fails there). */
function readForm(body: Record<string, unknown>): { values: ContactPointFormValues; input: ContactPointInput } {
  const str = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');
  const raw = body.types;
  const types = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter(
    (v): v is string => typeof v === 'string',
  );
  const values: ContactPointFormValues = {
    name: str('name'),
    description: str('description'),
    maxAttachments: str('maxAttachments').trim(),
    maxTotalMb: str('maxTotalMb').trim(),
    types,
    active: str('active') === '1',
  };
  const count = /^\d{1,3}$/.test(values.maxAttachments) ? Number(values.maxAttachments) : Number.NaN;
  const mb = /^\d{1,4}([.,]\d{1,2})?$/.test(values.maxTotalMb)
    ? Number(values.maxTotalMb.replace(',', '.'))
    : Number.NaN;
  return {
    values,
    input: {
      name: values.name,
      description: values.description,
      maxAttachments: count,
      maxTotalBytes: Number.isNaN(mb) ? Number.NaN : Math.round(mb * 1024 * 1024),
      allowedMediaTypes: types,
      active: values.active,
    },
  };
}

/**
 * The sender portal's correspondence pages: contact points (/afsender/kontaktpunkter) and what recipients wrote
 * (/afsender/henvendelser), for the staff of the organisation concerned only.
 */
export async function correspondencePortalRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const web = app.withTypeProvider<TypeBoxTypeProvider>();
  const staffOnly = requireActor('sender_staff');
  const idParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

  const guard = (request: FastifyRequest) => {
    const staff = staffOf(request);
    if (!mayManageContactPoints(staff, staff.senderId)) throw new AppError(403, 'forbidden', 'Not your organisation.');
    return staff;
  };

  web.get(
    '/afsender/kontaktpunkter',
    {
      preHandler: staffOnly,
      schema: { hide: true, querystring: Type.Object({ gemt: Type.Optional(Type.String({ maxLength: 1 })) }) },
    },
    async (request, reply) => {
      const staff = guard(request);
      const points = await listContactPoints(services.db, staff.senderId);
      return sendPage(request, noStore(reply), {
        title: t(request.lang, 'corr.portal.points.heading'),
        body: <ContactPointsView lang={request.lang} points={points} saved={request.query.gemt === '1'} />,
      });
    },
  );

  const renderForm = (
    request: FastifyRequest,
    reply: FastifyReply,
    action: string,
    heading: string,
    values: ContactPointFormValues,
    error: AppError | null,
  ) =>
    sendPage(request, noStore(reply), {
      title: heading,
      body: (
        <ContactPointFormView
          lang={request.lang}
          csrf={csrfField(request)}
          action={action}
          heading={heading}
          values={values}
          error={error}
        />
      ),
    });

  web.get('/afsender/kontaktpunkter/ny', { preHandler: staffOnly, schema: { hide: true } }, async (request, reply) => {
    guard(request);
    return renderForm(
      request,
      reply,
      '/afsender/kontaktpunkter/ny',
      t(request.lang, 'corr.portal.points.new'),
      EMPTY_FORM,
      null,
    );
  });

  /** The name and description are checked by checkContactPointInput, which shows the form again. */
  const typedTexts = { formTextFields: ['name', 'description'] };

  web.post(
    '/afsender/kontaktpunkter/ny',
    { preHandler: staffOnly, config: typedTexts, schema: { hide: true } },
    async (request, reply) => {
      verifyCsrf(request);
      const staff = guard(request);
      const { values, input } = readForm((request.body ?? {}) as Record<string, unknown>);
      try {
        await createContactPoint(services, callerOf(staff), input);
        return reply.redirect('/afsender/kontaktpunkter?gemt=1', 303);
      } catch (e) {
        if (e instanceof AppError && e.status === 400) {
          const heading = t(request.lang, 'corr.portal.points.new');
          return renderForm(request, reply.status(400), '/afsender/kontaktpunkter/ny', heading, values, e);
        }
        throw e;
      }
    },
  );

  web.get(
    '/afsender/kontaktpunkter/:id',
    { preHandler: staffOnly, schema: { hide: true, params: idParams } },
    async (request, reply) => {
      const staff = guard(request);
      const cp = await getContactPoint(services.db, staff.senderId, request.params.id);
      const heading = t(request.lang, 'corr.portal.points.edit', { name: cp.name });
      return renderForm(request, reply, `/afsender/kontaktpunkter/${cp.id}`, heading, formValuesOf(cp), null);
    },
  );

  web.post(
    '/afsender/kontaktpunkter/:id',
    { preHandler: staffOnly, config: typedTexts, schema: { hide: true, params: idParams } },
    async (request, reply) => {
      verifyCsrf(request);
      const staff = guard(request);
      const cp = await getContactPoint(services.db, staff.senderId, request.params.id);
      const { values, input } = readForm((request.body ?? {}) as Record<string, unknown>);
      try {
        await updateContactPoint(services, callerOf(staff), cp.id, input);
        return reply.redirect('/afsender/kontaktpunkter?gemt=1', 303);
      } catch (e) {
        if (e instanceof AppError && e.status === 400) {
          const heading = t(request.lang, 'corr.portal.points.edit', { name: cp.name });
          return renderForm(request, reply.status(400), `/afsender/kontaktpunkter/${cp.id}`, heading, values, e);
        }
        throw e;
      }
    },
  );

  web.get(
    '/afsender/henvendelser',
    {
      preHandler: staffOnly,
      schema: { hide: true, querystring: Type.Object({ before: Type.Optional(Type.String({ maxLength: 64 })) }) },
    },
    async (request, reply) => {
      const staff = staffOf(request);
      const before =
        request.query.before && isUuid(request.query.before) ? request.query.before.toLowerCase() : undefined;
      const rows = await listInboundPage(services.db, { senderId: staff.senderId }, { before, limit: PAGE_SIZE });
      const items = rows.slice(0, PAGE_SIZE);
      return sendPage(request, noStore(reply), {
        title: t(request.lang, 'corr.portal.inbound.heading'),
        body: (
          <InboundListView
            lang={request.lang}
            items={items}
            nextBefore={rows.length > PAGE_SIZE ? (items.at(-1)?.id ?? null) : null}
            isContinuation={!!request.query.before}
          />
        ),
      });
    },
  );

  const readable = async (request: FastifyRequest, id: string) => {
    const staff = staffOf(request);
    const record = await getInbound(services, staff.senderId, id);
    if (!mayReadInbound(staff, record)) throw notFound('inbound message');
    return { staff, record };
  };

  web.get(
    '/afsender/henvendelser/:id',
    { preHandler: staffOnly, schema: { hide: true, params: idParams } },
    async (request, reply) => {
      const record = await openInboundAsStaff(services, staffOf(request), request.params.id);
      return sendPage(request, noStore(reply), {
        title: record.subject,
        body: <InboundItemView lang={request.lang} csrf={csrfField(request)} record={record} />,
      });
    },
  );

  web.post(
    '/afsender/henvendelser/:id/kvitter',
    { preHandler: staffOnly, schema: { hide: true, params: idParams } },
    async (request, reply) => {
      verifyCsrf(request);
      const { staff, record } = await readable(request, request.params.id);
      await acknowledgeInbound(services, callerOf(staff), record.id);
      return reply.redirect(`/afsender/henvendelser/${record.id}`, 303);
    },
  );

  web.get(
    '/afsender/henvendelser/:id/bilag/:position',
    {
      preHandler: staffOnly,
      schema: {
        hide: true,
        params: Type.Object({ id: Type.String({ maxLength: 64 }), position: Type.String({ maxLength: 4 }) }),
      },
    },
    async (request, reply) => {
      const { staff } = await readable(request, request.params.id);
      const file = await getInboundAttachment(services, staff.senderId, request.params.id, request.params.position);
      return noStore(reply)
        .type(file.mediaType)
        .header('content-length', file.sizeBytes)
        .header('content-disposition', contentDisposition('attachment', file.filename))
        .header('x-content-type-options', 'nosniff')
        .send(file.body);
    },
  );
}
