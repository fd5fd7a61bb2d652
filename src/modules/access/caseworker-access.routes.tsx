import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../http/problem.ts';
import { birthDateFromCpr } from '../../kernel/identifiers.ts';
import type { Services } from '../../services.ts';
import { t } from '../../web/i18n.ts';
import { sendPage } from '../../web/layout.tsx';
import { csrfField, requireActor, verifyCsrf } from '../identity/index.ts';
import type { CaseworkerActor } from '../registry/index.ts';
import { ageOn } from '../registry/index.ts';
import { mayManageDelegations } from './access.policy.ts';
import { startOfDayInCopenhagen } from './access.repository.ts';
import { formError, hide, IdParams, noStore, PersonAccessParams, text } from './access.routes.tsx';
import type { FormError } from './access.views.tsx';
import { CaseworkerAccessView, type DelegationFormValues } from './caseworker-access.views.tsx';
import { ConfirmDelegationView } from './caseworker-confirm.views.tsx';
import { eighteenthBirthday, prepareDelegation, registerDelegation, viewPersonAccess } from './register-delegation.ts';
import { revokeDelegationAsCaseworker } from './revoke-delegation.ts';

/** Citizen service: a person's access page, registering and ending a power of attorney or a parent's access. */
export async function caseworkerAccessRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const web = app.withTypeProvider<TypeBoxTypeProvider>();
  const caseworkerOnly = requireActor('caseworker');

  async function renderPersonAccess(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    extra: {
      done?: 'registered' | 'revoked';
      failed?: { form: 'power_of_attorney' | 'parent' | 'revoke'; error: FormError; values: DelegationFormValues };
      /** Back from the confirmation step: the form filled in again, no error. */
      values?: { form: 'power_of_attorney' | 'parent'; values: DelegationFormValues };
    } = {},
  ) {
    const actor = request.actor as CaseworkerActor;
    const now = new Date();
    const { person, delegations } = await viewPersonAccess(services, actor, id, now);
    const birthDate = person.birthDate ?? (person.cpr ? birthDateFromCpr(person.cpr) : null);
    const age = ageOn(birthDate, now);
    const minor = birthDate && age !== null && age >= 15 && age <= 17;
    return sendPage(request, noStore(reply), {
      title: t(request.lang, 'access.caseworker.title'),
      body: (
        <CaseworkerAccessView
          lang={request.lang}
          csrf={csrfField(request)}
          person={{ id: person.id, name: person.name }}
          delegations={delegations.map((delegation) => ({
            delegation,
            revocable: mayManageDelegations(actor, person, delegation),
          }))}
          eighteenthBirthday={minor ? await startOfDayInCopenhagen(services.db, eighteenthBirthday(birthDate)) : null}
          {...extra}
        />
      ),
    });
  }

  web.get(
    '/borgerservice/personer/:id/adgang',
    {
      preHandler: caseworkerOnly,
      schema: { ...hide, params: IdParams, querystring: Type.Object({ udfoert: text(20) }) },
    },
    async (request, reply) => {
      const done = (['registered', 'revoked'] as const).find((d) => d === request.query.udfoert);
      return renderPersonAccess(request, reply, request.params.id, { done });
    },
  );

  const DelegationBody = {
    kind: text(40),
    cpr: text(64),
    name: text(10_000),
    level: text(20),
    documentReference: text(10_000),
    endDate: text(20),
    _csrf: text(200),
  };
  type DelegationBody = {
    kind?: string;
    cpr?: string;
    name?: string;
    level?: string;
    documentReference?: string;
    endDate?: string;
  };
  const delegationOptions = (id: string, body: DelegationBody) => ({
    recipientId: id,
    kind: body.kind ?? '',
    cpr: body.cpr ?? '',
    name: body.name ?? '',
    level: body.level ?? '',
    documentReference: body.documentReference,
    endDate: body.endDate,
  });

  /** The form again with what was typed and the error in its summary and by its field (nothing was written). */
  async function renderDelegationError(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    body: DelegationBody,
    error: unknown,
  ) {
    const problem = formError(request, error);
    if (!problem || !(error instanceof AppError)) throw error;
    const { cpr, name, level, documentReference, endDate } = body;
    return renderPersonAccess(request, reply.status(error.status), id, {
      failed: {
        form: body.kind === 'parent' ? 'parent' : 'power_of_attorney',
        error: problem,
        values: { cpr, name, level, documentReference, endDate },
      },
    });
  }

  // Step 1: checked (names against the CPR register) and shown for confirmation; nothing is written.
  web.post(
    '/borgerservice/personer/:id/adgang',
    {
      preHandler: caseworkerOnly,
      config: { formTextFields: ['cpr', 'name', 'documentReference', 'endDate'] },
      schema: { ...hide, params: IdParams, body: Type.Object(DelegationBody) },
    },
    async (request, reply) => {
      verifyCsrf(request);
      const id = request.params.id;
      let plan: Awaited<ReturnType<typeof prepareDelegation>>;
      try {
        plan = await prepareDelegation(services, request.actor as CaseworkerActor, delegationOptions(id, request.body));
      } catch (error) {
        return renderDelegationError(request, reply, id, request.body, error);
      }
      const { kind, cpr, name, level, documentReference, endDate } = request.body;
      return sendPage(request, noStore(reply), {
        title: t(request.lang, 'access.caseworker.confirm.title'),
        body: (
          <ConfirmDelegationView
            lang={request.lang}
            csrf={csrfField(request)}
            plan={plan}
            values={{ kind: kind ?? '', cpr, name, level, documentReference, endDate }}
          />
        ),
      });
    },
  );

  // Step 2: "Bekræft" writes what was confirmed (checked again, and refused if it is not what the page showed);
  // "Tilbage" shows the form again, filled in.
  web.post(
    '/borgerservice/personer/:id/adgang/bekraeft',
    {
      preHandler: caseworkerOnly,
      config: { formTextFields: ['cpr', 'name', 'documentReference', 'endDate'] },
      schema: {
        ...hide,
        params: IdParams,
        body: Type.Object({ ...DelegationBody, confirmation: text(200), step: text(20) }),
      },
    },
    async (request, reply) => {
      verifyCsrf(request);
      const id = request.params.id;
      const body = request.body;
      if (body.step !== 'confirm') {
        return renderPersonAccess(request, reply, id, {
          values: {
            form: body.kind === 'parent' ? 'parent' : 'power_of_attorney',
            values: {
              cpr: body.cpr,
              name: body.name,
              level: body.level,
              documentReference: body.documentReference,
              endDate: body.endDate,
            },
          },
        });
      }
      try {
        await registerDelegation(services, request.actor as CaseworkerActor, {
          ...delegationOptions(id, body),
          confirmation: body.confirmation ?? '',
        });
      } catch (error) {
        return renderDelegationError(request, reply, id, body, error);
      }
      return reply.redirect(`/borgerservice/personer/${id}/adgang?udfoert=registered`, 303);
    },
  );

  web.post(
    '/borgerservice/personer/:id/adgang/:accessId/ophaev',
    {
      preHandler: caseworkerOnly,
      schema: { ...hide, params: PersonAccessParams, body: Type.Object({ _csrf: text(200) }) },
    },
    async (request, reply) => {
      verifyCsrf(request);
      const { id, accessId } = request.params;
      try {
        await revokeDelegationAsCaseworker(services, request.actor as CaseworkerActor, { recipientId: id, accessId });
      } catch (error) {
        const problem = formError(request, error);
        if (!problem || !(error instanceof AppError)) throw error;
        return renderPersonAccess(request, reply.status(error.status), id, {
          failed: { form: 'revoke', error: problem, values: {} },
        });
      }
      return reply.redirect(`/borgerservice/personer/${id}/adgang?udfoert=revoked`, 303);
    },
  );
}
