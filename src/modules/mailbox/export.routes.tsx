import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { contentDisposition } from '../../http/content-disposition.ts';
import { AppError } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import { t } from '../../web/i18n.ts';
import { sendPage } from '../../web/layout.tsx';
import { downloadMailboxExport, mailboxExports } from './download-export.ts';
import { ExportView } from './export.views.tsx';
import { type MailboxPages, noStore } from './mailbox-pages.tsx';
import { requestMailboxExport } from './request-export.ts';

/**
 * The export of the whole mailbox (issue 18, item 4): /post/eksport shows the owner's exports and requests one,
 * /post/eksport/:id/hent downloads a ready one. Owner only (mayExportMailbox, in the use cases): anyone else is 403
 * and nothing is stored.
 */
export async function exportRoutes(
  _app: FastifyInstance,
  { services, pages }: { services: Services; pages: MailboxPages },
) {
  const { web, hide, citizen, citizenForm, mailboxContext, navFor, csrfField } = pages;

  async function show(request: FastifyRequest, reply: FastifyReply, error: AppError | null, notice = false) {
    const ctx = await mailboxContext(request);
    const exports = await mailboxExports(services, request.actor, ctx.mailbox.access);
    return sendPage(request, noStore(reply).status(error?.status ?? 200), {
      title: t(request.lang, 'export.title'),
      body: (
        <ExportView
          lang={request.lang}
          nav={await navFor(request, ctx, 'export')}
          csrf={csrfField(request)}
          exports={exports}
          notice={notice}
          error={error ? t(request.lang, 'export.error.export_in_progress') : null}
        />
      ),
    });
  }

  web.get(
    '/post/eksport',
    {
      preHandler: citizen,
      schema: { ...hide, querystring: Type.Object({ ok: Type.Optional(Type.String({ maxLength: 8 })) }) },
    },
    async (request, reply) => show(request, reply, null, request.query.ok === '1'),
  );

  web.post(
    '/post/eksport',
    { preHandler: citizenForm, schema: { ...hide, body: Type.Object({ _csrf: Type.Optional(Type.String()) }) } },
    async (request, reply) => {
      const ctx = await mailboxContext(request);
      try {
        await requestMailboxExport(services, request.actor, ctx.mailbox.access, request.lang);
      } catch (e) {
        // One export at a time: the page again, with the running one and why (409).
        if (e instanceof AppError && e.code === 'export_in_progress') return show(request, reply, e);
        throw e;
      }
      return reply.redirect('/post/eksport?ok=1', 303);
    },
  );

  web.get(
    '/post/eksport/:id/hent',
    { preHandler: citizen, schema: { ...hide, params: Type.Object({ id: Type.String({ maxLength: 64 }) }) } },
    async (request, reply) => {
      const ctx = await mailboxContext(request);
      const download = await downloadMailboxExport(services, request.actor, ctx.mailbox.access, request.params.id);
      return noStore(reply)
        .type('application/zip')
        .header('content-disposition', contentDisposition('attachment', download.filename))
        .header('x-content-type-options', 'nosniff')
        .header('content-length', download.sizeBytes)
        .send(download.body);
    },
  );
}
