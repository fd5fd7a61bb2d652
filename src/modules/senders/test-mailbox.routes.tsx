import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { contentDisposition } from '../../http/content-disposition.ts';
import type { Services } from '../../services.ts';
import { t } from '../../web/i18n.ts';
import { sendPage } from '../../web/layout.tsx';
import { requireActor } from '../identity/index.ts';
import { openTestLetter, readTestDocument, testMailboxPage } from './test-mailbox.ts';
import { TestLetterView, TestMailboxView } from './test-mailbox.views.tsx';

/**
 * The test mailbox (/afsender/testpostkasse): the letters the organisation sent with a test key, which reached
 * nobody (messages/test-mode.ts); one letter as its recipient would have seen it, and its documents. The sender's
 * own staff only (mayViewTestMailbox); another organisation's letter is "not found".
 */
export async function testMailboxRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const web = app.withTypeProvider<TypeBoxTypeProvider>();
  const staffOnly = requireActor('sender_staff');

  web.get(
    '/afsender/testpostkasse',
    {
      preHandler: staffOnly,
      schema: { hide: true, querystring: Type.Object({ before: Type.Optional(Type.String({ maxLength: 64 })) }) },
    },
    async (request, reply) => {
      const page = await testMailboxPage(services, request.actor, request.query.before);
      return sendPage(request, reply.header('cache-control', 'private, no-store'), {
        title: t(request.lang, 'portal.test.title'),
        body: <TestMailboxView lang={request.lang} page={page} isContinuation={Boolean(request.query.before)} />,
      });
    },
  );

  web.get(
    '/afsender/testpostkasse/:id',
    { preHandler: staffOnly, schema: { hide: true, params: Type.Object({ id: Type.String({ maxLength: 64 }) }) } },
    async (request, reply) => {
      const letter = await openTestLetter(services, request.actor, request.params.id);
      return sendPage(request, reply.header('cache-control', 'private, no-store'), {
        title: letter.label,
        body: <TestLetterView lang={request.lang} letter={letter} />,
      });
    },
  );

  web.get(
    '/afsender/testpostkasse/:id/dokumenter/:position',
    {
      preHandler: staffOnly,
      schema: {
        hide: true,
        params: Type.Object({ id: Type.String({ maxLength: 64 }), position: Type.String({ maxLength: 8 }) }),
        querystring: Type.Object({ download: Type.Optional(Type.String({ maxLength: 2 })) }),
      },
    },
    async (request, reply) => {
      const { doc, body } = await readTestDocument(services, request.actor, request.params.id, request.params.position);
      const html = doc.mediaType === 'text/html';
      // As in the mailbox: sender HTML only sanitised, and sandboxed besides.
      if (html) {
        reply.header(
          'content-security-policy',
          "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'self'",
        );
      }
      return reply
        .header('cache-control', 'private, no-store')
        .type(
          html
            ? 'text/html; charset=utf-8'
            : doc.mediaType === 'text/plain'
              ? 'text/plain; charset=utf-8'
              : doc.mediaType,
        )
        .header(
          'content-disposition',
          contentDisposition(request.query.download === '1' ? 'attachment' : 'inline', doc.filename),
        )
        .header('x-content-type-options', 'nosniff')
        .send(body);
    },
  );
}
