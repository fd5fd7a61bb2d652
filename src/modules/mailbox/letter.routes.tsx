import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { contentDisposition } from '../../http/content-disposition.ts';
import { AppError } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import { t } from '../../web/i18n.ts';
import { sendPage } from '../../web/layout.tsx';
import { mayInMailbox } from '../access/index.ts';
import { sendProof } from '../proofs/index.ts';
import { calendarForAction, completeAction } from './actions.ts';
import { LegalNoticeView, MessageView } from './letter.views.tsx';
import { listReaderProofs, readReaderProof } from './letter-proofs.ts';
import { errorKey, type MailboxPages, noStore, noticeKey } from './mailbox-pages.tsx';
import { openMessage } from './open-message.ts';
import { type DocumentDownload, downloadAllDocuments, readDocument, readPageImage } from './read-document.ts';

/** A letter: its page, opening a legal notification, its actions and its documents. */
export async function letterRoutes(
  _app: FastifyInstance,
  { services, pages }: { services: Services; pages: MailboxPages },
) {
  const { web, hide, citizen, citizenForm, permsOf, csrfField } = pages;

  web.get(
    '/post/:id',
    {
      preHandler: citizen,
      schema: {
        ...hide,
        params: Type.Object({ id: Type.String() }),
        querystring: Type.Object({
          ok: Type.Optional(Type.String({ maxLength: 40 })),
          fejl: Type.Optional(Type.String({ maxLength: 40 })),
        }),
      },
    },
    async (request, reply) => {
      const opened = await openMessage(services, request.actor, request.params.id);
      const { folders, canSwitch } = opened.nav;
      const csrf = csrfField(request) as string;
      if (opened.kind === 'legal_notice') {
        return sendPage(request, noStore(reply), {
          title: t(request.lang, 'mailbox.legal.title'),
          body: (
            <LegalNoticeView
              lang={request.lang}
              message={opened.message}
              csrfField={csrf}
              folders={folders}
              canSwitch={canSwitch}
            />
          ),
        });
      }
      const access = opened.message.access;
      const proofs = await listReaderProofs(services, request.actor, opened.message.id);
      return sendPage(request, noStore(reply), {
        title: opened.message.label,
        body: (
          <MessageView
            lang={request.lang}
            message={opened.message}
            folders={folders}
            perms={permsOf(request, access)}
            mayAct={mayInMailbox(request.actor, access, 'act')}
            canSwitch={canSwitch}
            csrfField={csrf}
            notice={noticeKey(request.query.ok)}
            error={errorKey(request.query.fejl)}
            proofs={proofs}
          />
        ),
      });
    },
  );

  web.get(
    '/post/:id/bevis/:fact',
    {
      preHandler: citizen,
      schema: { ...hide, params: Type.Object({ id: Type.String(), fact: Type.String({ maxLength: 40 }) }) },
    },
    async (request, reply) => {
      const { id, fact } = request.params;
      const proof = await orLegalNotice(reply, id, () => readReaderProof(services, request.actor, id, fact));
      return proof ? sendProof(noStore(reply), proof) : reply;
    },
  );

  web.post(
    '/post/:id/aabn',
    {
      preHandler: citizenForm,
      schema: {
        ...hide,
        params: Type.Object({ id: Type.String() }),
        body: Type.Object({ _csrf: Type.Optional(Type.String()) }),
      },
    },
    async (request, reply) => {
      const opened = await openMessage(services, request.actor, request.params.id, { confirmLegal: true });
      return reply.redirect(`/post/${opened.message.id}`, 303);
    },
  );

  web.post(
    '/post/:id/handlinger/:position',
    {
      preHandler: citizenForm,
      schema: {
        ...hide,
        params: Type.Object({ id: Type.String(), position: Type.String() }),
        body: Type.Object({ _csrf: Type.Optional(Type.String()) }),
      },
    },
    async (request, reply) => {
      await completeAction(services, request.actor, request.params.id, request.params.position);
      return reply.redirect(`/post/${request.params.id.toLowerCase()}?ok=action`, 303);
    },
  );

  web.get(
    '/post/:id/handlinger/:position/kalender.ics',
    { preHandler: citizen, schema: { ...hide, params: Type.Object({ id: Type.String(), position: Type.String() }) } },
    async (request, reply) => {
      const ics = await calendarForAction(services, request.actor, request.params.id, request.params.position);
      return noStore(reply)
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', contentDisposition('attachment', ics.filename))
        .send(ics.body);
    },
  );

  function sendDocument(reply: FastifyReply, doc: DocumentDownload, disposition: 'inline' | 'attachment') {
    // Sender HTML is only given out sanitised (readDocument); here it runs sandboxed besides (no script, no forms, an
    // opaque origin) and loads nothing from outside; a download carries its own CSP for when it is opened from disk.
    if (doc.mediaType === 'text/html') {
      reply.header(
        'content-security-policy',
        "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'self'",
      );
    }
    noStore(reply)
      .type(
        doc.mediaType === 'text/plain'
          ? 'text/plain; charset=utf-8'
          : doc.mediaType === 'text/html'
            ? 'text/html; charset=utf-8'
            : doc.mediaType,
      )
      .header('content-disposition', contentDisposition(disposition, doc.filename))
      .header('x-content-type-options', 'nosniff');
    if (doc.sizeBytes !== null) reply.header('content-length', doc.sizeBytes);
    return reply.send(doc.body);
  }

  /** A document link of an unopened legal notification leads to the letter's page, where the notice is shown. */
  async function orLegalNotice<T>(reply: FastifyReply, id: string, read: () => Promise<T>): Promise<T | null> {
    try {
      return await read();
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'legal_notice_first') throw error;
      reply.redirect(`/post/${encodeURIComponent(id)}`, 303);
      return null;
    }
  }

  web.get(
    '/post/:id/dokumenter.zip',
    { preHandler: citizen, schema: { ...hide, params: Type.Object({ id: Type.String() }) } },
    async (request, reply) => {
      const zip = await orLegalNotice(reply, request.params.id, () =>
        downloadAllDocuments(services, request.actor, request.params.id, request.lang),
      );
      return zip ? sendDocument(reply, zip, 'attachment') : reply;
    },
  );

  web.get(
    '/post/:id/dokumenter/:position',
    {
      preHandler: citizen,
      schema: {
        ...hide,
        params: Type.Object({ id: Type.String(), position: Type.String() }),
        querystring: Type.Object({ download: Type.Optional(Type.String()) }),
      },
    },
    async (request, reply) => {
      const download = request.query.download === '1';
      const doc = await orLegalNotice(reply, request.params.id, () =>
        readDocument(services, request.actor, request.params.id, request.params.position, {
          view: !download,
          lang: request.lang,
        }),
      );
      return doc ? sendDocument(reply, doc, download ? 'attachment' : 'inline') : reply;
    },
  );

  web.get(
    '/post/:id/dokumenter/:position/sider/:page',
    {
      preHandler: citizen,
      schema: { ...hide, params: Type.Object({ id: Type.String(), position: Type.String(), page: Type.String() }) },
    },
    async (request, reply) => {
      const { id, position, page } = request.params;
      const png = await orLegalNotice(reply, id, () => readPageImage(services, request.actor, id, position, page));
      if (!png) return reply;
      return noStore(reply)
        .type('image/png')
        .header('content-length', png.length)
        .header('x-content-type-options', 'nosniff')
        .send(png);
    },
  );
}
