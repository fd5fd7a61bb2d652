import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import { FormTextError, formTextMessage } from '../../web/form-text.ts';
import { t } from '../../web/i18n.ts';
import { sendPage } from '../../web/layout.tsx';
import { latestAuditCheckpoint } from '../audit/index.ts';
import { csrfField, requireActor, verifyCsrf } from '../identity/index.ts';
import { getStatus } from './get-status.ts';
import {
  type ManageDone,
  type ManageFailure,
  type ManageForm,
  ManagePageView,
  manageDone,
  statusErrorMessage,
} from './manage.views.tsx';
import { createIncident, postIncidentUpdate } from './manage-incidents.ts';
import { cancelMaintenance, scheduleMaintenance } from './manage-maintenance.ts';
import type { StatusChecker } from './run-status-checks.ts';
import { canManageStatus } from './status.policy.ts';
import { findIncident, listIncidents, listMaintenance } from './status.repository.ts';
import { isUuid } from './status-input.ts';
import { IncidentPageView, StatusPageView } from './status-page.views.tsx';

const hide = { hide: true };
const text = (maxLength: number) => Type.Optional(Type.String({ maxLength }));
const Components = Type.Optional(
  Type.Union([Type.String({ maxLength: 40 }), Type.Array(Type.String({ maxLength: 40 }), { maxItems: 20 })]),
);
const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

/** Logged out: the login (GET) or 401; logged in as anyone but an operator: 403 — decided by canManageStatus. */
const login = requireActor();
const operatorOnly: preHandlerAsyncHookHandler = async function (request, reply) {
  await login.call(this, request, reply);
  if (reply.sent) return;
  if (!canManageStatus(request.actor)) {
    throw new AppError(403, 'forbidden', 'Only operators can change the status page.');
  }
};

/** The public status page (/drift, /drift/haendelser/:id) and the operators' pages (/drift/styring). */
export function registerStatusPages(app: FastifyInstance, services: Services, checker: StatusChecker) {
  const web = app.withTypeProvider<TypeBoxTypeProvider>();

  web.get('/drift', { schema: hide }, async (request, reply) => {
    const [view, checkpoint] = await Promise.all([
      getStatus(services, checker, new Date(), (work) => request.reads.lagTolerant(work)),
      latestAuditCheckpoint(services.db).catch(() => null),
    ]);
    return sendPage(request, reply.header('cache-control', 'no-cache'), {
      title: t(request.lang, 'status.title'),
      body: (
        <StatusPageView
          lang={request.lang}
          view={view}
          operator={canManageStatus(request.actor)}
          checkpoint={checkpoint}
        />
      ),
    });
  });

  web.get('/drift/haendelser/:id', { schema: { ...hide, params: IdParams } }, async (request, reply) => {
    const id = request.params.id;
    const incident = isUuid(id) ? await request.reads.lagTolerant((db) => findIncident(db, id)) : null;
    if (!incident) throw new AppError(404, 'not_found', 'There is no such incident.');
    return sendPage(request, reply, {
      title: incident.title,
      body: <IncidentPageView lang={request.lang} incident={incident} />,
    });
  });

  async function renderManage(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { done?: ManageDone; failure?: ManageFailure } = {},
  ) {
    const now = new Date();
    const [incidents, maintenance] = await Promise.all([
      listIncidents(services.db, now),
      listMaintenance(services.db, now),
    ]);
    return sendPage(request, reply.header('cache-control', 'private, no-store'), {
      title: t(request.lang, 'status.manage.title'),
      body: (
        <ManagePageView
          lang={request.lang}
          csrf={csrfField(request)}
          open={incidents.filter((i) => i.resolvedAt === null)}
          maintenance={maintenance}
          now={now}
          {...extra}
        />
      ),
    });
  }

  /**
   * Runs a form's use case; a mistake in the input shows the form again with the message, changing nothing. The
   * forms' texts are checked by the use cases (`config.formTextFields`), so NUL and the like get the form too.
   */
  async function handle(
    request: FastifyRequest,
    reply: FastifyReply,
    form: { form: ManageForm; incidentId?: string },
    action: () => Promise<ManageDone>,
  ) {
    verifyCsrf(request);
    let done: ManageDone;
    try {
      done = await action();
    } catch (error) {
      if (!(error instanceof AppError) || (error.status !== 400 && error.status !== 409)) throw error;
      const { _csrf, ...values } = (request.body ?? {}) as Record<string, string | string[] | undefined>;
      const failure: ManageFailure = {
        ...form,
        code: error.code,
        field: error.field,
        message:
          error instanceof FormTextError
            ? formTextMessage(request.lang, error)
            : statusErrorMessage(request.lang, error.code, error.message),
        values,
      };
      return renderManage(request, reply.status(error.status), { failure });
    }
    return reply.redirect(`/drift/styring?udfoert=${done}`, 303);
  }

  web.get(
    '/drift/styring',
    { preHandler: operatorOnly, schema: { ...hide, querystring: Type.Object({ udfoert: text(40) }) } },
    async (request, reply) => {
      const done = manageDone.find((d) => d === request.query.udfoert);
      return renderManage(request, reply, { done });
    },
  );

  web.post(
    '/drift/styring/haendelser',
    {
      preHandler: operatorOnly,
      config: { formTextFields: ['title', 'message'] },
      schema: {
        ...hide,
        body: Type.Object({
          _csrf: text(200),
          title: text(10_000),
          severity: text(20),
          components: Components,
          message: text(100_000),
        }),
      },
    },
    async (request, reply) =>
      handle(request, reply, { form: 'incident' }, async () => {
        await createIncident(services, request.actor, request.body);
        return 'incident_created';
      }),
  );

  web.post(
    '/drift/styring/haendelser/:id/opdateringer',
    {
      preHandler: operatorOnly,
      config: { formTextFields: ['message'] },
      schema: {
        ...hide,
        params: IdParams,
        body: Type.Object({ _csrf: text(200), state: text(20), message: text(100_000) }),
      },
    },
    async (request, reply) =>
      handle(request, reply, { form: 'update', incidentId: request.params.id }, async () => {
        const { resolved } = await postIncidentUpdate(services, request.actor, request.params.id, request.body);
        return resolved ? 'incident_resolved' : 'incident_updated';
      }),
  );

  web.post(
    '/drift/styring/vedligeholdelse',
    {
      preHandler: operatorOnly,
      config: { formTextFields: ['title', 'description'] },
      schema: {
        ...hide,
        body: Type.Object({
          _csrf: text(200),
          title: text(10_000),
          description: text(100_000),
          components: Components,
          startsAt: text(40),
          endsAt: text(40),
        }),
      },
    },
    async (request, reply) =>
      handle(request, reply, { form: 'maintenance' }, async () => {
        await scheduleMaintenance(services, request.actor, request.body);
        return 'maintenance_scheduled';
      }),
  );

  web.post(
    '/drift/styring/vedligeholdelse/:id/aflys',
    { preHandler: operatorOnly, schema: { ...hide, params: IdParams, body: Type.Object({ _csrf: text(200) }) } },
    async (request, reply) =>
      handle(request, reply, { form: 'maintenance' }, async () => {
        await cancelMaintenance(services, request.actor, request.params.id);
        return 'maintenance_cancelled';
      }),
  );
}
