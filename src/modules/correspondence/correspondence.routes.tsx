import { randomUUID } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { contentDisposition } from '../../http/content-disposition.ts';
import { AppError } from '../../http/problem.ts';
import type { Actor } from '../../kernel/actor.ts';
import type { Services } from '../../services.ts';
import { t } from '../../web/i18n.ts';
import { sendPage } from '../../web/layout.tsx';
import { currentMailbox, mayBeyondFolders } from '../access/index.ts';
import { csrfField, requireActor } from '../identity/index.ts';
import { type AttachmentLimits, REPLY_LIMITS } from './attachments.ts';
import { findActiveContactPoint, limitsOf, listActiveContactPoints } from './contact-points.ts';
import { readInboundForm } from './read-inbound-form.ts';
import { type InboundFormValues, sentUrl } from './recipient.views.tsx';
import { SentItemView, SentListView } from './sent.views.tsx';
import { listSent, openSent, readSentAttachment } from './sent-items.ts';
import { CannotReplyView, ChooseContactPointView, ReplyView, WriteView } from './write.views.tsx';
import { accessToLetter, replyTarget, replyToLetter, writeToContactPoint } from './write-to-authority.ts';

/** Pages with personal data are never stored by browsers or proxies. */
const noStore = (reply: FastifyReply) => reply.header('cache-control', 'private, no-store');
const citizen = (request: FastifyRequest) => request.actor as Extract<Actor, { kind: 'citizen' }>;

/** A form posted without files has its subject and text checked by checkDraft, which shows the form again. */
const typedTexts = { formTextFields: ['subject', 'body'] };

/** A form error the writer can fix (shown by the form); anything else goes to the error page. */
const isFormError = (error: unknown): error is AppError =>
  error instanceof AppError && error.status < 500 && error.field !== undefined;

/**
 * The recipient's side: reply to a letter (/post/:id/svar), write to a contact point (/post/skriv), and what the
 * mailbox has written (/post/sendt). The mailbox written from is the letter's, or the one chosen in the switcher.
 */
export async function correspondenceRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const web = app.withTypeProvider<TypeBoxTypeProvider>();
  const citizens = requireActor('citizen');
  const maxFileBytes = services.config.maxDocumentBytes;
  const readLimits = (limits: AttachmentLimits) => ({
    maxFileBytes: Math.min(maxFileBytes, limits.maxTotalBytes),
    maxTotalBytes: limits.maxTotalBytes,
  });
  const idParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

  async function renderReply(
    request: FastifyRequest,
    reply: FastifyReply,
    letterId: string,
    values: InboundFormValues | null,
    error: AppError | null,
  ) {
    const actor = citizen(request);
    const { access, ownerName } = await accessToLetter(services, actor, letterId);
    let letter: Awaited<ReturnType<typeof replyTarget>>;
    try {
      letter = await replyTarget(services, actor, access, letterId);
    } catch (e) {
      if (e instanceof AppError && e.status !== 404) {
        return sendPage(request, noStore(reply).status(e.status), {
          title: t(request.lang, 'corr.reply.cannot'),
          frame: 'mailbox',
          body: <CannotReplyView lang={request.lang} letterId={letterId} code={e.code} />,
        });
      }
      throw e;
    }
    return sendPage(request, noStore(reply), {
      title: t(request.lang, 'corr.reply.heading'),
      frame: 'mailbox',
      body: (
        <ReplyView
          lang={request.lang}
          csrf={csrfField(request)}
          letter={{ id: letter.id, label: letter.label, senderName: letter.sender_name, replyBy: letter.reply_by }}
          values={values ?? { subject: `Svar: ${letter.label}`.slice(0, 200), body: '', formKey: randomUUID() }}
          error={error}
          limits={REPLY_LIMITS}
          maxFileBytes={maxFileBytes}
          writing={{
            writerName: actor.name,
            mailboxOwnerName: ownerName,
            isOwner: access?.mailboxId === actor.recipientId,
          }}
        />
      ),
    });
  }

  web.get('/post/:id/svar', { preHandler: citizens, schema: { hide: true, params: idParams } }, (request, reply) =>
    renderReply(request, reply, request.params.id, null, null),
  );

  web.post(
    '/post/:id/svar',
    { preHandler: citizens, config: typedTexts, schema: { hide: true, params: idParams } },
    async (request, reply) => {
      const actor = citizen(request);
      const { access } = await accessToLetter(services, actor, request.params.id);
      // Whoever may not reply is told so before a byte of their upload is kept.
      try {
        await replyTarget(services, actor, access, request.params.id);
      } catch (e) {
        if (e instanceof AppError && e.status !== 404)
          return renderReply(request, reply, request.params.id, null, null);
        throw e;
      }
      const form = await readInboundForm(request, readLimits(REPLY_LIMITS));
      const values = { subject: form.subject, body: form.body, formKey: form.formKey };
      if (form.error)
        return renderReply(request, reply.status(form.error.status), request.params.id, values, form.error);
      try {
        const result = await replyToLetter(services, { actor, access, letterId: request.params.id, draft: form });
        return reply.redirect(`${sentUrl(result.id)}?sendt=1`, 303);
      } catch (e) {
        if (isFormError(e)) return renderReply(request, reply.status(e.status), request.params.id, values, e);
        throw e;
      }
    },
  );

  web.get('/post/skriv', { preHandler: citizens, schema: { hide: true } }, async (request, reply) => {
    const mailbox = await currentMailbox(services, request);
    const readOnly = !mayBeyondFolders(request.actor, mailbox?.access ?? null, 'write');
    const groups = readOnly ? [] : await listActiveContactPoints(services.db);
    return sendPage(request, noStore(reply).status(readOnly ? 403 : 200), {
      title: t(request.lang, 'corr.write.heading'),
      frame: 'mailbox',
      body: <ChooseContactPointView lang={request.lang} groups={groups} readOnly={readOnly} />,
    });
  });

  async function renderWrite(
    request: FastifyRequest,
    reply: FastifyReply,
    contactPointId: string,
    values: InboundFormValues | null,
    error: AppError | null,
  ) {
    const actor = citizen(request);
    const mailbox = await currentMailbox(services, request);
    const contactPoint = await findActiveContactPoint(services.db, contactPointId);
    if (!contactPoint) throw new AppError(404, 'not_found', 'The contact point does not exist.');
    if (!mayBeyondFolders(actor, mailbox?.access ?? null, 'write')) {
      return reply.redirect('/post/skriv', 303);
    }
    return sendPage(request, noStore(reply), {
      title: t(request.lang, 'corr.write.to', { name: contactPoint.name }),
      frame: 'mailbox',
      body: (
        <WriteView
          lang={request.lang}
          csrf={csrfField(request)}
          contactPoint={contactPoint}
          values={values ?? { subject: '', body: '', formKey: randomUUID() }}
          error={error}
          limits={limitsOf(contactPoint)}
          maxFileBytes={maxFileBytes}
          writing={{
            writerName: actor.name,
            mailboxOwnerName: mailbox?.owner.name ?? '',
            isOwner: mailbox?.owner.id === actor.recipientId,
          }}
        />
      ),
    });
  }

  web.get('/post/skriv/:id', { preHandler: citizens, schema: { hide: true, params: idParams } }, (request, reply) =>
    renderWrite(request, reply, request.params.id, null, null),
  );

  web.post(
    '/post/skriv/:id',
    { preHandler: citizens, config: typedTexts, schema: { hide: true, params: idParams } },
    async (request, reply) => {
      const actor = citizen(request);
      const mailbox = await currentMailbox(services, request);
      const contactPoint = await findActiveContactPoint(services.db, request.params.id);
      if (!contactPoint) throw new AppError(404, 'not_found', 'The contact point does not exist.');
      if (!mayBeyondFolders(actor, mailbox?.access ?? null, 'write')) {
        throw new AppError(
          403,
          'read_only_access',
          'Your access to this mailbox does not let you write to authorities.',
        );
      }
      const form = await readInboundForm(request, readLimits(limitsOf(contactPoint)));
      const values = { subject: form.subject, body: form.body, formKey: form.formKey };
      if (form.error)
        return renderWrite(request, reply.status(form.error.status), request.params.id, values, form.error);
      try {
        const result = await writeToContactPoint(services, {
          actor,
          access: mailbox?.access ?? null,
          contactPointId: contactPoint.id,
          draft: form,
        });
        return reply.redirect(`${sentUrl(result.id)}?sendt=1`, 303);
      } catch (e) {
        if (isFormError(e)) return renderWrite(request, reply.status(e.status), request.params.id, values, e);
        throw e;
      }
    },
  );

  web.get(
    '/post/sendt',
    {
      preHandler: citizens,
      schema: { hide: true, querystring: Type.Object({ before: Type.Optional(Type.String({ maxLength: 64 })) }) },
    },
    async (request, reply) => {
      const mailbox = await currentMailbox(services, request);
      const page = await listSent(services, request.actor, mailbox?.access ?? null, request.query.before);
      return sendPage(request, noStore(reply), {
        title: t(request.lang, 'corr.sent.heading'),
        frame: 'mailbox',
        body: <SentListView lang={request.lang} page={page} />,
      });
    },
  );

  web.get(
    '/post/sendt/:id',
    {
      preHandler: citizens,
      schema: {
        hide: true,
        params: idParams,
        querystring: Type.Object({ sendt: Type.Optional(Type.String({ maxLength: 1 })) }),
      },
    },
    async (request, reply) => {
      const mailbox = await currentMailbox(services, request);
      const record = await openSent(services, request.actor, mailbox?.access ?? null, request.params.id);
      return sendPage(request, noStore(reply), {
        title: record.subject,
        frame: 'mailbox',
        body: <SentItemView lang={request.lang} record={record} justSent={request.query.sendt === '1'} />,
      });
    },
  );

  web.get(
    '/post/sendt/:id/bilag/:position',
    {
      preHandler: citizens,
      schema: {
        hide: true,
        params: Type.Object({ id: Type.String({ maxLength: 64 }), position: Type.String({ maxLength: 4 }) }),
      },
    },
    async (request, reply) => {
      const mailbox = await currentMailbox(services, request);
      const file = await readSentAttachment(
        services,
        request.actor,
        mailbox?.access ?? null,
        request.params.id,
        request.params.position,
      );
      return noStore(reply)
        .type(file.mediaType === 'text/plain' ? 'text/plain; charset=utf-8' : file.mediaType)
        .header('content-length', file.sizeBytes)
        .header('content-disposition', contentDisposition('attachment', file.filename))
        .header('x-content-type-options', 'nosniff')
        .send(file.body);
    },
  );
}
