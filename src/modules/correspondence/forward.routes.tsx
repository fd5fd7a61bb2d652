import { randomUUID } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import { t } from '../../web/i18n.ts';
import { sendPage } from '../../web/layout.tsx';
import { csrfField, requireActor, verifyCsrf } from '../identity/index.ts';
import {
  FORWARD_NOTE_MAX,
  type ForwardSource,
  findSentForward,
  forwardSource,
  forwardToPerson,
  prepareForwardToPerson,
} from '../mailbox/index.ts';
import { listActiveContactPoints } from './contact-points.ts';
import {
  CannotForwardView,
  ForwardConfirmView,
  ForwardDoneView,
  type ForwardFormValues,
  ForwardView,
  forwardUrl,
} from './forward.views.tsx';
import { forwardToAuthority, prepareForwardToAuthority } from './forward-to-authority.ts';
import { sentUrl } from './recipient.views.tsx';

/** Pages with personal data are never stored by browsers or proxies. */
const noStore = (reply: FastifyReply) => reply.header('cache-control', 'private, no-store');
const text = (maxLength: number) => Type.Optional(Type.String({ maxLength }));
const idParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

/** Refusals about the letter itself (shown as a page of their own), not about what was typed. */
const LETTER_REFUSALS = new Set(['forward_read_only', 'forward_legal_notification_unserved']);

/**
 * Forwarding a letter (issue 16): /post/:id/videresend shows the form (a person by CPR number and name, or an
 * authority's contact point, and a note); posting it shows the confirmation step naming the recipient; posting that
 * forwards (to a person: mailbox's forwardToPerson; to an authority: forwardToAuthority). The CPR number travels in
 * form bodies only, never in a URL.
 */
export async function forwardRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const web = app.withTypeProvider<TypeBoxTypeProvider>();
  const citizens = requireActor('citizen');

  async function renderForm(
    request: FastifyRequest,
    reply: FastifyReply,
    source: ForwardSource,
    values: ForwardFormValues,
    error: AppError | null,
  ) {
    const groups = await listActiveContactPoints(services.db);
    const isOwner = source.access.mailboxId === source.actor.recipientId;
    const owner = isOwner
      ? null
      : ((
          await services.db
            .selectFrom('recipient')
            .select('name')
            .where('id', '=', source.access.mailboxId)
            .executeTakeFirst()
        )?.name ?? null);
    return sendPage(request, noStore(reply), {
      title: t(request.lang, 'corr.forward.heading'),
      frame: 'mailbox',
      body: (
        <ForwardView
          lang={request.lang}
          csrf={csrfField(request)}
          letter={{ id: source.message.id, label: source.message.label, senderName: source.message.sender_name }}
          groups={groups}
          values={values}
          error={error}
          onBehalfOf={owner}
          noteMax={FORWARD_NOTE_MAX}
        />
      ),
    });
  }

  /** The letter page's refusals as a page; anything else (not found, server errors) goes on. */
  function cannot(request: FastifyRequest, reply: FastifyReply, letterId: string, error: unknown) {
    if (error instanceof AppError && LETTER_REFUSALS.has(error.code)) {
      return sendPage(request, noStore(reply).status(error.status), {
        title: t(request.lang, 'corr.forward.cannot'),
        frame: 'mailbox',
        body: <CannotForwardView lang={request.lang} letterId={letterId} error={error} />,
      });
    }
    throw error;
  }

  web.get(
    '/post/:id/videresend',
    { preHandler: citizens, schema: { hide: true, params: idParams } },
    async (request, reply) => {
      let source: ForwardSource;
      try {
        source = await forwardSource(services.db, request.actor, request.params.id);
      } catch (error) {
        return cannot(request, reply, request.params.id, error);
      }
      const values = { to: 'person', cpr: '', name: '', contactPoint: '', note: '', formKey: randomUUID() } as const;
      return renderForm(request, reply, source, { ...values }, null);
    },
  );

  web.post(
    '/post/:id/videresend',
    {
      preHandler: citizens,
      config: { formTextFields: ['cpr', 'name', 'note'] },
      schema: {
        hide: true,
        params: idParams,
        body: Type.Object({
          step: text(20),
          to: text(20),
          cpr: text(64),
          name: text(10_000),
          contactPoint: text(64),
          note: text(50_000),
          formKey: text(64),
          _csrf: text(200),
        }),
      },
    },
    async (request, reply) => {
      verifyCsrf(request);
      const letterId = request.params.id;
      const body = request.body;
      const values: ForwardFormValues = {
        to: body.to === 'person' || body.to === 'authority' ? body.to : '',
        cpr: body.cpr ?? '',
        name: body.name ?? '',
        contactPoint: body.contactPoint ?? '',
        note: body.note ?? '',
        formKey: body.formKey ?? randomUUID(),
      };
      let source: ForwardSource;
      try {
        source = await forwardSource(services.db, request.actor, letterId);
      } catch (error) {
        return cannot(request, reply, letterId, error);
      }
      if (body.step === 'edit') return renderForm(request, reply, source, values, null);
      try {
        if (!values.to) {
          throw new AppError(422, 'forward_target_required', 'Choose a person or an authority.', 'to');
        }
        if (body.step === 'send') {
          if (values.to === 'person') {
            const done = await forwardToPerson(services, request.actor, {
              messageId: letterId,
              cpr: values.cpr,
              name: values.name,
              note: values.note,
              formKey: values.formKey,
            });
            return reply.redirect(`${forwardUrl(source.message.id)}/udfoert?kopi=${done.copyId}`, 303);
          }
          const done = await forwardToAuthority(services, request.actor, {
            messageId: letterId,
            contactPointId: values.contactPoint,
            note: values.note,
            formKey: values.formKey,
          });
          return reply.redirect(`${sentUrl(done.inboundId)}?sendt=1`, 303);
        }
        // The confirmation step: every check, nothing written.
        let recipientName: string;
        let note: string | null;
        if (values.to === 'person') {
          const plan = await prepareForwardToPerson(services.db, request.actor, {
            messageId: letterId,
            cpr: values.cpr,
            name: values.name,
            note: values.note,
          });
          recipientName = plan.person.name;
          note = plan.note;
        } else {
          const plan = await prepareForwardToAuthority(services.db, request.actor, {
            messageId: letterId,
            contactPointId: values.contactPoint,
            note: values.note,
          });
          recipientName = `${plan.contactPoint.senderName} (${plan.contactPoint.name})`;
          note = plan.note;
        }
        return sendPage(request, noStore(reply), {
          title: t(request.lang, 'corr.forward.confirmHeading'),
          frame: 'mailbox',
          body: (
            <ForwardConfirmView
              lang={request.lang}
              csrf={csrfField(request)}
              letter={{ id: source.message.id, label: source.message.label, senderName: source.message.sender_name }}
              values={values}
              recipientName={recipientName}
              note={note}
            />
          ),
        });
      } catch (error) {
        if (error instanceof AppError && LETTER_REFUSALS.has(error.code))
          return cannot(request, reply, letterId, error);
        if (error instanceof AppError && error.status < 500 && error.status !== 404 && error.code !== 'csrf_failed') {
          return renderForm(request, reply.status(error.status), source, values, error);
        }
        throw error;
      }
    },
  );

  web.get(
    '/post/:id/videresend/udfoert',
    { preHandler: citizens, schema: { hide: true, params: idParams, querystring: Type.Object({ kopi: text(64) }) } },
    async (request, reply) => {
      const sent = await findSentForward(services.db, request.actor, request.query.kopi ?? '');
      if (!sent || sent.originalId !== request.params.id.toLowerCase()) {
        throw new AppError(404, 'not_found', 'There is no such forwarded letter.');
      }
      return sendPage(request, noStore(reply), {
        title: t(request.lang, 'corr.forward.doneHeading'),
        frame: 'mailbox',
        body: (
          <ForwardDoneView
            lang={request.lang}
            letterId={sent.originalId}
            label={sent.label}
            recipientName={sent.recipientName}
          />
        ),
      });
    },
  );
}
