import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { contentDisposition } from '../../http/content-disposition.ts';
import { AppError } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import { FormTextError, formTextMessage } from '../../web/form-text.ts';
import { t } from '../../web/i18n.ts';
import { sendPage } from '../../web/layout.tsx';
import { csrfField, requireActor, verifyCsrf } from '../identity/index.ts';
import { listDelegationsHeld, listDelegationsTo } from './access.repository.ts';
import { accessErrorMessage, type FormError, type GrantFormValues } from './access.views.tsx';
import { ActivityView } from './activity.views.tsx';
import { exportMailboxActivity } from './export-activity.ts';
import { type CitizenActor, grantAccess } from './grant-access.ts';
import { AccessView } from './grants.views.tsx';
import { listMailboxActivity } from './list-activity.ts';
import { mayRevokeInMailbox } from './mailbox.policy.ts';
import { currentMailbox, listOpenableMailboxes, type OpenableMailbox, setMailboxCookie } from './mailbox-access.ts';
import { revokeAccess } from './revoke-access.ts';
import { SwitchView } from './switch.views.tsx';

/** Pages with personal data are never stored by browsers or proxies. */
export const noStore = (reply: FastifyReply) => reply.header('cache-control', 'private, no-store');

export const hide = { hide: true };
export const text = (maxLength: number) => Type.Optional(Type.String({ maxLength }));
export const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
export const PersonAccessParams = Type.Object({
  id: Type.String({ maxLength: 64 }),
  accessId: Type.String({ maxLength: 64 }),
});

/** An AppError a form can show; anything else (server errors, CSRF) goes to the error page. */
export function formError(request: FastifyRequest, error: unknown): FormError | null {
  if (!(error instanceof AppError) || error.status >= 500 || error.code === 'csrf_failed') return null;
  if (error.code === 'not_your_municipality' || error.code === 'person_not_found') return null;
  const message =
    error instanceof FormTextError
      ? formTextMessage(request.lang, error)
      : accessErrorMessage(request.lang, error.code, error.message);
  return { code: error.code, field: error.field, message };
}

/** Access for others: the citizen's access page, the mailbox switcher, the activity log, and citizen service. */
export async function accessRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const web = app.withTypeProvider<TypeBoxTypeProvider>();
  const citizenOnly = requireActor('citizen');

  async function current(request: FastifyRequest): Promise<OpenableMailbox> {
    const mailbox = await currentMailbox(services, request);
    if (!mailbox) throw new AppError(403, 'forbidden', 'Your login does not give access to this page.');
    return mailbox;
  }

  // --- The citizen's access page ---

  async function renderAccess(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { done?: 'granted' | 'revoked'; error?: FormError; values?: GrantFormValues } = {},
  ) {
    const actor = request.actor as CitizenActor;
    const mailbox = await current(request);
    const now = new Date();
    const given = mailbox.access.level === 'owner' ? await listDelegationsTo(services.db, mailbox.owner.id, now) : null;
    const held = await listDelegationsHeld(services.db, actor.recipientId, now);
    return sendPage(request, noStore(reply), {
      title: t(request.lang, 'access.title'),
      body: (
        <AccessView
          lang={request.lang}
          csrf={csrfField(request)}
          current={mailbox}
          given={
            given?.map((delegation) => ({
              delegation,
              // Administrators are removed on their own page, which keeps the last one (issue 17).
              revocable: delegation.level !== 'owner' && mayRevokeInMailbox(actor, mailbox.access, delegation),
            })) ?? null
          }
          held={held}
          {...extra}
        />
      ),
    });
  }

  web.get(
    '/post/adgang',
    { preHandler: citizenOnly, schema: { ...hide, querystring: Type.Object({ udfoert: text(20) }) } },
    async (request, reply) => {
      const done = (['granted', 'revoked'] as const).find((d) => d === request.query.udfoert);
      return renderAccess(request, reply, { done });
    },
  );

  // The grantee's CPR number travels in the form body only.
  web.post(
    '/post/adgang',
    {
      preHandler: citizenOnly,
      config: { formTextFields: ['cpr', 'name', 'endDate'] },
      schema: {
        ...hide,
        body: Type.Object({
          mailbox: text(64),
          cpr: text(64),
          name: text(10_000),
          level: text(20),
          endDate: text(20),
          _csrf: text(200),
        }),
      },
    },
    async (request, reply) => {
      verifyCsrf(request);
      const { mailbox, cpr, name, level, endDate } = request.body;
      try {
        await grantAccess(services, request.actor as CitizenActor, {
          mailboxId: mailbox ?? '',
          cpr: cpr ?? '',
          name: name ?? '',
          level: level ?? '',
          endDate,
        });
      } catch (error) {
        const problem = formError(request, error);
        if (!problem || !(error instanceof AppError)) throw error;
        return renderAccess(request, reply.status(error.status), {
          error: problem,
          values: { cpr, name, level, endDate },
        });
      }
      return reply.redirect('/post/adgang?udfoert=granted', 303);
    },
  );

  web.post(
    '/post/adgang/:id/tilbagekald',
    {
      preHandler: citizenOnly,
      schema: { ...hide, params: IdParams, body: Type.Object({ mailbox: text(64), _csrf: text(200) }) },
    },
    async (request, reply) => {
      verifyCsrf(request);
      try {
        await revokeAccess(services, request.actor as CitizenActor, {
          mailboxId: request.body.mailbox ?? '',
          accessId: request.params.id,
        });
      } catch (error) {
        const problem = formError(request, error);
        if (!problem || !(error instanceof AppError)) throw error;
        return renderAccess(request, reply.status(error.status), { error: problem });
      }
      return reply.redirect('/post/adgang?udfoert=revoked', 303);
    },
  );

  // --- Mailbox switcher ---

  async function renderSwitch(request: FastifyRequest, reply: FastifyReply, error?: FormError) {
    const mailboxes = await listOpenableMailboxes(services.db, request.actor);
    const mailbox = await current(request);
    return sendPage(request, noStore(reply), {
      title: t(request.lang, 'access.switch.title'),
      body: (
        <SwitchView
          lang={request.lang}
          csrf={csrfField(request)}
          mailboxes={mailboxes}
          current={mailbox}
          error={error}
        />
      ),
    });
  }

  web.get('/post/postkasser', { preHandler: citizenOnly, schema: hide }, async (request, reply) =>
    renderSwitch(request, reply),
  );

  web.post(
    '/post/postkasser',
    { preHandler: citizenOnly, schema: { ...hide, body: Type.Object({ mailbox: text(64), _csrf: text(200) }) } },
    async (request, reply) => {
      verifyCsrf(request);
      const actor = request.actor as CitizenActor;
      const chosen = (request.body.mailbox ?? '').toLowerCase();
      const mailboxes = await listOpenableMailboxes(services.db, actor);
      const target = mailboxes.find((m) => m.owner.id === chosen);
      if (!target) {
        const message = accessErrorMessage(request.lang, 'mailbox_not_openable', '');
        return renderSwitch(request, reply.status(404), { code: 'mailbox_not_openable', message });
      }
      setMailboxCookie(reply, services, target.access.via === 'self' ? null : target.owner.id);
      return reply.redirect('/post', 303);
    },
  );

  // --- Activity log ---

  web.get(
    '/post/aktivitet',
    {
      preHandler: citizenOnly,
      schema: { ...hide, querystring: Type.Object({ foer: text(32) }) },
    },
    async (request, reply) => {
      const mailbox = await current(request);
      const page = await listMailboxActivity(services, request.actor, mailbox, request.query.foer);
      return sendPage(request, noStore(reply), {
        title: t(request.lang, 'access.activity.title'),
        frame: 'mailbox',
        body: (
          <ActivityView
            lang={request.lang}
            current={mailbox}
            items={page.items}
            nextBefore={page.nextBefore}
            isContinuation={page.isContinuation}
          />
        ),
      });
    },
  );

  // The activity log's evidence: the mailbox's audit chain, signed (owner only; see export-activity.ts).
  web.get('/post/aktivitet/eksport', { preHandler: citizenOnly, schema: hide }, async (request, reply) => {
    const mailbox = await current(request);
    const exported = await exportMailboxActivity(services, request.actor, mailbox);
    const day = exported.exportedAt.slice(0, 10);
    return noStore(reply)
      .type('application/json; charset=utf-8')
      .header('content-disposition', contentDisposition('attachment', `kuvert-aktivitet-${day}.json`))
      .send(JSON.stringify(exported, null, 2));
  });
}
