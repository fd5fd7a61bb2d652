import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError, notFound } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import { FormTextError, formTextKey } from '../../web/form-text.ts';
import { type MessageKey, t } from '../../web/i18n.ts';
import { sendPage } from '../../web/layout.tsx';
import { findScopableGrant, mayScopeGrantToFolders, scopeGrant } from '../access/index.ts';
import { type MailboxPages, noStore } from './mailbox-pages.tsx';
import { addRule, listMailboxFolders, moveRule, removeRule, rulesPage } from './rules.ts';
import { GrantFoldersView, RulesView } from './rules.views.tsx';

const RULE_ERRORS = [
  'rule_condition_missing',
  'rule_folder_missing',
  'rule_sender_unknown',
  'too_many_rules',
  'invalid_folder',
];
const ruleErrorKey = (e: AppError): MessageKey =>
  e instanceof FormTextError
    ? formTextKey(e)
    : RULE_ERRORS.includes(e.code)
      ? (`rules.error.${e.code}` as MessageKey)
      : 'rules.error.generic';

/**
 * The routing-rules page (/post/regler: list, add, delete, reorder; owner or administrator, policy 'manage_rules')
 * and the folder-access page of a business employee's grant (/post/adgang/:id/mapper; the administrator). Both
 * live in the mailbox module because they list the mailbox's folders; the decisions are the access module's.
 */
export async function ruleRoutes(
  _app: FastifyInstance,
  { services, pages }: { services: Services; pages: MailboxPages },
) {
  const { web, hide, citizen, citizenForm, mailboxContext, navFor, csrfField } = pages;
  const { db } = services;

  async function showRules(request: FastifyRequest, reply: FastifyReply, error: AppError | null, notice = false) {
    const ctx = await mailboxContext(request);
    const data = await rulesPage(db, request.actor, ctx.mailbox.access);
    return sendPage(request, noStore(reply).status(error?.status ?? 200), {
      title: t(request.lang, 'rules.title'),
      body: (
        <RulesView
          lang={request.lang}
          nav={await navFor(request, ctx, null)}
          csrfField={csrfField(request) as string}
          {...data}
          notice={notice}
          error={error ? ruleErrorKey(error) : null}
        />
      ),
    });
  }

  async function change(
    request: FastifyRequest,
    reply: FastifyReply,
    run: (ctx: Awaited<ReturnType<typeof mailboxContext>>) => Promise<unknown>,
  ) {
    const ctx = await mailboxContext(request);
    try {
      await run(ctx);
    } catch (e) {
      if (!(e instanceof AppError) || e.status === 403 || e.status === 404) throw e;
      return showRules(request, reply, e);
    }
    return reply.redirect('/post/regler?ok=1', 303);
  }

  web.get(
    '/post/regler',
    {
      preHandler: citizen,
      schema: { ...hide, querystring: Type.Object({ ok: Type.Optional(Type.String({ maxLength: 8 })) }) },
    },
    async (request, reply) => showRules(request, reply, null, request.query.ok === '1'),
  );

  web.post(
    '/post/regler',
    {
      preHandler: citizenForm,
      config: { formTextFields: ['words', 'reference'] },
      schema: {
        ...hide,
        body: Type.Object({
          _csrf: Type.Optional(Type.String()),
          sender: Type.Optional(Type.String({ maxLength: 64 })),
          words: Type.Optional(Type.String({ maxLength: 10_000 })),
          reference: Type.Optional(Type.String({ maxLength: 10_000 })),
          folder: Type.Optional(Type.String({ maxLength: 64 })),
          notify: Type.Optional(Type.String({ maxLength: 8 })),
        }),
      },
    },
    async (request, reply) =>
      change(request, reply, (ctx) =>
        addRule(db, request.actor, ctx.mailbox.access, {
          senderId: request.body.sender,
          subjectWords: request.body.words,
          senderReference: request.body.reference,
          folderId: request.body.folder,
          notify: request.body.notify === '1',
        }),
      ),
  );

  const ruleParams = {
    params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
    body: Type.Object({ _csrf: Type.Optional(Type.String()) }),
  };
  web.post(
    '/post/regler/:id/op',
    { preHandler: citizenForm, schema: { ...hide, ...ruleParams } },
    async (request, reply) =>
      change(request, reply, (ctx) => moveRule(db, request.actor, ctx.mailbox.access, request.params.id, 'up')),
  );
  web.post(
    '/post/regler/:id/ned',
    { preHandler: citizenForm, schema: { ...hide, ...ruleParams } },
    async (request, reply) =>
      change(request, reply, (ctx) => moveRule(db, request.actor, ctx.mailbox.access, request.params.id, 'down')),
  );
  web.post(
    '/post/regler/:id/slet',
    { preHandler: citizenForm, schema: { ...hide, ...ruleParams } },
    async (request, reply) =>
      change(request, reply, (ctx) => removeRule(db, request.actor, ctx.mailbox.access, request.params.id)),
  );

  async function showGrantFolders(
    request: FastifyRequest,
    reply: FastifyReply,
    grantId: string,
    error: AppError | null,
  ) {
    const ctx = await mailboxContext(request);
    if (!mayScopeGrantToFolders(request.actor, ctx.mailbox.access, ctx.mailbox.owner.kind)) throw notFound('access');
    const grant = await findScopableGrant(db, ctx.mailbox.owner.id, grantId);
    if (!grant) throw notFound('access');
    const folders = await listMailboxFolders(db, ctx.mailbox.owner.id);
    return sendPage(request, noStore(reply).status(error?.status ?? 200), {
      title: t(request.lang, 'grantFolders.title'),
      body: (
        <GrantFoldersView
          lang={request.lang}
          nav={await navFor(request, ctx, null)}
          csrfField={csrfField(request) as string}
          grantId={grant.id}
          granteeName={grant.granteeName}
          folders={folders}
          chosen={grant.folderIds}
          error={error ? ruleErrorKey(error) : null}
        />
      ),
    });
  }

  const grantParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
  web.get(
    '/post/adgang/:id/mapper',
    { preHandler: citizen, schema: { ...hide, params: grantParams } },
    async (request, reply) => showGrantFolders(request, reply, request.params.id, null),
  );
  web.post(
    '/post/adgang/:id/mapper',
    {
      preHandler: citizenForm,
      schema: {
        ...hide,
        params: grantParams,
        body: Type.Object({
          _csrf: Type.Optional(Type.String()),
          omfang: Type.Optional(Type.String({ maxLength: 16 })),
          mappe: Type.Optional(
            Type.Union([Type.String({ maxLength: 64 }), Type.Array(Type.String({ maxLength: 64 }), { maxItems: 100 })]),
          ),
        }),
      },
    },
    async (request, reply) => {
      const ctx = await mailboxContext(request);
      const chosen = request.body.mappe === undefined ? [] : [request.body.mappe].flat();
      const folders = await listMailboxFolders(db, ctx.mailbox.owner.id);
      try {
        await scopeGrant(db, request.actor, {
          mailboxId: ctx.mailbox.owner.id,
          grantId: request.params.id,
          folderIds: request.body.omfang === 'mapper' ? chosen : null,
          mailboxFolderIds: folders.map((f) => f.id),
        });
      } catch (e) {
        if (!(e instanceof AppError) || e.code !== 'invalid_folder') throw e;
        return showGrantFolders(request, reply, request.params.id, e);
      }
      return reply.redirect('/post/adgang?udfoert=scoped', 303);
    },
  );
}
