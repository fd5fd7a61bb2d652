import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { Problem } from '../../http/schemas.ts';
import type { Services } from '../../services.ts';
import { machineSecurity, requireScopes } from '../identity/index.ts';
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

/** The sender API for notifications: per-letter options and the sender's defaults. */
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
}
