import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import { FormTextError, formTextMessage } from '../../web/form-text.ts';
import { t } from '../../web/i18n.ts';
import { sendPage } from '../../web/layout.tsx';
import { csrfField, requireActor, verifyCsrf } from '../identity/index.ts';
import { CaseworkerPersonView, CaseworkerSearchView, type DoneAction, type FailedAction } from './caseworker.views.tsx';
import { closeMailbox } from './close-mailbox.ts';
import { enrolVoluntarily } from './enrol-voluntarily.ts';
import { OwnEnrolmentView } from './enrolment.views.tsx';
import { findPerson } from './find-person.ts';
import {
  type CaseworkerActor,
  type CitizenActor,
  getOwnRegistration,
  getRegistrationForCaseworker,
} from './get-registration.ts';
import { reEnrol } from './re-enrol.ts';
import { registerExemption } from './register-exemption.ts';
import { findMunicipalityName } from './registry.repository.ts';
import { citizenErrorMessage, type FormError, registryErrorMessage } from './registry.views.tsx';

/** Pages with personal data are never stored by browsers or proxies. */
const noStore = (reply: FastifyReply) => reply.header('cache-control', 'private, no-store');

const hide = { hide: true };
const text = (maxLength: number) => Type.Optional(Type.String({ maxLength }));
const PersonParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const doneActions: DoneAction[] = ['exempted', 're_enrolled', 'closed'];

/** An AppError a form can show (a refused transition or a bad value); anything else goes to the error page. */
function formError(request: FastifyRequest, error: unknown): FormError | null {
  if (!(error instanceof AppError) || error.status >= 500 || error.code === 'csrf_failed') return null;
  if (error.code === 'person_not_found' && !error.field) return null;
  if (error.code === 'not_your_municipality' && !error.field) return null;
  return {
    code: error.code,
    field: error.field,
    message:
      error instanceof FormTextError
        ? formTextMessage(request.lang, error)
        : registryErrorMessage(request.lang, error.code, error.message),
  };
}

/** Citizen pages (/tilmelding) and the citizen-service back office (/borgerservice). */
export async function registryRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const web = app.withTypeProvider<TypeBoxTypeProvider>();
  const citizenOnly = requireActor('citizen');
  const caseworkerOnly = requireActor('caseworker');

  // --- The citizen's own enrolment ---

  async function renderOwn(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { enrolled?: boolean; error?: FormError } = {},
  ) {
    const view = await getOwnRegistration(services, request.actor as CitizenActor);
    return sendPage(request, noStore(reply), {
      title: t(request.lang, 'enrolment.title'),
      body: <OwnEnrolmentView lang={request.lang} view={view} csrf={csrfField(request)} {...extra} />,
    });
  }

  web.get(
    '/tilmelding',
    { preHandler: citizenOnly, schema: { ...hide, querystring: Type.Object({ tilmeldt: text(8) }) } },
    async (request, reply) => renderOwn(request, reply, { enrolled: request.query.tilmeldt === '1' }),
  );

  web.post(
    '/tilmelding/frivillig',
    { preHandler: citizenOnly, schema: { ...hide, body: Type.Object({ _csrf: text(200) }) } },
    async (request, reply) => {
      verifyCsrf(request);
      try {
        await enrolVoluntarily(services, request.actor as CitizenActor);
      } catch (error) {
        if (!(error instanceof AppError) || error.status !== 409) throw error;
        const message = citizenErrorMessage(request.lang, error.code, error.message);
        return renderOwn(request, reply.status(409), { error: { code: error.code, message } });
      }
      return reply.redirect('/tilmelding?tilmeldt=1', 303);
    },
  );

  // --- Citizen service ---

  async function renderSearch(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { cpr?: string; error?: FormError } = {},
  ) {
    const actor = request.actor as CaseworkerActor;
    const municipality = (await findMunicipalityName(services.db, actor.municipalityCode)) ?? actor.municipalityCode;
    return sendPage(request, noStore(reply), {
      title: t(request.lang, 'caseworker.title'),
      body: (
        <CaseworkerSearchView lang={request.lang} municipality={municipality} csrf={csrfField(request)} {...extra} />
      ),
    });
  }

  web.get('/borgerservice', { preHandler: caseworkerOnly, schema: hide }, async (request, reply) =>
    renderSearch(request, reply),
  );

  // The CPR number travels in the form body only; the result is addressed by the person's opaque Kuvert id.
  web.post(
    '/borgerservice/soeg',
    {
      preHandler: caseworkerOnly,
      config: { formTextFields: ['cpr'] },
      schema: { ...hide, body: Type.Object({ cpr: text(64), _csrf: text(200) }) },
    },
    async (request, reply) => {
      verifyCsrf(request);
      const cpr = request.body.cpr ?? '';
      try {
        const person = await findPerson(services, request.actor as CaseworkerActor, cpr);
        return reply.redirect(`/borgerservice/personer/${person.id}`, 303);
      } catch (error) {
        const problem = formError(request, error);
        if (!problem || !(error instanceof AppError)) throw error;
        return renderSearch(request, reply.status(error.status), { cpr, error: problem });
      }
    },
  );

  async function renderPerson(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    extra: { done?: DoneAction; failed?: FailedAction } = {},
  ) {
    const view = await getRegistrationForCaseworker(services, request.actor as CaseworkerActor, id);
    return sendPage(request, noStore(reply), {
      title: view.registration.name,
      body: (
        <CaseworkerPersonView
          lang={request.lang}
          view={view}
          csrf={csrfField(request)}
          deathRetentionYears={services.config.registry.deathRetentionYears}
          {...extra}
        />
      ),
    });
  }

  web.get(
    '/borgerservice/personer/:id',
    {
      preHandler: caseworkerOnly,
      schema: { ...hide, params: PersonParams, querystring: Type.Object({ udfoert: text(20) }) },
    },
    async (request, reply) => {
      const done = doneActions.find((action) => action === request.query.udfoert);
      return renderPerson(request, reply, request.params.id, { done });
    },
  );

  /** A note is checked by the use case (cleanNote), which shows the form again with the error. */
  const notesChecked = { formTextFields: ['note'] };

  /** Runs one back-office action; a refusal re-renders the person page with the message and the values kept. */
  async function act(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    run: () => Promise<unknown>,
    done: DoneAction,
    failed: (error: FormError) => FailedAction,
  ) {
    verifyCsrf(request);
    try {
      await run();
    } catch (error) {
      const problem = formError(request, error);
      if (!problem || !(error instanceof AppError)) throw error;
      return renderPerson(request, reply.status(error.status), id, { failed: failed(problem) });
    }
    return reply.redirect(`/borgerservice/personer/${id}?udfoert=${done}`, 303);
  }

  web.post(
    '/borgerservice/personer/:id/fritagelse',
    {
      preHandler: caseworkerOnly,
      config: notesChecked,
      schema: {
        ...hide,
        params: PersonParams,
        body: Type.Object({ ground: text(40), note: text(10_000), paper: text(8), _csrf: text(200) }),
      },
    },
    async (request, reply) => {
      const { ground, note, paper } = request.body;
      const values = { ground, note, paper: paper === '1' };
      return act(
        request,
        reply,
        request.params.id,
        () =>
          registerExemption(services, request.actor as CaseworkerActor, {
            recipientId: request.params.id,
            ground: ground ?? '',
            note,
            sendUnopenedAsPaper: values.paper,
          }),
        'exempted',
        (error) => ({ form: 'exempt', error, values }),
      );
    },
  );

  web.post(
    '/borgerservice/personer/:id/gentilmelding',
    {
      preHandler: caseworkerOnly,
      config: notesChecked,
      schema: { ...hide, params: PersonParams, body: Type.Object({ note: text(10_000), _csrf: text(200) }) },
    },
    async (request, reply) => {
      const { note } = request.body;
      return act(
        request,
        reply,
        request.params.id,
        () => reEnrol(services, request.actor as CaseworkerActor, { recipientId: request.params.id, note }),
        're_enrolled',
        (error) => ({ form: 'reenrol', error, values: { note } }),
      );
    },
  );

  web.post(
    '/borgerservice/personer/:id/lukning',
    {
      preHandler: caseworkerOnly,
      config: notesChecked,
      schema: {
        ...hide,
        params: PersonParams,
        body: Type.Object({ reason: text(20), note: text(10_000), confirm: text(8), _csrf: text(200) }),
      },
    },
    async (request, reply) => {
      const { reason, note, confirm } = request.body;
      const values = { reason, note, confirm: confirm === '1' };
      return act(
        request,
        reply,
        request.params.id,
        () =>
          closeMailbox(services, request.actor as CaseworkerActor, {
            recipientId: request.params.id,
            reason: reason ?? '',
            note,
            confirmed: values.confirm,
          }),
        'closed',
        (error) => ({ form: 'close', error, values }),
      );
    },
  );
}
