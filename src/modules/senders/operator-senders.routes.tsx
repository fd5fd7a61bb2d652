import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import { t } from '../../web/i18n.ts';
import { sendPage } from '../../web/layout.tsx';
import {
  createSender,
  csrfField,
  listSenders,
  maySender,
  requireActor,
  SenderInputError,
  verifyCsrf,
} from '../identity/index.ts';
import { OperatorSendersView, type SenderFormValues } from './operator-senders.views.tsx';
import { fieldErrorsOf } from './staff-page.views.tsx';

const text = Type.Optional(Type.String({ maxLength: 1000 }));

/** /drift/styring/afsendere: operators list the senders and create one (identity's createSender). */
export async function operatorSenderRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const web = app.withTypeProvider<TypeBoxTypeProvider>();
  const operatorOnly = requireActor('operator');
  const mayList = async (request: FastifyRequest) => {
    if (!maySender(request.actor, 'list_senders', { senderId: null, role: null })) {
      throw new AppError(403, 'forbidden', 'Only operators see the senders.');
    }
  };

  const render = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Partial<Parameters<typeof OperatorSendersView>[0]> = {},
  ) =>
    sendPage(request, reply.header('cache-control', 'private, no-store'), {
      title: t(request.lang, 'onboard.senders.title'),
      body: (
        <OperatorSendersView
          lang={request.lang}
          csrf={csrfField(request)}
          senders={await listSenders(services.db)}
          {...extra}
        />
      ),
    });

  web.get(
    '/drift/styring/afsendere',
    {
      preHandler: [operatorOnly, mayList],
      schema: { hide: true, querystring: Type.Object({ oprettet: Type.Optional(Type.String({ maxLength: 64 })) }) },
    },
    async (request, reply) => {
      const id = request.query.oprettet;
      const created = id ? (await listSenders(services.db)).find((s) => s.id === id)?.name : undefined;
      return render(request, reply, { created });
    },
  );

  web.post(
    '/drift/styring/afsendere',
    {
      preHandler: [operatorOnly, mayList],
      schema: {
        hide: true,
        body: Type.Object({
          cvr: text,
          name: text,
          kind: text,
          municipalityCode: text,
          contactEmail: text,
          contactPhone: text,
          adminSubject: text,
          adminName: text,
          _csrf: Type.Optional(Type.String()),
        }),
      },
    },
    async (request, reply) => {
      verifyCsrf(request);
      const { _csrf, ...body } = request.body;
      const values: SenderFormValues = body;
      try {
        const created = await createSender(
          services.db,
          {
            cvr: body.cvr ?? '',
            name: body.name ?? '',
            kind: body.kind ?? '',
            municipalityCode: body.municipalityCode,
            contactEmail: body.contactEmail ?? '',
            contactPhone: body.contactPhone,
            adminSubject: body.adminSubject ?? '',
            adminName: body.adminName ?? '',
          },
          { kind: 'operator', actor: request.actor as NonNullable<typeof request.actor> },
        );
        return reply.redirect(`/drift/styring/afsendere?oprettet=${created.senderId}`, 303);
      } catch (error) {
        if (error instanceof SenderInputError) {
          return render(request, reply.status(error.status), {
            errors: fieldErrorsOf(request.lang, error.problems),
            values,
          });
        }
        throw error;
      }
    },
  );
}
