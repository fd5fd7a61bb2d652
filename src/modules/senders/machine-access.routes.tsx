import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { errorText } from '../../http/errors.ts';
import { AppError } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import { isoDate, t } from '../../web/i18n.ts';
import { sendPage } from '../../web/layout.tsx';
import {
  csrfField,
  giveOnBehalf,
  MAX_AUTHORISATION_DAYS,
  onBehalfPage,
  registerSenderSystem,
  replaceSenderSystemKeys,
  requireActor,
  revokeSenderSystem,
  senderSystems,
  verifyCsrf,
  withdrawOnBehalf,
} from '../identity/index.ts';
import { type OnBehalfNotice, OnBehalfView } from './on-behalf-page.views.tsx';
import { scopesOf } from './scope-fieldset.tsx';
import { SystemsView } from './systems-page.views.tsx';

const Id = Type.Object({ id: Type.String({ maxLength: 64 }) });
const Scopes = Type.Optional(Type.Union([Type.String(), Type.Array(Type.String(), { maxItems: 20 })]));
const Csrf = Type.Optional(Type.String());

/** An AppError about one field of the form (a 400 with `field`): its text for that field, else null. */
function fieldError(request: FastifyRequest, error: unknown): Record<string, string> | null {
  if (!(error instanceof AppError) || error.status !== 400 || !error.field) return null;
  return { [error.field]: errorText(error.code, request.lang) ?? error.message };
}

/**
 * The sender administrators' machine-access pages (issue 17, item 7): /afsender/systemer (their systems: register
 * from a pasted JWKS, replace keys, revoke) and /afsender/paa-vegne-af (on-behalf authorisations given to vendors,
 * and those received). The use cases are identity's (sender-systems.ts); each decides through maySender, so other
 * staff get 403 and another sender's system or authorisation is 404. POST-redirect-GET with `?udfoert=`.
 */
export async function machineAccessRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const web = app.withTypeProvider<TypeBoxTypeProvider>();
  const staffOnly = requireActor('sender_staff');
  const noStore = (reply: FastifyReply) => reply.header('cache-control', 'private, no-store');

  const systems = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Partial<Parameters<typeof SystemsView>[0]> = {},
  ) =>
    sendPage(request, noStore(reply), {
      title: t(request.lang, 'machine.systems.title'),
      body: (
        <SystemsView
          lang={request.lang}
          csrf={csrfField(request)}
          systems={await senderSystems(services, request.actor)}
          {...extra}
        />
      ),
    });

  web.get(
    '/afsender/systemer',
    {
      preHandler: staffOnly,
      schema: {
        hide: true,
        querystring: Type.Object({ udfoert: Type.Optional(Type.String()), id: Type.Optional(Type.String()) }),
      },
    },
    (request, reply) => {
      const { udfoert, id } = request.query;
      const notice =
        udfoert === 'registreret' && id && /^[0-9a-f-]{36}$/i.test(id)
          ? { kind: 'registered' as const, id }
          : udfoert === 'udskiftet'
            ? { kind: 'replaced' as const }
            : udfoert === 'tilbagekaldt'
              ? { kind: 'revoked' as const }
              : undefined;
      return systems(request, reply, { notice });
    },
  );

  web.post(
    '/afsender/systemer',
    {
      preHandler: staffOnly,
      schema: {
        hide: true,
        body: Type.Object({
          name: Type.Optional(Type.String({ maxLength: 1000 })),
          jwks: Type.Optional(Type.String({ maxLength: 100_000 })),
          scopes: Scopes,
          test: Type.Optional(Type.String()),
          _csrf: Csrf,
        }),
      },
    },
    async (request, reply) => {
      verifyCsrf(request);
      const values = {
        name: request.body.name ?? '',
        jwks: request.body.jwks ?? '',
        scopes: scopesOf(request.body.scopes),
        test: request.body.test === '1',
      };
      try {
        const id = await registerSenderSystem(services, request.actor, values);
        return reply.redirect(`/afsender/systemer?udfoert=registreret&id=${id}`, 303);
      } catch (error) {
        const errors = fieldError(request, error);
        if (!errors) throw error;
        // A pasted private key is never sent back into the page (nor kept anywhere).
        const privateKey = error instanceof AppError && error.code === 'system_jwks_private';
        return systems(request, reply.status(400), { errors, values: privateKey ? { ...values, jwks: '' } : values });
      }
    },
  );

  web.post(
    '/afsender/systemer/:id/noegler',
    {
      preHandler: staffOnly,
      schema: {
        hide: true,
        params: Id,
        body: Type.Object({ jwks: Type.Optional(Type.String({ maxLength: 100_000 })), _csrf: Csrf }),
      },
    },
    async (request, reply) => {
      verifyCsrf(request);
      try {
        await replaceSenderSystemKeys(services, request.actor, request.params.id, request.body.jwks ?? '');
        return reply.redirect('/afsender/systemer?udfoert=udskiftet', 303);
      } catch (error) {
        const errors = fieldError(request, error);
        if (!errors) throw error;
        const message = Object.values(errors)[0] as string;
        return systems(request, reply.status(400), { replaceError: { id: request.params.id, message } });
      }
    },
  );

  web.post(
    '/afsender/systemer/:id/tilbagekald',
    { preHandler: staffOnly, schema: { hide: true, params: Id } },
    async (request, reply) => {
      verifyCsrf(request);
      await revokeSenderSystem(services, request.actor, request.params.id);
      return reply.redirect('/afsender/systemer?udfoert=tilbagekaldt', 303);
    },
  );

  const onBehalf = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { notice?: OnBehalfNotice | undefined; errors?: Record<string, string>; values?: object } = {},
  ) => {
    const page = await onBehalfPage(services, request.actor);
    const today = new Date();
    const dateRange = {
      min: isoDate(today).slice(0, 10),
      max: isoDate(new Date(today.getTime() + (MAX_AUTHORISATION_DAYS - 1) * 86_400_000)).slice(0, 10),
    };
    return sendPage(request, noStore(reply), {
      title: t(request.lang, 'machine.onBehalf.title'),
      body: <OnBehalfView lang={request.lang} csrf={csrfField(request)} {...page} dateRange={dateRange} {...extra} />,
    });
  };

  const onBehalfNotices: Record<string, OnBehalfNotice> = { givet: 'authorised', tilbagekaldt: 'withdrawn' };

  web.get(
    '/afsender/paa-vegne-af',
    {
      preHandler: staffOnly,
      schema: { hide: true, querystring: Type.Object({ udfoert: Type.Optional(Type.String()) }) },
    },
    (request, reply) => onBehalf(request, reply, { notice: onBehalfNotices[request.query.udfoert ?? ''] }),
  );

  web.post(
    '/afsender/paa-vegne-af',
    {
      preHandler: staffOnly,
      schema: {
        hide: true,
        body: Type.Object({
          vendorCvr: Type.Optional(Type.String({ maxLength: 100 })),
          scopes: Scopes,
          endsAt: Type.Optional(Type.String({ maxLength: 100 })),
          _csrf: Csrf,
        }),
      },
    },
    async (request, reply) => {
      verifyCsrf(request);
      const values = {
        vendorCvr: (request.body.vendorCvr ?? '').trim(),
        scopes: scopesOf(request.body.scopes),
        endsAt: request.body.endsAt ?? '',
      };
      try {
        await giveOnBehalf(services, request.actor, values);
        return reply.redirect('/afsender/paa-vegne-af?udfoert=givet', 303);
      } catch (error) {
        const errors = fieldError(request, error);
        if (!errors) throw error;
        return onBehalf(request, reply.status(400), { errors, values });
      }
    },
  );

  web.post(
    '/afsender/paa-vegne-af/:id/tilbagekald',
    { preHandler: staffOnly, schema: { hide: true, params: Id } },
    async (request, reply) => {
      verifyCsrf(request);
      await withdrawOnBehalf(services, request.actor, request.params.id);
      return reply.redirect('/afsender/paa-vegne-af?udfoert=tilbagekaldt', 303);
    },
  );
}
