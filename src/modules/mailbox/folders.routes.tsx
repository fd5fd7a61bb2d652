import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import { FormTextError, formTextKey } from '../../web/form-text.ts';
import { type MessageKey, t } from '../../web/i18n.ts';
import { sendPage } from '../../web/layout.tsx';
import { mayBeyondFolders } from '../access/index.ts';
import { createFolder, deleteFolder, renameFolder } from './folders.ts';
import { FoldersView } from './folders.views.tsx';
import { errorKey, type MailboxPages, noStore, noticeKey, type OpenableMailbox } from './mailbox-pages.tsx';

/** The folder pages: list, create, rename and delete the mailbox's own folders. */
export async function folderRoutes(
  _app: FastifyInstance,
  { services, pages }: { services: Services; pages: MailboxPages },
) {
  const { web, hide, citizen, citizenForm, mailboxContext, navFor, csrfField } = pages;

  async function showFolders(
    request: FastifyRequest,
    reply: FastifyReply,
    state: { notice?: MessageKey | null; error?: MessageKey | null; value?: string; status?: number } = {},
  ) {
    const ctx = await mailboxContext(request);
    if (!mayBeyondFolders(request.actor, ctx.mailbox.access, 'organise')) {
      throw new AppError(403, 'forbidden', 'Your access to this mailbox does not allow this.');
    }
    const nav = await navFor(request, ctx, 'folders');
    return sendPage(request, noStore(reply).status(state.status ?? 200), {
      title: t(request.lang, 'mailbox.folders.title'),
      body: (
        <FoldersView
          lang={request.lang}
          nav={nav}
          csrfField={csrfField(request) as string}
          notice={state.notice ?? null}
          error={state.error ?? null}
          value={state.value ?? ''}
        />
      ),
    });
  }

  web.get(
    '/post/mapper',
    {
      preHandler: citizen,
      schema: { ...hide, querystring: Type.Object({ ok: Type.Optional(Type.String({ maxLength: 40 })) }) },
    },
    async (request, reply) => showFolders(request, reply, { notice: noticeKey(request.query.ok) }),
  );

  const nameBody = Type.Object({
    _csrf: Type.Optional(Type.String()),
    // Longer than a folder name may be, so that a long name gets the form's own error rather than a bare 400.
    name: Type.Optional(Type.String({ maxLength: 10_000 })),
  });

  /** Runs a folder change; a use-case error shows the page again with the message and the typed value. */
  async function folderForm(
    request: FastifyRequest,
    reply: FastifyReply,
    run: (ctx: { mailbox: OpenableMailbox }) => Promise<unknown>,
    done: string,
  ) {
    const ctx = await mailboxContext(request);
    try {
      await run(ctx);
    } catch (e) {
      const key = e instanceof FormTextError ? formTextKey(e) : e instanceof AppError ? errorKey(e.code) : null;
      if (!key || !(e instanceof AppError)) throw e;
      const value = (request.body as { name?: string } | undefined)?.name ?? '';
      return showFolders(request, reply, { error: key, value, status: e.status });
    }
    return reply.redirect(`/post/mapper?ok=${done}`, 303);
  }

  /** The folder forms check their name themselves and show it again with the error (see installInputGuard). */
  const nameChecked = { formTextFields: ['name'] };

  web.post(
    '/post/mapper',
    { preHandler: citizenForm, config: nameChecked, schema: { ...hide, body: nameBody } },
    async (request, reply) =>
      folderForm(
        request,
        reply,
        (ctx) => createFolder(services.db, request.actor, ctx.mailbox.access, request.body.name),
        'folder_created',
      ),
  );

  web.post(
    '/post/mapper/:folderId',
    {
      preHandler: citizenForm,
      config: nameChecked,
      schema: { ...hide, params: Type.Object({ folderId: Type.String() }), body: nameBody },
    },
    async (request, reply) =>
      folderForm(
        request,
        reply,
        (ctx) =>
          renameFolder(services.db, request.actor, ctx.mailbox.access, request.params.folderId, request.body.name),
        'folder_renamed',
      ),
  );

  web.post(
    '/post/mapper/:folderId/slet',
    {
      preHandler: citizenForm,
      schema: {
        ...hide,
        params: Type.Object({ folderId: Type.String() }),
        body: Type.Object({ _csrf: Type.Optional(Type.String()) }),
      },
    },
    async (request, reply) =>
      folderForm(
        request,
        reply,
        (ctx) => deleteFolder(services.db, request.actor, ctx.mailbox.access, request.params.folderId),
        'folder_deleted',
      ),
  );
}
