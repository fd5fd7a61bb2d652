import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Services } from '../../services.ts';
import type { PageFrame } from '../../web/layout.tsx';
import { currentMailbox } from '../access/index.ts';
import { csrfField, requireActor, verifyCsrf } from '../identity/index.ts';
import { inboxApiRoutes } from './inbox-api.routes.ts';
import { mailboxRoutes } from './mailbox.routes.tsx';
import { MailboxLayout, type MailboxNav } from './mailbox-layout.views.tsx';
import { mailboxPages } from './mailbox-pages.tsx';

/** The recipient's mailbox pages (/post), and the inbox API for businesses' systems (/api/v1/inbox). */
export async function mailboxPlugin(app: FastifyInstance, opts: { services: Services }) {
  await app.register(mailboxRoutes, opts);
  await app.register(inboxApiRoutes, opts);
}

/** Which item of the mailbox menu a page of another module under /post is. */
const menuItemOf = (request: FastifyRequest): MailboxNav['current'] => {
  const path = request.url.split('?')[0];
  if (path === '/post/skriv' || path?.startsWith('/post/skriv/')) return 'write';
  if (path === '/post/sendt' || path?.startsWith('/post/sendt/')) return 'sent';
  if (path === '/post/aktivitet') return 'activity';
  return null;
};

/**
 * The mailbox's menu around the pages other modules serve under /post (writing, sent, activity): a page frame the
 * layout applies when a page asks for it. Not encapsulated (skip-override), so its hook reaches those modules' routes.
 */
export async function mailboxFramePlugin(app: FastifyInstance, { services }: { services: Services }) {
  const pages = mailboxPages(app, services, {
    requireCitizen: () => requireActor('citizen'),
    verifyCsrf,
    currentMailbox,
    csrfField,
  });
  const frame: PageFrame = async (request, body) => {
    if (request.actor?.kind !== 'citizen') return body;
    const ctx = await pages.mailboxContext(request).catch(() => null);
    if (!ctx) return body;
    const current = menuItemOf(request);
    const nav = await pages.navFor(request, ctx, current);
    // The activity page says whose mailbox it shows itself.
    return (
      <MailboxLayout lang={request.lang} nav={nav} showOwner={current !== 'activity'}>
        {body}
      </MailboxLayout>
    );
  };
  app.addHook('onRequest', async (request) => {
    if (request.url === '/post' || request.url.startsWith('/post/') || request.url.startsWith('/post?')) {
      request.pageFrames = { ...request.pageFrames, mailbox: frame };
    }
  });
}
(mailboxFramePlugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;
