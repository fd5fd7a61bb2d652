import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { t } from '../../web/i18n.ts';
import { sendPage } from '../../web/layout.tsx';
import { DevelopmentOutboxView, OUTBOX_PAGE_SIZE } from './development-outbox.views.tsx';
import { listLatestOutboxMessages } from './outbox.repository.ts';

export const OUTBOX_PATH = '/udvikling/udbakke';

/**
 * /udvikling/udbakke: what Kuvert would have sent by e-mail or SMS, for demos and development. Registered only
 * outside production (so it is a 404 there); deliberately visible without login, with a warning saying so.
 */
export async function developmentOutboxRoutes(app: FastifyInstance, { services }: { services: Services }) {
  if (services.config.env === 'production') return;
  app.get(OUTBOX_PATH, { schema: { hide: true } }, async (request, reply) => {
    const messages = await listLatestOutboxMessages(services.db, OUTBOX_PAGE_SIZE);
    reply.header('cache-control', 'no-store').header('x-robots-tag', 'noindex');
    return sendPage(request, reply, {
      title: t(request.lang, 'outbox.title'),
      body: <DevelopmentOutboxView lang={request.lang} messages={messages} />,
    });
  });
}
