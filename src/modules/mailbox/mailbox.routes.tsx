import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { contentDisposition } from '../../http/content-disposition.ts';
import { looksLikeCpr, safeRedirectPath } from '../../http/input.ts';
import { AppError, notFound } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import { FormTextError, formTextKey } from '../../web/form-text.ts';
import { type MessageKey, t } from '../../web/i18n.ts';
import { sendPage } from '../../web/layout.tsx';
import { mayInMailbox } from '../access/index.ts';
import { currentMailbox, type OpenableMailbox } from '../access/mailbox-access.ts';
import { csrfField, requireActor, verifyCsrf } from '../identity/session.ts';
import { calendarForAction, completeAction } from './actions.ts';
import { createFolder, deleteFolder, renameFolder } from './folders.ts';
import { FoldersView } from './folders.views.tsx';
import { InboxView, SearchView } from './inbox.views.tsx';
import { LegalNoticeView, MessageView } from './letter.views.tsx';
import { INBOX_PAGE_SIZE, isUuid, pageCursor, toInboxPage } from './list-inbox.ts';
import { type FolderRef, loadMailboxNav, type MailboxNavData, type UnreadCounts } from './mailbox.repository.ts';
import { folderUrl, type MailboxNav, type Permissions, searchUrl } from './mailbox-layout.views.tsx';
import { openMessage } from './open-message.ts';
import { OPERATIONS, type Operation, organiseLetters } from './organise.ts';
import { type DocumentDownload, downloadAllDocuments, readDocument } from './read-document.ts';
import { type PreparedSearch, prepareSearch, SEARCH_LIMIT, searchResult } from './search.ts';

/** Pages with personal data are never stored by browsers or proxies. */
const noStore = (reply: FastifyReply) => reply.header('cache-control', 'private, no-store');

/** Notices shown after a redirect (?ok=…), by code; anything else is ignored. */
const NOTICES: Record<string, MessageKey> = {
  move: 'mailbox.done.move',
  mark_read: 'mailbox.done.mark_read',
  mark_unread: 'mailbox.done.mark_unread',
  trash: 'mailbox.done.trash',
  restore: 'mailbox.done.restore',
  delete_permanently: 'mailbox.done.delete_permanently',
  action: 'mailbox.done.action',
  folder_created: 'mailbox.done.folderCreated',
  folder_renamed: 'mailbox.done.folderRenamed',
  folder_deleted: 'mailbox.done.folderDeleted',
};
/** Use-case error codes the pages explain in words (?fejl=… after a redirect, or on the page shown again). */
const ERROR_CODES = [
  'no_letters',
  'too_many_letters',
  'missing_folder',
  'unknown_folder',
  'not_in_trash',
  'forbidden',
  'folder_name_missing',
  'folder_name_too_long',
  'folder_exists',
  'too_many_folders',
  'search_query_missing',
  'search_query_too_long',
  'cpr_not_allowed',
] as const;
const errorKey = (code: string | undefined): MessageKey | null =>
  code && (ERROR_CODES as readonly string[]).includes(code) ? (`mailbox.error.${code}` as MessageKey) : null;
const noticeKey = (code: string | undefined): MessageKey | null => (code ? (NOTICES[code] ?? null) : null);

/** Only the mailbox's own pages are followed as a way back after a form. */
function safeReturn(raw: string | undefined, fallback = '/post'): string {
  return safeRedirectPath(raw, ['/post']) ?? fallback;
}

function withParam(path: string, key: string, value: string): string {
  const url = new URL(path, 'http://kuvert.invalid');
  url.searchParams.delete('ok');
  url.searchParams.delete('fejl');
  url.searchParams.set(key, value);
  return `${url.pathname}${url.search}`;
}

/** ?mappe=… as a folder of this mailbox: arkiv, papirkurv, a user folder id, else the Inbox. */
async function parseFolder(services: Services, mailboxId: string, raw: string | undefined): Promise<FolderRef | null> {
  if (!raw || raw === 'indbakke') return { kind: 'inbox' };
  if (raw === 'arkiv') return { kind: 'archive' };
  if (raw === 'papirkurv') return { kind: 'trash' };
  if (!isUuid(raw)) return null;
  const folder = await services.db
    .selectFrom('mailbox_folder')
    .select(['id', 'name'])
    .where('id', '=', raw.toLowerCase())
    .where('mailbox_id', '=', mailboxId)
    .executeTakeFirst();
  return folder ? { kind: 'user', id: folder.id, name: folder.name } : null;
}

export async function mailboxRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const web = app.withTypeProvider<TypeBoxTypeProvider>();
  const hide = { hide: true };
  const citizen = requireActor('citizen');
  const citizenForm = [citizen, async (request: FastifyRequest) => verifyCsrf(request)];

  /** The mailbox being looked at, and what the actor may do there; 404 if they may not even list it. */
  async function mailboxContext(request: FastifyRequest) {
    const mailbox = await currentMailbox(services, request);
    if (!mailbox || !mayInMailbox(request.actor, mailbox.access, 'list')) throw notFound('mailbox');
    return { mailbox };
  }

  /**
   * The navigation's data in one query: the mailbox's folders and (with counts) unread letters per folder, as its
   * listings show them to whoever may list it, and whether the switcher shows (the actor may open more than their
   * own mailbox, i.e. holds a delegation in force).
   */
  function navData(
    request: FastifyRequest,
    mailboxId: string,
    withCounts: boolean,
    listing?: Parameters<typeof loadMailboxNav>[1]['listing'],
  ) {
    const actor = request.actor;
    return loadMailboxNav(services.db, {
      mailboxId,
      actorId: actor?.kind === 'citizen' ? actor.recipientId : null,
      now: new Date(),
      withCounts,
      ...(listing ? { listing } : {}),
    });
  }

  async function navFor(
    request: FastifyRequest,
    ctx: { mailbox: OpenableMailbox },
    current: MailboxNav['current'],
    query?: string,
  ): Promise<MailboxNav> {
    return navOf(request, ctx, current, await navData(request, ctx.mailbox.owner.id, true), query);
  }

  function navOf(
    request: FastifyRequest,
    ctx: { mailbox: OpenableMailbox },
    current: MailboxNav['current'],
    data: MailboxNavData,
    query?: string,
  ): MailboxNav {
    const { mailbox } = ctx;
    const actor = request.actor;
    const { folders, unread, canSwitch } = data;
    return {
      current,
      folders,
      unread: unread as UnreadCounts,
      ownerName: actor?.kind === 'citizen' && actor.recipientId === mailbox.owner.id ? null : mailbox.owner.name,
      canSwitch,
      mayWrite: mayInMailbox(actor, mailbox.access, 'write'),
      mayViewActivity: mayInMailbox(actor, mailbox.access, 'view_activity'),
      mayOrganise: mayInMailbox(actor, mailbox.access, 'organise'),
      csrfToken: request.csrfToken ?? '',
      ...(query !== undefined ? { query } : {}),
    };
  }

  const permsOf = (request: FastifyRequest, access: OpenableMailbox['access']): Permissions => ({
    mayOrganise: mayInMailbox(request.actor, access, 'organise'),
    mayDelete: mayInMailbox(request.actor, access, 'delete'),
    mayDeletePermanently: mayInMailbox(request.actor, access, 'delete_permanently'),
  });

  web.get(
    '/post',
    {
      preHandler: citizen,
      schema: {
        ...hide,
        querystring: Type.Object({
          before: Type.Optional(Type.String({ maxLength: 64 })),
          mappe: Type.Optional(Type.String({ maxLength: 64 })),
          ok: Type.Optional(Type.String({ maxLength: 40 })),
          fejl: Type.Optional(Type.String({ maxLength: 40 })),
        }),
      },
    },
    async (request, reply) => {
      const ctx = await mailboxContext(request);
      const folder = await parseFolder(services, ctx.mailbox.owner.id, request.query.mappe);
      if (!folder) throw notFound('folder');
      // The page's letters and its navigation in one statement: a page's cost is mostly per statement.
      const before = pageCursor(request.query.before);
      const data = await navData(request, ctx.mailbox.owner.id, true, { folder, before, limit: INBOX_PAGE_SIZE });
      const page = toInboxPage(data.listing ?? [], INBOX_PAGE_SIZE, before);
      const nav = navOf(request, ctx, folder, data);
      return sendPage(request, noStore(reply), {
        title: t(request.lang, 'mailbox.title'),
        body: (
          <InboxView
            lang={request.lang}
            page={page}
            folder={folder}
            nav={nav}
            perms={permsOf(request, ctx.mailbox.access)}
            csrfField={csrfField(request) as string}
            returnTo={folderUrl(folder, request.query.before)}
            notice={noticeKey(request.query.ok)}
            error={errorKey(request.query.fejl)}
          />
        ),
      });
    },
  );

  web.get(
    '/post/soeg',
    {
      preHandler: citizen,
      schema: {
        ...hide,
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 1000 })),
          before: Type.Optional(Type.String({ maxLength: 64 })),
          fejl: Type.Optional(Type.String({ maxLength: 40 })),
        }),
      },
    },
    async (request, reply) => {
      const ctx = await mailboxContext(request);
      const raw = request.query.q ?? '';
      // A CPR number typed into the search box is not searched for, and must not stay in the address (history,
      // the search box, the page): go to the empty search page and say why there.
      if (looksLikeCpr(raw)) return reply.redirect(searchUrl('', undefined, 'cpr_not_allowed'), 303);
      const mailboxId = ctx.mailbox.owner.id;
      let error: MessageKey | null = null;
      let status = 200;
      // A bad page cursor is not the recipient's typing: it gets the readable error page (400 invalid_cursor).
      const refused = (e: unknown) => {
        if (!(e instanceof AppError) || !errorKey(e.code)) throw e;
        error = errorKey(e.code);
        status = e.status;
        return null;
      };
      let prepared: PreparedSearch | null = null;
      if (raw.trim() === '') {
        if (request.query.fejl === 'cpr_not_allowed') error = errorKey('cpr_not_allowed');
      } else {
        prepared = await prepareSearch(services, mailboxId, raw, { before: request.query.before }).catch(refused);
      }
      // The hits are read in the navigation's statement.
      const listing = prepared ? { search: prepared.query, before: prepared.cursor, limit: SEARCH_LIMIT } : undefined;
      const data = await navData(request, mailboxId, true, listing);
      const result = prepared
        ? await searchResult(services, mailboxId, prepared, data.listing ?? []).catch(refused)
        : null;
      const nav = navOf(request, ctx, 'search', data, raw);
      return sendPage(request, noStore(reply).status(status), {
        title: t(request.lang, 'mailbox.search.title'),
        body: <SearchView lang={request.lang} result={result} nav={nav} error={error} />,
      });
    },
  );

  // The search box posts its query: a CPR number typed into it is refused here and never lands in an address (browser
  // history, access logs); any other query is passed on to the results page, whose address pages through the hits.
  web.post(
    '/post/soeg',
    {
      preHandler: citizenForm,
      schema: {
        ...hide,
        body: Type.Object({ _csrf: Type.Optional(Type.String()), q: Type.Optional(Type.String({ maxLength: 1000 })) }),
      },
    },
    async (request, reply) => {
      const raw = request.body.q ?? '';
      if (looksLikeCpr(raw)) return reply.redirect(searchUrl('', undefined, 'cpr_not_allowed'), 303);
      return reply.redirect(searchUrl(raw.replace(/\s+/g, ' ').trim()), 303);
    },
  );

  async function showFolders(
    request: FastifyRequest,
    reply: FastifyReply,
    state: { notice?: MessageKey | null; error?: MessageKey | null; value?: string; status?: number } = {},
  ) {
    const ctx = await mailboxContext(request);
    if (!mayInMailbox(request.actor, ctx.mailbox.access, 'organise')) {
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

  web.post(
    '/post/handling',
    {
      preHandler: citizenForm,
      schema: {
        ...hide,
        body: Type.Object({
          _csrf: Type.Optional(Type.String()),
          id: Type.Optional(
            Type.Union([Type.String({ maxLength: 64 }), Type.Array(Type.String({ maxLength: 64 }), { maxItems: 200 })]),
          ),
          handling: Type.Optional(Type.String({ maxLength: 40 })),
          mappe: Type.Optional(Type.String({ maxLength: 64 })),
          returnTo: Type.Optional(Type.String({ maxLength: 500 })),
        }),
      },
    },
    async (request, reply) => {
      const body = request.body;
      const back = safeReturn(body.returnTo);
      const operation = body.handling as Operation;
      if (!(OPERATIONS as readonly string[]).includes(operation)) {
        throw new AppError(400, 'invalid_operation', 'Choose what to do with the letters.', 'handling');
      }
      const ids = body.id === undefined ? [] : Array.isArray(body.id) ? body.id : [body.id];
      try {
        let target: FolderRef | undefined;
        if (operation === 'move') {
          // The folder belongs to the mailbox of the letters; organiseLetters checks that for each letter.
          const raw = body.mappe;
          target =
            !raw || raw === 'indbakke'
              ? { kind: 'inbox' }
              : raw === 'arkiv'
                ? { kind: 'archive' }
                : isUuid(raw)
                  ? { kind: 'user', id: raw.toLowerCase() }
                  : undefined;
          if (!target) throw new AppError(400, 'unknown_folder', 'There is no such folder.', 'mappe');
        }
        await organiseLetters(services, request.actor, {
          operation,
          messageIds: ids,
          ...(target && target.kind !== 'trash' ? { target } : {}),
        });
      } catch (e) {
        const key = e instanceof AppError ? errorKey(e.code) : null;
        if (!key || !(e instanceof AppError) || e.code === 'forbidden') throw e;
        return reply.redirect(withParam(back, 'fejl', e.code), 303);
      }
      // A letter deleted for good has no page any more: go to Trash.
      const next =
        operation === 'delete_permanently' && /^\/post\/[0-9a-f-]{36}$/.test(back) ? '/post?mappe=papirkurv' : back;
      return reply.redirect(withParam(next, 'ok', operation), 303);
    },
  );

  web.get(
    '/post/:id',
    {
      preHandler: citizen,
      schema: {
        ...hide,
        params: Type.Object({ id: Type.String() }),
        querystring: Type.Object({
          ok: Type.Optional(Type.String({ maxLength: 40 })),
          fejl: Type.Optional(Type.String({ maxLength: 40 })),
        }),
      },
    },
    async (request, reply) => {
      const opened = await openMessage(services, request.actor, request.params.id);
      const { folders, canSwitch } = opened.nav;
      const csrf = csrfField(request) as string;
      if (opened.kind === 'legal_notice') {
        return sendPage(request, noStore(reply), {
          title: t(request.lang, 'mailbox.legal.title'),
          body: (
            <LegalNoticeView
              lang={request.lang}
              message={opened.message}
              csrfField={csrf}
              folders={folders}
              canSwitch={canSwitch}
            />
          ),
        });
      }
      const access = opened.message.access;
      return sendPage(request, noStore(reply), {
        title: opened.message.label,
        body: (
          <MessageView
            lang={request.lang}
            message={opened.message}
            folders={folders}
            perms={permsOf(request, access)}
            mayAct={mayInMailbox(request.actor, access, 'act')}
            canSwitch={canSwitch}
            csrfField={csrf}
            notice={noticeKey(request.query.ok)}
            error={errorKey(request.query.fejl)}
          />
        ),
      });
    },
  );

  web.post(
    '/post/:id/aabn',
    {
      preHandler: citizenForm,
      schema: {
        ...hide,
        params: Type.Object({ id: Type.String() }),
        body: Type.Object({ _csrf: Type.Optional(Type.String()) }),
      },
    },
    async (request, reply) => {
      const opened = await openMessage(services, request.actor, request.params.id, { confirmLegal: true });
      return reply.redirect(`/post/${opened.message.id}`, 303);
    },
  );

  web.post(
    '/post/:id/handlinger/:position',
    {
      preHandler: citizenForm,
      schema: {
        ...hide,
        params: Type.Object({ id: Type.String(), position: Type.String() }),
        body: Type.Object({ _csrf: Type.Optional(Type.String()) }),
      },
    },
    async (request, reply) => {
      await completeAction(services, request.actor, request.params.id, request.params.position);
      return reply.redirect(`/post/${request.params.id.toLowerCase()}?ok=action`, 303);
    },
  );

  web.get(
    '/post/:id/handlinger/:position/kalender.ics',
    { preHandler: citizen, schema: { ...hide, params: Type.Object({ id: Type.String(), position: Type.String() }) } },
    async (request, reply) => {
      const ics = await calendarForAction(services, request.actor, request.params.id, request.params.position);
      return noStore(reply)
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', contentDisposition('attachment', ics.filename))
        .send(ics.body);
    },
  );

  function sendDocument(reply: FastifyReply, doc: DocumentDownload, disposition: 'inline' | 'attachment') {
    // Sender HTML is only given out sanitised (readDocument); here it runs sandboxed besides (no script, no forms, an
    // opaque origin) and loads nothing from outside; a download carries its own CSP for when it is opened from disk.
    if (doc.mediaType === 'text/html') {
      reply.header(
        'content-security-policy',
        "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'self'",
      );
    }
    noStore(reply)
      .type(
        doc.mediaType === 'text/plain'
          ? 'text/plain; charset=utf-8'
          : doc.mediaType === 'text/html'
            ? 'text/html; charset=utf-8'
            : doc.mediaType,
      )
      .header('content-disposition', contentDisposition(disposition, doc.filename))
      .header('x-content-type-options', 'nosniff');
    if (doc.sizeBytes !== null) reply.header('content-length', doc.sizeBytes);
    return reply.send(doc.body);
  }

  /** A document link of an unopened legal notification leads to the letter's page, where the notice is shown. */
  async function orLegalNotice<T>(reply: FastifyReply, id: string, read: () => Promise<T>): Promise<T | null> {
    try {
      return await read();
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'legal_notice_first') throw error;
      reply.redirect(`/post/${encodeURIComponent(id)}`, 303);
      return null;
    }
  }

  web.get(
    '/post/:id/dokumenter.zip',
    { preHandler: citizen, schema: { ...hide, params: Type.Object({ id: Type.String() }) } },
    async (request, reply) => {
      const zip = await orLegalNotice(reply, request.params.id, () =>
        downloadAllDocuments(services, request.actor, request.params.id, request.lang),
      );
      return zip ? sendDocument(reply, zip, 'attachment') : reply;
    },
  );

  web.get(
    '/post/:id/dokumenter/:position',
    {
      preHandler: citizen,
      schema: {
        ...hide,
        params: Type.Object({ id: Type.String(), position: Type.String() }),
        querystring: Type.Object({ download: Type.Optional(Type.String()) }),
      },
    },
    async (request, reply) => {
      const download = request.query.download === '1';
      const doc = await orLegalNotice(reply, request.params.id, () =>
        readDocument(services, request.actor, request.params.id, request.params.position, {
          view: !download,
          lang: request.lang,
        }),
      );
      return doc ? sendDocument(reply, doc, download ? 'attachment' : 'inline') : reply;
    },
  );
}
