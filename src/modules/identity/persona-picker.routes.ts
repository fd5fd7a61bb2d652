import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Interaction, Provider } from 'oidc-provider';
import { Type } from 'typebox';
import type { Db } from '../../db/database.ts';
import { AppError } from '../../http/problem.ts';
import { PICKER_PATH } from './built-in-provider.ts';
import { autoLogoutScript, PersonaPickerPage, PICKER_ASSETS } from './built-in-provider.views.tsx';
import { LOGIN_SCOPE } from './claims.ts';
import { findStaffUserBySubject } from './identity.repository.ts';
import { ENTRY_PARAM, type PersonaRole, personasFor } from './personas.ts';

/** The entries whose people are staff: their picker also takes a registered staff member's login id. */
const STAFF_ENTRIES = new Set<string>(['caseworker', 'sender_staff', 'operator'] satisfies PersonaRole[]);
const offersStaffLogin = (entry: unknown) => typeof entry !== 'string' || STAFF_ENTRIES.has(entry);

const Params = Type.Object({ uid: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) });

/**
 * The built-in provider's login screen: pick a demo persona. The interaction is bound to the provider's
 * path-scoped, SameSite=Lax interaction cookie, so a form posted from another site cannot complete it.
 */
export function registerPersonaPicker(app: FastifyInstance, provider: Provider, db: Db): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  async function interaction(request: FastifyRequest, reply: FastifyReply, uid: string): Promise<Interaction> {
    const details = await provider.interactionDetails(request.raw, reply.raw).catch(() => null);
    if (!details || details.uid !== uid) {
      throw new AppError(400, 'login_expired', 'This login has expired. Go back to Kuvert and log in again.');
    }
    return details;
  }

  async function finish(request: FastifyRequest, reply: FastifyReply, result: Record<string, unknown>) {
    const returnTo = await provider.interactionResult(request.raw, reply.raw, result, {
      mergeWithLastSubmission: false,
    });
    return reply.redirect(returnTo, 303);
  }

  async function pickerPage(request: FastifyRequest, details: Interaction, staffError: string | null = null) {
    const entry = details.params[ENTRY_PARAM];
    const html = await PersonaPickerPage({
      action: `${PICKER_PATH}/${details.uid}`,
      personas: personasFor(typeof entry === 'string' ? entry : null),
      filtered: typeof entry === 'string',
      lang: request.lang,
      staffLogin: offersStaffLogin(entry),
      staffError,
    });
    return `<!doctype html>${html}`;
  }

  api.get(`${PICKER_ASSETS}/auto-logout.js`, { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(autoLogoutScript),
  );

  api.get(`${PICKER_PATH}/:uid`, { schema: { hide: true, params: Params } }, async (request, reply) => {
    const details = await interaction(request, reply, request.params.uid);
    reply.header('cache-control', 'no-store');
    if (details.prompt.name === 'consent') {
      // Kuvert is the only, first-party client; normally loadExistingGrant grants it without asking.
      const accountId = details.session?.accountId;
      const clientId = details.params.client_id;
      if (!accountId || typeof clientId !== 'string') throw new AppError(400, 'login_expired', 'Log in again.');
      const grant = new provider.Grant({ accountId, clientId });
      grant.addOIDCScope(LOGIN_SCOPE);
      return finish(request, reply, { consent: { grantId: await grant.save() } });
    }
    return reply.type('text/html; charset=utf-8').send(await pickerPage(request, details));
  });

  api.post(
    `${PICKER_PATH}/:uid`,
    {
      schema: {
        hide: true,
        params: Params,
        body: Type.Object({
          persona: Type.Optional(Type.String()),
          subject: Type.Optional(Type.String({ maxLength: 255 })),
          cancel: Type.Optional(Type.String()),
        }),
      },
    },
    async (request, reply) => {
      const details = await interaction(request, reply, request.params.uid);
      if (request.body.cancel) {
        return finish(request, reply, { error: 'access_denied', error_description: 'The login was cancelled.' });
      }
      const entry = details.params[ENTRY_PARAM];
      const subject = request.body.subject?.trim();
      if (subject !== undefined && request.body.persona === undefined) {
        // A registered staff member by login id, on a staff entry only (a citizen's entry stays citizens').
        const staff = offersStaffLogin(entry) && subject !== '' ? await findStaffUserBySubject(db, subject) : undefined;
        if (!staff) {
          const refused =
            request.lang === 'da'
              ? 'Der er ingen medarbejder med det login-id. Tjek det, eller vælg en af personerne ovenfor.'
              : 'There is no staff member with that login id. Check it, or choose one of the people above.';
          reply.header('cache-control', 'no-store').code(400);
          return reply.type('text/html; charset=utf-8').send(await pickerPage(request, details, refused));
        }
        return finish(request, reply, { login: { accountId: subject } });
      }
      // Only a persona the page offered: a citizen's entry cannot log in a caseworker (who would land on a 403).
      const offered = personasFor(typeof entry === 'string' ? entry : null);
      const persona = offered.find((p) => p.subject === request.body.persona);
      if (!persona) throw new AppError(400, 'unknown_persona', 'Choose one of the people on the list.', 'persona');
      return finish(request, reply, { login: { accountId: persona.subject } });
    },
  );
}
