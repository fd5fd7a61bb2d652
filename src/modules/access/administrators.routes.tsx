import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import { t } from '../../web/i18n.ts';
import { sendPage } from '../../web/layout.tsx';
import { csrfField, requireActor, verifyCsrf } from '../identity/index.ts';
import { listDelegationsTo } from './access.repository.ts';
import { formError, hide, IdParams, noStore, text } from './access.routes.tsx';
import type { FormError } from './access.views.tsx';
import { listAdministrators } from './administrators.repository.ts';
import { addAdministrator, removeAdministrator } from './administrators.ts';
import { AdministratorsView } from './administrators.views.tsx';
import type { CitizenActor } from './grant-access.ts';
import { mayManageAdministrators } from './mailbox.policy.ts';
import { currentMailbox } from './mailbox-access.ts';

const ADMINS_PATH = '/post/adgang/administratorer';

/** A business's administrators (issue 17): listing, naming and removing them, for its administrators only. */
export async function administratorRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const web = app.withTypeProvider<TypeBoxTypeProvider>();
  const citizenOnly = requireActor('citizen');

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { done?: 'added' | 'removed'; error?: FormError; values?: { cpr?: string; name?: string } } = {},
  ) {
    const actor = request.actor as CitizenActor;
    const mailbox = await currentMailbox(services, request);
    if (mailbox?.owner.kind !== 'business' || !mayManageAdministrators(actor, mailbox.access)) {
      throw new AppError(403, 'access_management_forbidden', "Only the business's administrators can see this page.");
    }
    const now = new Date();
    const [administrators, given] = await Promise.all([
      listAdministrators(services.db, mailbox.owner.id, now),
      listDelegationsTo(services.db, mailbox.owner.id, now),
    ]);
    const adminIds = new Set(administrators.map((a) => a.granteeId));
    const employees = given.filter((d) => d.level !== 'owner' && !adminIds.has(d.granteeId));
    return sendPage(request, noStore(reply), {
      title: t(request.lang, 'access.admins.link'),
      body: (
        <AdministratorsView
          lang={request.lang}
          csrf={csrfField(request)}
          current={mailbox}
          administrators={administrators}
          employees={employees}
          {...extra}
        />
      ),
    });
  }

  /**
   * Runs a use case; a form-worthy error shows the page again with it (true: the reply is sent), anything else goes
   * to the error page. (A boolean, not the reply: a FastifyReply is a thenable, which an async function would await.)
   */
  async function shownError(
    request: FastifyRequest,
    reply: FastifyReply,
    values: { cpr?: string; name?: string } | undefined,
    run: () => Promise<unknown>,
  ): Promise<boolean> {
    try {
      await run();
      return false;
    } catch (error) {
      const problem = formError(request, error);
      if (!problem || !(error instanceof AppError)) throw error;
      await render(request, reply.status(error.status), { error: problem, values });
      return true;
    }
  }

  web.get(
    ADMINS_PATH,
    { preHandler: citizenOnly, schema: { ...hide, querystring: Type.Object({ udfoert: text(20) }) } },
    async (request, reply) => {
      const done = (['added', 'removed'] as const).find((d) => d === request.query.udfoert);
      return render(request, reply, { done });
    },
  );

  // The new administrator's CPR number travels in the form body only.
  web.post(
    ADMINS_PATH,
    {
      preHandler: citizenOnly,
      config: { formTextFields: ['cpr', 'name'] },
      schema: {
        ...hide,
        body: Type.Object({
          mailbox: text(64),
          cpr: text(64),
          name: text(10_000),
          accessId: text(64),
          _csrf: text(200),
        }),
      },
    },
    async (request, reply) => {
      verifyCsrf(request);
      const { mailbox, cpr, name, accessId } = request.body;
      const shown = await shownError(request, reply, { cpr, name }, () =>
        addAdministrator(services, request.actor as CitizenActor, {
          mailboxId: mailbox ?? '',
          ...(accessId ? { accessId } : { cpr: cpr ?? '', name: name ?? '' }),
        }),
      );
      return shown ? reply : reply.redirect(`${ADMINS_PATH}?udfoert=added`, 303);
    },
  );

  web.post(
    `${ADMINS_PATH}/:id/fjern`,
    {
      preHandler: citizenOnly,
      schema: { ...hide, params: IdParams, body: Type.Object({ mailbox: text(64), _csrf: text(200) }) },
    },
    async (request, reply) => {
      verifyCsrf(request);
      let self = false;
      const shown = await shownError(request, reply, undefined, async () => {
        ({ self } = await removeAdministrator(services, request.actor as CitizenActor, {
          mailboxId: request.body.mailbox ?? '',
          accessId: request.params.id,
        }));
      });
      // Whoever removed themselves may no longer see the administrators: back to the access page.
      if (shown) return reply;
      return reply.redirect(self ? '/post/adgang?udfoert=revoked' : `${ADMINS_PATH}?udfoert=removed`, 303);
    },
  );
}
