import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { looksLikeCpr } from '../../http/input.ts';
import { AppError, notFound } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import { type MessageKey, t } from '../../web/i18n.ts';
import { sendPage } from '../../web/layout.tsx';
import { currentMailbox, reachesFolder } from '../access/index.ts';
import { csrfField, requireActor, verifyCsrf } from '../identity/index.ts';
import { exportRoutes } from './export.routes.tsx';
import { folderRoutes } from './folders.routes.tsx';
import { InboxView } from './inbox.views.tsx';
import { letterRoutes } from './letter.routes.tsx';
import { INBOX_PAGE_SIZE, isUuid, pageCursor, parseListingView, toInboxPage } from './list-inbox.ts';
import { folderUrl, searchUrl } from './mailbox-layout.views.tsx';
import type { FolderRef } from './mailbox-listing.repository.ts';
import { errorKey, mailboxPages, noStore, noticeKey, parseFolder, safeReturn, withParam } from './mailbox-pages.tsx';
import { OPERATIONS, type Operation, organiseLetters } from './organise.ts';
import { ruleRoutes } from './rules.routes.tsx';
import { listMailboxSenders, parseSearchFilters, type SearchResult, searchMailbox } from './search.ts';
import { folderOfParam, SearchView } from './search.views.tsx';

/** The mailbox pages: the Inbox and other folders, search, and the bulk actions on letters; folders and letters have their own routes. */
export async function mailboxRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const pages = mailboxPages(app, services, {
    requireCitizen: () => requireActor('citizen'),
    verifyCsrf,
    currentMailbox,
    csrfField,
  });
  const { web, hide, citizen, citizenForm, mailboxContext, navData, navOf, permsOf } = pages;

  web.get(
    '/post',
    {
      preHandler: citizen,
      schema: {
        ...hide,
        querystring: Type.Object({
          before: Type.Optional(Type.String({ maxLength: 64 })),
          mappe: Type.Optional(Type.String({ maxLength: 64 })),
          sorter: Type.Optional(Type.String({ maxLength: 40 })),
          afsender: Type.Optional(Type.String({ maxLength: 64 })),
          vaelg: Type.Optional(Type.String({ maxLength: 10 })),
          ok: Type.Optional(Type.String({ maxLength: 40 })),
          fejl: Type.Optional(Type.String({ maxLength: 40 })),
        }),
      },
    },
    async (request, reply) => {
      const ctx = await mailboxContext(request);
      const folder = await parseFolder(services, ctx.mailbox.owner.id, request.query.mappe);
      // A folder outside a folder-scoped grant is as one that does not exist.
      if (!folder || (folder.kind === 'user' && !reachesFolder(ctx.mailbox.access, folder.id))) {
        throw notFound('folder');
      }
      // The page's letters and its navigation in one statement: a page's cost is mostly per statement.
      const before = pageCursor(request.query.before);
      const view = parseListingView(request.query.sorter, request.query.afsender);
      const listing = { folder, before, limit: INBOX_PAGE_SIZE, sort: view.sort, senderId: view.senderId };
      const data = await request.reads.lagTolerant((db) => navData(request, ctx.mailbox, true, listing, db));
      const page = toInboxPage(data.listing ?? [], INBOX_PAGE_SIZE, before);
      const nav = navOf(request, ctx, folder, data);
      return sendPage(request, noStore(reply), {
        title: t(request.lang, 'mailbox.title'),
        body: (
          <InboxView
            lang={request.lang}
            page={page}
            folder={folder}
            view={view}
            senders={data.senders ?? []}
            allChecked={request.query.vaelg === 'alle'}
            before={before}
            nav={nav}
            perms={permsOf(request, ctx.mailbox.access)}
            csrfField={csrfField(request) as string}
            returnTo={folderUrl(folder, before, view)}
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
          afsender: Type.Optional(Type.String({ maxLength: 64 })),
          fra: Type.Optional(Type.String({ maxLength: 64 })),
          til: Type.Optional(Type.String({ maxLength: 64 })),
          mappe: Type.Optional(Type.String({ maxLength: 64 })),
          ulaest: Type.Optional(Type.String({ maxLength: 8 })),
          handling: Type.Optional(Type.String({ maxLength: 8 })),
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
      const scope = ctx.mailbox.access.folderIds ?? null;
      let error: MessageKey | null = null;
      let errorField: string | null = null;
      let status = 200;
      // A bad filter or page cursor gets the readable error page (400), never a 500.
      const refused = (e: unknown) => {
        if (!(e instanceof AppError) || !errorKey(e.code)) throw e;
        error = errorKey(e.code);
        errorField = e.field ?? null;
        status = e.status;
        return null;
      };
      const [data, senders] = await request.reads.lagTolerant((db) =>
        Promise.all([navData(request, ctx.mailbox, true, undefined, db), listMailboxSenders(db, mailboxId, scope)]),
      );
      const { afsender, fra, til, mappe, ulaest, handling } = request.query;
      const input = { afsender, fra, til, mappe, ulaest, handling };
      let result: SearchResult | null = null;
      if (raw.trim() === '') {
        if (request.query.fejl === 'cpr_not_allowed') error = errorKey('cpr_not_allowed');
      } else {
        const filters = await Promise.resolve()
          .then(() => parseSearchFilters(input, (value) => folderOfParam(value, data.folders)))
          .catch(refused);
        if (filters) {
          const before = request.query.before;
          result = await request.reads
            .lagTolerant((reader) => searchMailbox(services, mailboxId, raw, filters, { before, scope, reader }))
            .catch(refused);
        }
      }
      const nav = navOf(request, ctx, 'search', data, raw);
      return sendPage(request, noStore(reply).status(status), {
        title: t(request.lang, 'mailbox.search.title'),
        body: (
          <SearchView
            lang={request.lang}
            query={raw.replace(/\s+/g, ' ').trim()}
            result={result}
            nav={nav}
            error={error}
            errorField={errorField}
            filters={input}
            senders={senders}
          />
        ),
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

  await folderRoutes(app, { services, pages });
  await ruleRoutes(app, { services, pages });
  await exportRoutes(app, { services, pages });
  await letterRoutes(app, { services, pages });
}
