import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { Problem } from '../../http/schemas.ts';
import type { Services } from '../../services.ts';
import { machineSecurity, requireScopes } from '../identity/index.ts';
import { listEscalationPlans } from './escalation.repository.ts';
import { EscalationInput, EscalationStepInput } from './escalation-plan.ts';
import { deleteEscalationPlan, putEscalationPlan, setLetterEscalation } from './escalation-plans.ts';
import {
  getSenderNotificationDefaults,
  setMessageNotificationOptions,
  setSenderNotificationDefaults,
} from './notification-options.ts';

const Days = Type.Integer({ minimum: 1, maximum: 365 });
const errors = { 400: Problem, 401: Problem, 404: Problem, 422: Problem };

const MessageOptions = Type.Object(
  {
    labelInNotification: Type.Optional(
      Type.Union([Type.Boolean(), Type.Null()], {
        description: 'The label reveals nothing sensitive and may appear in the notification; null: your default',
      }),
    ),
    urgent: Type.Optional(Type.Boolean({ description: 'SMS notifications also between 21:00 and 08:00' })),
    remindAfterDays: Type.Optional(Type.Union([Days, Type.Null()], { description: 'Remind if unread after N days' })),
    printIfUnreadAfterDays: Type.Optional(
      Type.Union([Days, Type.Null()], { description: 'Send as paper (remote print) if unread after M days' }),
    ),
  },
  { additionalProperties: false },
);

const Defaults = Type.Object(
  {
    labelInNotification: Type.Boolean(),
    remindAfterDays: Type.Union([Days, Type.Null()]),
    printIfUnreadAfterDays: Type.Union([Days, Type.Null()]),
  },
  { additionalProperties: false },
);

const EscalationPlan = Type.Object({
  name: Type.String(),
  steps: Type.Array(EscalationStepInput),
  default: Type.Boolean({ description: 'The plan of every letter that names none' }),
});

/** The sender API for notifications: per-letter options, escalation plans and the sender's defaults. */
export async function notifyApiRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.put(
    '/api/v1/messages/:id/notification',
    {
      onRequest: requireScopes(services, 'messages:send'),
      schema: {
        tags: ['notifications'],
        summary: 'Notification options of a letter',
        description:
          'Whether the label may appear in the e-mail/SMS notification (default: never — only your name and ' +
          '"new Digital Post"), urgency (SMS also in quiet hours), a reminder if unread after N days and ' +
          'print-if-unread after M days. Everything stops the moment the letter is read. Set it right after sending.',
        security: machineSecurity('messages:send'),
        params: Type.Object({ id: Type.String() }),
        body: MessageOptions,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await setMessageNotificationOptions(services.db, request.apiCaller!, request.params.id, request.body);
      return reply.status(204).send(null);
    },
  );
  api.get(
    '/api/v1/notification-defaults',
    {
      onRequest: requireScopes(services, 'messages:read'),
      schema: {
        tags: ['notifications'],
        summary: 'Your notification defaults',
        security: machineSecurity('messages:read'),
        response: { 200: Defaults, ...errors },
      },
    },
    async (request) => getSenderNotificationDefaults(services.db, request.apiCaller!.senderId),
  );
  api.put(
    '/api/v1/notification-defaults',
    {
      onRequest: requireScopes(services, 'messages:send'),
      schema: {
        tags: ['notifications'],
        summary: 'Set your notification defaults',
        description: 'Apply to letters that become available from now on, unless a letter sets its own options.',
        security: machineSecurity('messages:send'),
        body: Defaults,
        response: { 200: Defaults, ...errors },
      },
    },
    async (request) => {
      const caller = request.apiCaller!;
      await setSenderNotificationDefaults(services.db, caller, caller.senderId, request.body);
      return getSenderNotificationDefaults(services.db, caller.senderId);
    },
  );
  api.get(
    '/api/v1/escalation-plans',
    {
      onRequest: requireScopes(services, 'messages:read'),
      schema: {
        tags: ['notifications'],
        summary: 'Your escalation plans',
        security: machineSecurity('messages:read'),
        response: { 200: Type.Object({ items: Type.Array(EscalationPlan) }), ...errors },
      },
    },
    async (request) => ({
      items: (await listEscalationPlans(services.db, request.apiCaller!.senderId)).map((p) => ({
        name: p.name,
        steps: p.steps,
        default: p.is_default,
      })),
    }),
  );
  api.put(
    '/api/v1/escalation-plans/:name',
    {
      onRequest: requireScopes(services, 'messages:send'),
      schema: {
        tags: ['notifications'],
        summary: 'Create or replace a named escalation plan',
        description:
          'An ordered list of steps, each `afterDays` days after the letter became available: `remind` (by ' +
          '`channels` email and/or sms), `print_if_unread` (remote print), `notify_sender` (event ' +
          'UNREAD_AFTER_DEADLINE in your feed and webhooks). Every step stops the moment the letter is read. ' +
          'Letters name it as `escalation: { plan: "<name>" }`; `default: true` makes it the plan of letters that ' +
          'name none. Letters already sent keep the steps they were sent with.',
        security: machineSecurity('messages:send'),
        params: Type.Object({ name: Type.String({ maxLength: 100 }) }),
        body: Type.Object(
          { steps: Type.Array(EscalationStepInput), default: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
        response: { 200: EscalationPlan, ...errors },
      },
    },
    async (request) => putEscalationPlan(services.db, request.apiCaller!, request.params.name, request.body),
  );
  api.delete(
    '/api/v1/escalation-plans/:name',
    {
      onRequest: requireScopes(services, 'messages:send'),
      schema: {
        tags: ['notifications'],
        summary: 'Delete a named escalation plan',
        security: machineSecurity('messages:send'),
        params: Type.Object({ name: Type.String({ maxLength: 100 }) }),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await deleteEscalationPlan(services.db, request.apiCaller!, request.params.name);
      return reply.status(204).send(null);
    },
  );
  api.put(
    '/api/v1/messages/:id/escalation',
    {
      onRequest: requireScopes(services, 'messages:send'),
      schema: {
        tags: ['notifications'],
        summary: 'Set or replace the escalation plan of a letter',
        description:
          'The same `escalation` as in the send body: `{ "plan": "<name>" }` or `{ "steps": [...] }` (`[]`: none). ' +
          'On a letter already in the mailbox the plan starts over from when it became available.',
        security: machineSecurity('messages:send'),
        params: Type.Object({ id: Type.String() }),
        body: EscalationInput,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await setLetterEscalation(services.db, request.apiCaller!, request.params.id, request.body);
      return reply.status(204).send(null);
    },
  );
}
