import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../http/problem.ts';
import type { Actor } from '../../kernel/actor.ts';
import type { Services } from '../../services.ts';
import { formatDateTime, t } from '../../web/i18n.ts';
import { sendPage } from '../../web/layout.tsx';
import { requireActor, verifyCsrf } from '../identity/index.ts';
import {
  addContactDetail,
  confirmContactDetail,
  listContactDetails,
  removeContactDetail,
  resendCode,
} from './contact-details.ts';
import {
  CONTACT_PATH,
  ContactDetailsView,
  type ContactErrorCode,
  type ContactFormError,
  type ContactNotice,
  type ContactPageProps,
  contactErrorCodes,
  contactNotices,
  NOTIFY_SETTINGS_PATH,
} from './contact-details.views.tsx';
import { OUTBOX_PATH } from './development-outbox.routes.tsx';
import { getNotifyPreference, saveNotifyPreference } from './preferences.ts';

/** Pages with personal data are never stored by browsers or proxies. */
const noStore = (reply: FastifyReply) => reply.header('cache-control', 'private, no-store');

const ownerOf = (request: FastifyRequest) => (request.actor as Extract<Actor, { kind: 'citizen' }>).recipientId;

// Fields stay optional and unconstrained here: the use cases validate them and the page explains what is wrong.
const csrfBody = Type.Object({ _csrf: Type.Optional(Type.String()) });
const emailBody = Type.Object({ _csrf: Type.Optional(Type.String()), email: Type.Optional(Type.String()) });
const mobileBody = Type.Object({ _csrf: Type.Optional(Type.String()), mobile: Type.Optional(Type.String()) });
const codeBody = Type.Object({ _csrf: Type.Optional(Type.String()), code: Type.Optional(Type.String()) });
const detailParams = Type.Object({ id: Type.String() });
const preferenceBody = Type.Object({
  _csrf: Type.Optional(Type.String()),
  byEmail: Type.Optional(Type.String()),
  bySms: Type.Optional(Type.String()),
  language: Type.Optional(Type.String()),
  nemsms: Type.Optional(Type.String()),
});

/** A use-case error this page explains next to the form it came from; null for anything else. */
function formErrorOf(
  error: unknown,
  target: ContactFormError['target'],
  lang: FastifyRequest['lang'],
): (ContactFormError & { status: number }) | null {
  if (!(error instanceof AppError) || !contactErrorCodes.includes(error.code as ContactErrorCode)) return null;
  const params: Record<string, string | number> = {};
  if (typeof error.extra.attemptsLeft === 'number') params.attemptsLeft = error.extra.attemptsLeft;
  if (typeof error.extra.retryAt === 'string') params.time = formatDateTime(lang, error.extra.retryAt);
  return { target, code: error.code as ContactErrorCode, params, status: error.status };
}

/**
 * /indstillinger/kontakt: a citizen's own e-mail addresses and mobile number. Plain forms (no JavaScript): each
 * POST checks the CSRF token, then redirects back on success or shows the page again with the error and the values.
 */
export async function contactDetailsRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const web = app.withTypeProvider<TypeBoxTypeProvider>();
  const channel = services.notifications;
  const hide = { hide: true };
  const citizenForm = [requireActor('citizen'), async (request: FastifyRequest) => verifyCsrf(request)];

  async function showPage(
    request: FastifyRequest,
    reply: FastifyReply,
    state: Partial<Pick<ContactPageProps, 'notice' | 'error' | 'values'>> & { status?: number } = {},
  ) {
    const [details, preference] = await Promise.all([
      listContactDetails(services.db, ownerOf(request), new Date()),
      getNotifyPreference(services.db, ownerOf(request)),
    ]);
    const { notify } = services.config;
    const usesOutbox = notify.email.transport === 'outbox' || notify.sms.transport === 'outbox';
    return sendPage(request, noStore(reply).status(state.status ?? 200), {
      title: t(request.lang, 'contact.title'),
      body: (
        <ContactDetailsView
          lang={request.lang}
          csrfToken={request.csrfToken ?? ''}
          details={details}
          notice={state.notice ?? null}
          error={state.error ?? null}
          values={state.values ?? {}}
          developmentOutbox={services.config.env !== 'production' && usesOutbox ? OUTBOX_PATH : null}
          preference={preference}
        />
      ),
    });
  }

  /** Runs a use case; success → back to the list (Post/Redirect/Get), a known error → the page with the error. */
  async function handleForm(
    request: FastifyRequest,
    reply: FastifyReply,
    target: ContactFormError['target'],
    values: ContactPageProps['values'],
    action: () => Promise<{ notice: ContactNotice; anchor?: string } | { error: ContactFormError; status: number }>,
  ) {
    try {
      const result = await action();
      if ('error' in result) return showPage(request, reply, { ...result, values });
      const anchor = result.anchor ? `#kontakt-${result.anchor}` : '';
      return reply.redirect(`${CONTACT_PATH}?besked=${result.notice}${anchor}`, 303);
    } catch (error) {
      const formError = formErrorOf(error, target, request.lang);
      if (!formError) throw error;
      const { status, ...rest } = formError;
      return showPage(request, reply, { error: rest, values, status });
    }
  }

  web.get(
    CONTACT_PATH,
    {
      preHandler: requireActor('citizen'),
      schema: { ...hide, querystring: Type.Object({ besked: Type.Optional(Type.String({ maxLength: 32 })) }) },
    },
    async (request, reply) => {
      const notice = contactNotices.find((n) => n === request.query.besked) ?? null;
      return showPage(request, reply, { notice });
    },
  );

  for (const kind of ['email', 'mobile'] as const) {
    web.post(
      `${CONTACT_PATH}/${kind === 'email' ? 'email' : 'mobil'}`,
      {
        preHandler: citizenForm,
        // The address or number is checked by the use case, which shows the form again (NUL included).
        config: { formTextFields: [kind] },
        schema: { ...hide, body: kind === 'email' ? emailBody : mobileBody },
      },
      async (request, reply) => {
        const value = (request.body as Record<string, string | undefined>)[kind] ?? '';
        return handleForm(request, reply, kind, { [kind]: value }, async () => {
          const added = await addContactDetail(services, {
            recipientId: ownerOf(request),
            kind,
            value,
            channel,
            now: new Date(),
          });
          if (!added.codeSent) {
            return {
              error: { target: { detailId: added.id }, code: 'code_not_sent', params: {} },
              status: 503,
            };
          }
          return { notice: 'added', anchor: added.id };
        });
      },
    );
  }

  web.post(
    `${CONTACT_PATH}/:id/bekraeft`,
    {
      preHandler: citizenForm,
      config: { formTextFields: ['code'] },
      schema: { ...hide, params: detailParams, body: codeBody },
    },
    async (request, reply) => {
      const { id } = request.params;
      const code = request.body.code ?? '';
      return handleForm(request, reply, { detailId: id }, { code }, async () => {
        await confirmContactDetail(services, { recipientId: ownerOf(request), id, code, now: new Date() });
        return { notice: 'confirmed', anchor: id };
      });
    },
  );

  web.post(
    `${CONTACT_PATH}/:id/ny-kode`,
    { preHandler: citizenForm, schema: { ...hide, params: detailParams, body: csrfBody } },
    async (request, reply) => {
      const { id } = request.params;
      return handleForm(request, reply, { detailId: id }, {}, async () => {
        await resendCode(services, { recipientId: ownerOf(request), id, channel, now: new Date() });
        return { notice: 'sent', anchor: id };
      });
    },
  );

  web.post(
    NOTIFY_SETTINGS_PATH,
    { preHandler: citizenForm, schema: { ...hide, body: preferenceBody } },
    async (request, reply) => {
      const body = request.body;
      const language = body.language === 'en' ? 'en' : 'da';
      await saveNotifyPreference(services.db, {
        recipientId: ownerOf(request),
        preference: { byEmail: !!body.byEmail, bySms: !!body.bySms, language, nemsms: !!body.nemsms },
        now: new Date(),
      });
      return reply.redirect(`${CONTACT_PATH}?besked=preferences#advisering`, 303);
    },
  );

  web.post(
    `${CONTACT_PATH}/:id/fjern`,
    { preHandler: citizenForm, schema: { ...hide, params: detailParams, body: csrfBody } },
    async (request, reply) => {
      await removeContactDetail(services, { recipientId: ownerOf(request), id: request.params.id });
      return reply.redirect(`${CONTACT_PATH}?besked=removed`, 303);
    },
  );
}
