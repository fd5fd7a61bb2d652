import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { Services } from '../../services.ts';
import { t } from '../../web/i18n.ts';
import { sendPage } from '../../web/layout.tsx';
import { requireActor } from '../identity/session.ts';
import { listInbox } from './list-inbox.ts';
import { InboxView, MessageView } from './mailbox.views.tsx';
import { openMessage } from './open-message.ts';
import { readDocument } from './read-document.ts';

/** Pages with personal data are never stored by browsers or proxies. */
const noStore = (reply: FastifyReply) => reply.header('cache-control', 'private, no-store');

/** RFC 6266/8187 Content-Disposition with an ASCII fallback and the exact UTF-8 name. */
export function contentDisposition(kind: 'inline' | 'attachment', filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

export async function mailboxRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const web = app.withTypeProvider<TypeBoxTypeProvider>();
  const hide = { hide: true };

  web.get(
    '/post',
    {
      preHandler: requireActor('citizen'),
      schema: { ...hide, querystring: Type.Object({ before: Type.Optional(Type.String({ maxLength: 64 })) }) },
    },
    async (request, reply) => {
      const actor = request.actor as Extract<typeof request.actor, { kind: 'citizen' }>;
      const page = await listInbox(services, { recipientId: actor.recipientId, before: request.query.before });
      return sendPage(request, noStore(reply), {
        title: t(request.lang, 'mailbox.title'),
        body: <InboxView lang={request.lang} page={page} />,
      });
    },
  );

  web.get(
    '/post/:id',
    {
      preHandler: requireActor('citizen'),
      schema: { ...hide, params: Type.Object({ id: Type.String() }) },
    },
    async (request, reply) => {
      const message = await openMessage(services, request.actor, request.params.id);
      return sendPage(request, noStore(reply), {
        title: message.label,
        body: <MessageView lang={request.lang} message={message} />,
      });
    },
  );

  web.get(
    '/post/:id/dokumenter/:position',
    {
      preHandler: requireActor('citizen'),
      schema: {
        ...hide,
        params: Type.Object({ id: Type.String(), position: Type.String() }),
        querystring: Type.Object({ download: Type.Optional(Type.String()) }),
      },
    },
    async (request, reply) => {
      const doc = await readDocument(services, request.actor, request.params.id, request.params.position);
      const disposition = request.query.download === '1' ? 'attachment' : 'inline';
      // Sender HTML is stored as uploaded: until the mailbox sanitises it, it runs sandboxed (no script, no forms,
      // an opaque origin) and loads nothing from outside.
      if (doc.mediaType === 'text/html') {
        reply.header(
          'content-security-policy',
          "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'self'",
        );
      }
      return noStore(reply)
        .type(doc.mediaType === 'text/plain' ? 'text/plain; charset=utf-8' : doc.mediaType)
        .header('content-length', doc.sizeBytes)
        .header('content-disposition', contentDisposition(disposition, doc.filename))
        .header('x-content-type-options', 'nosniff')
        .send(doc.body);
    },
  );
}
