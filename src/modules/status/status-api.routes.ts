import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Services } from '../../services.ts';
import { t } from '../../web/i18n.ts';
import { getStatus, type StatusView } from './get-status.ts';
import type { StatusChecker } from './run-status-checks.ts';

const State = Type.Union([Type.Literal('operational'), Type.Literal('degraded'), Type.Literal('down')]);
const Component = Type.Union([
  Type.Literal('sending_api'),
  Type.Literal('mailbox'),
  Type.Literal('login'),
  Type.Literal('email'),
  Type.Literal('sms'),
  Type.Literal('print'),
]);
const Names = Type.Object({ da: Type.String(), en: Type.String() });

const StatusResponse = Type.Object({
  status: State,
  checkedAt: Type.String({ format: 'date-time' }),
  components: Type.Array(
    Type.Object({
      id: Component,
      name: Names,
      status: State,
      maintenance: Type.Boolean({ description: 'A maintenance window is in progress.' }),
      reasons: Type.Array(
        Type.Object({ code: Type.String(), status: State, params: Type.Record(Type.String(), Type.Unknown()) }),
        { description: 'Why the live checks find the component degraded or down (empty when operational).' },
      ),
      incidentIds: Type.Array(Type.String({ format: 'uuid' })),
      uptimePercent: Type.Union([Type.Number(), Type.Null()], {
        description: 'Share of the minute-by-minute checks in the last 90 days that found it operational.',
      }),
      history: Type.Array(
        Type.Object({
          date: Type.String({ format: 'date', description: 'Copenhagen calendar day' }),
          status: Type.Union([State, Type.Literal('none')]),
          operationalMinutes: Type.Integer(),
          degradedMinutes: Type.Integer(),
          downMinutes: Type.Integer(),
          incident: Type.Boolean(),
        }),
        { description: 'The last 90 days, oldest first.' },
      ),
    }),
  ),
  incidents: Type.Array(
    Type.Object({
      id: Type.String({ format: 'uuid' }),
      title: Type.String(),
      severity: Type.Union([Type.Literal('minor'), Type.Literal('major')]),
      state: Type.Union([
        Type.Literal('investigating'),
        Type.Literal('identified'),
        Type.Literal('monitoring'),
        Type.Literal('resolved'),
      ]),
      components: Type.Array(Component),
      startedAt: Type.String({ format: 'date-time' }),
      resolvedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
      updates: Type.Array(
        Type.Object({ postedAt: Type.String({ format: 'date-time' }), state: Type.String(), body: Type.String() }),
      ),
    }),
    { description: 'Open incidents and those resolved in the last 14 days, newest first.' },
  ),
  maintenance: Type.Array(
    Type.Object({
      id: Type.String({ format: 'uuid' }),
      title: Type.String(),
      description: Type.String(),
      components: Type.Array(Component),
      startsAt: Type.String({ format: 'date-time' }),
      endsAt: Type.String({ format: 'date-time' }),
      inProgress: Type.Boolean(),
    }),
  ),
  recordsAvailable: Type.Boolean({
    description: 'false when incidents and history could not be read (the database does not answer).',
  }),
});

/** The status view as the API presents it. */
export function presentStatus(view: StatusView) {
  return {
    status: view.state,
    checkedAt: view.checkedAt.toISOString(),
    components: view.components.map((c) => ({
      id: c.id,
      name: { da: t('da', `status.component.${c.id}`), en: t('en', `status.component.${c.id}`) },
      status: c.state,
      maintenance: c.maintenance,
      // Technical details stay with the operators; the public gets the reason's code and figures.
      reasons: c.reasons.map((r) => ({ code: r.code, status: r.state, params: r.params })),
      incidentIds: c.incidentIds,
      uptimePercent: c.uptimePercent,
      history: c.history.map((d) => ({
        date: d.date,
        status: d.state,
        operationalMinutes: d.operational,
        degradedMinutes: d.degraded,
        downMinutes: d.down,
        incident: d.incident,
      })),
    })),
    incidents: view.incidents.map((i) => ({
      id: i.id,
      title: i.title,
      severity: i.severity,
      state: i.state,
      components: i.components,
      startedAt: i.startedAt.toISOString(),
      resolvedAt: i.resolvedAt?.toISOString() ?? null,
      updates: i.updates.map((u) => ({ postedAt: u.postedAt.toISOString(), state: u.state, body: u.body })),
    })),
    maintenance: view.maintenance.map((m) => ({
      id: m.id,
      title: m.title,
      description: m.description,
      components: m.components,
      startsAt: m.startsAt.toISOString(),
      endsAt: m.endsAt.toISOString(),
      inProgress: m.inProgress,
    })),
    recordsAvailable: view.recordsAvailable,
  };
}

/** GET /api/v1/status: public, no API key. */
export function registerStatusApi(app: FastifyInstance, services: Services, checker: StatusChecker) {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/api/v1/status',
    {
      schema: {
        tags: ['status'],
        summary: 'Operational status',
        description:
          'The live state of each part of Kuvert (sending API, mailbox, login, e-mail notifications, SMS, print) ' +
          'from checks of the database, the job queue, the notification transports, the print backlog and the ' +
          'login provider, raised by open incidents; planned maintenance; and 90 days of history. Public: no API ' +
          'key needed. Also shown as a page at /drift.',
        response: { 200: StatusResponse },
      },
    },
    async (request, reply) => {
      const view = await getStatus(services, checker, new Date(), (work) => request.reads.lagTolerant(work));
      return reply.header('cache-control', 'no-cache').send(presentStatus(view));
    },
  );
}
