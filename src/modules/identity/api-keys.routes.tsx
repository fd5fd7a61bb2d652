import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../http/problem.ts';
import type { Actor } from '../../kernel/actor.ts';
import type { Services } from '../../services.ts';
import { FormTextError, formTextMessage } from '../../web/form-text.ts';
import { sendPage } from '../../web/layout.tsx';
import { ApiKeysView, apiKeysTitle } from './api-keys.views.tsx';
import { createSenderApiKey, listApiKeys, revokeSenderApiKey } from './manage-api-keys.ts';
import { authoriseSender } from './sender-staff.ts';
import { csrfField, requireActor, verifyCsrf } from './session.ts';

type SenderStaff = Extract<Actor, { kind: 'sender_staff' }>;

/** The sender portal's API key page: list, create (shown once) and revoke the organisation's keys. */
export async function apiKeyRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const web = app.withTypeProvider<TypeBoxTypeProvider>();
  const senderStaff = requireActor('sender_staff');
  // API keys are the organisation's administrators' (sender-staff.policy.ts); other staff get 403.
  const adminsOnly = async (request: FastifyRequest) => {
    await authoriseSender(services.db, request.actor, 'manage_api_keys');
  };
  const staffOnly = [senderStaff, adminsOnly];

  const render = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { newKey?: string; error?: string; label?: string; test?: boolean } = {},
  ) => {
    const keys = await listApiKeys(services, request.actor as SenderStaff);
    return sendPage(request, reply.header('cache-control', 'private, no-store'), {
      title: apiKeysTitle(request.lang),
      body: <ApiKeysView lang={request.lang} keys={keys} csrf={csrfField(request)} {...extra} />,
    });
  };

  web.get('/afsender/api-noegler', { preHandler: staffOnly, schema: { hide: true } }, (request, reply) =>
    render(request, reply),
  );

  web.post(
    '/afsender/api-noegler',
    {
      preHandler: staffOnly,
      config: { formTextFields: ['label'] },
      schema: {
        hide: true,
        body: Type.Object({
          label: Type.Optional(Type.String()),
          test: Type.Optional(Type.String()),
          _csrf: Type.Optional(Type.String()),
        }),
      },
    },
    async (request, reply) => {
      verifyCsrf(request);
      const label = request.body.label ?? '';
      const test = request.body.test === '1';
      try {
        const key = await createSenderApiKey(services, request.actor as SenderStaff, label, test);
        return render(request, reply.status(201), { newKey: key });
      } catch (error) {
        if (error instanceof FormTextError) {
          return render(request, reply.status(error.status), {
            error: formTextMessage(request.lang, error),
            label,
            test,
          });
        }
        if (error instanceof AppError && error.code === 'invalid_label') {
          const message =
            request.lang === 'da' ? 'Giv nøglen et navn på 1–100 tegn.' : 'Give the key a name of 1–100 characters.';
          return render(request, reply.status(400), { error: message, label, test });
        }
        throw error;
      }
    },
  );

  web.post(
    '/afsender/api-noegler/:id/tilbagekald',
    {
      preHandler: staffOnly,
      schema: { hide: true, params: Type.Object({ id: Type.String() }) },
    },
    async (request, reply) => {
      verifyCsrf(request);
      await revokeSenderApiKey(services, request.actor as SenderStaff, request.params.id);
      return reply.redirect('/afsender/api-noegler', 303);
    },
  );
}
