import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { errorText } from '../../http/errors.ts';
import { AppError } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import { t } from '../../web/i18n.ts';
import { sendPage } from '../../web/layout.tsx';
import {
  addSenderStaff,
  changeSenderStaffRole,
  csrfField,
  removeSenderStaff,
  requireActor,
  SenderInputError,
  senderStaffPage,
  verifyCsrf,
} from '../identity/index.ts';
import { fieldErrorsOf, type StaffNotice, StaffView } from './staff-page.views.tsx';

const notices: Record<string, StaffNotice> = { tilfoejet: 'added', aendret: 'changed', fjernet: 'removed' };
const Id = Type.Object({ id: Type.String({ maxLength: 64 }) });

/**
 * /afsender/medarbejdere: the organisation's staff. Every staff member sees the list; administrators add, change
 * the role of and remove staff (identity's sender-staff.ts, through sender-staff.policy.ts). A refused last
 * administrator is a 409 with the page and its message.
 */
export async function staffPageRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const web = app.withTypeProvider<TypeBoxTypeProvider>();
  const staffOnly = requireActor('sender_staff');

  const render = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Partial<Parameters<typeof StaffView>[0]> = {},
  ) => {
    const page = await senderStaffPage(services.db, request.actor);
    return sendPage(request, reply.header('cache-control', 'private, no-store'), {
      title: t(request.lang, 'onboard.staff.title'),
      body: <StaffView lang={request.lang} csrf={csrfField(request)} {...page} {...extra} />,
    });
  };

  /** A refusal the page explains (last administrator, unknown staff member) instead of an error page. */
  const refused = (request: FastifyRequest, reply: FastifyReply, error: unknown) => {
    if (error instanceof AppError && (error.code === 'last_administrator' || error.code === 'staff_role_invalid')) {
      return render(request, reply.status(error.status), { refused: errorText(error.code, request.lang) });
    }
    throw error;
  };

  web.get(
    '/afsender/medarbejdere',
    {
      preHandler: staffOnly,
      schema: { hide: true, querystring: Type.Object({ udfoert: Type.Optional(Type.String()) }) },
    },
    (request, reply) => render(request, reply, { notice: notices[request.query.udfoert ?? ''] }),
  );

  web.post(
    '/afsender/medarbejdere',
    {
      preHandler: staffOnly,
      schema: {
        hide: true,
        body: Type.Object({
          subject: Type.Optional(Type.String()),
          name: Type.Optional(Type.String()),
          role: Type.Optional(Type.String()),
          _csrf: Type.Optional(Type.String()),
        }),
      },
    },
    async (request, reply) => {
      verifyCsrf(request);
      const values = {
        subject: request.body.subject ?? '',
        name: request.body.name ?? '',
        role: request.body.role ?? '',
      };
      try {
        await addSenderStaff(services.db, request.actor, values);
        return reply.redirect('/afsender/medarbejdere?udfoert=tilfoejet', 303);
      } catch (error) {
        if (error instanceof SenderInputError) {
          return render(request, reply.status(error.status), {
            errors: fieldErrorsOf(request.lang, error.problems),
            values,
          });
        }
        if (error instanceof AppError && error.code === 'staff_role_invalid') {
          return render(request, reply.status(400), {
            errors: fieldErrorsOf(request.lang, [{ field: 'role', code: error.code }]),
            values,
          });
        }
        throw error;
      }
    },
  );

  web.post(
    '/afsender/medarbejdere/:id/rolle',
    {
      preHandler: staffOnly,
      schema: {
        hide: true,
        params: Id,
        body: Type.Object({ role: Type.Optional(Type.String()), _csrf: Type.Optional(Type.String()) }),
      },
    },
    async (request, reply) => {
      verifyCsrf(request);
      try {
        await changeSenderStaffRole(services.db, request.actor, request.params.id, request.body.role ?? '');
        return reply.redirect('/afsender/medarbejdere?udfoert=aendret', 303);
      } catch (error) {
        return refused(request, reply, error);
      }
    },
  );

  web.post(
    '/afsender/medarbejdere/:id/fjern',
    { preHandler: staffOnly, schema: { hide: true, params: Id } },
    async (request, reply) => {
      verifyCsrf(request);
      try {
        await removeSenderStaff(services.db, request.actor, request.params.id);
        return reply.redirect('/afsender/medarbejdere?udfoert=fjernet', 303);
      } catch (error) {
        return refused(request, reply, error);
      }
    },
  );
}
