import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import { t } from '../../web/i18n.ts';
import { sendPage } from '../../web/layout.tsx';
import { addWebhookEndpoint, listWebhookEndpoints, removeWebhookEndpoint } from '../events/index.ts';
import { csrfField, requireActor, verifyCsrf } from '../identity/index.ts';
import type { SenderStaff } from './list-letters.ts';
import { WebhooksView } from './webhooks-page.views.tsx';

/** The portal has no API key: the webhook use cases' audit rows name the staff member in its place. */
const callerOf = (actor: SenderStaff) => ({ senderId: actor.senderId, staffUserId: actor.staffId });

/** /afsender/webhooks: list, add (secret shown once) and remove the organisation's webhook endpoints. */
export async function webhookPageRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const web = app.withTypeProvider<TypeBoxTypeProvider>();
  const staffOnly = requireActor('sender_staff');

  const render = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Omit<Parameters<typeof WebhooksView>[0], 'lang' | 'csrf' | 'endpoints'> = {},
  ) => {
    const endpoints = await listWebhookEndpoints(services, (request.actor as SenderStaff).senderId);
    return sendPage(request, reply.header('cache-control', 'private, no-store'), {
      title: t(request.lang, 'portal.webhooks.title'),
      body: <WebhooksView lang={request.lang} csrf={csrfField(request)} endpoints={endpoints} {...extra} />,
    });
  };

  web.get(
    '/afsender/webhooks',
    {
      preHandler: staffOnly,
      schema: { hide: true, querystring: Type.Object({ fjernet: Type.Optional(Type.String()) }) },
    },
    (request, reply) => render(request, reply, { removed: request.query.fjernet === '1' }),
  );

  web.post(
    '/afsender/webhooks',
    {
      preHandler: staffOnly,
      schema: {
        hide: true,
        body: Type.Object({ url: Type.Optional(Type.String()), _csrf: Type.Optional(Type.String()) }),
      },
    },
    async (request, reply) => {
      verifyCsrf(request);
      const url = (request.body.url ?? '').trim();
      try {
        const created = await addWebhookEndpoint(services, callerOf(request.actor as SenderStaff), url);
        return render(request, reply.status(201), { created: { url: created.url, secret: created.secret } });
      } catch (error) {
        if (error instanceof AppError && (error.code === 'invalid_url' || error.code === 'too_many_webhooks')) {
          return render(request, reply.status(error.status), { error: { code: error.code }, url });
        }
        throw error;
      }
    },
  );

  web.post(
    '/afsender/webhooks/:id/fjern',
    { preHandler: staffOnly, schema: { hide: true, params: Type.Object({ id: Type.String({ maxLength: 64 }) }) } },
    async (request, reply) => {
      verifyCsrf(request);
      await removeWebhookEndpoint(services, callerOf(request.actor as SenderStaff), request.params.id);
      return reply.redirect('/afsender/webhooks?fjernet=1', 303);
    },
  );
}
