import { Alert } from '../../web/components/index.ts';
import { type Lang, type MessageKey, translator } from '../../web/i18n.ts';
import type { UserFolder } from './folders.ts';
import { sortParam } from './list-inbox.ts';
import type { FolderRef, ListingSort, UnreadCounts } from './mailbox-listing.repository.ts';

export const documentUrl = (messageId: string, position: number) => `/post/${messageId}/dokumenter/${position}`;

/** The query value naming a folder in /post?mappe=… */
export const folderParam = (folder: FolderRef): string | null =>
  folder.kind === 'inbox'
    ? null
    : folder.kind === 'archive'
      ? 'arkiv'
      : folder.kind === 'trash'
        ? 'papirkurv'
        : folder.id;

/**
 * A folder page's address; `view` keeps its order and sender filter (newest first and all senders are the default and
 * leave no parameter), `extra` adds more (vaelg=alle: every letter ticked).
 */
export function folderUrl(
  folder: FolderRef,
  before?: string,
  view?: { sort: ListingSort; senderId: string | undefined },
  extra?: Record<string, string>,
): string {
  const params = new URLSearchParams();
  const param = folderParam(folder);
  if (param) params.set('mappe', param);
  if (view && view.sort !== 'newest') params.set('sorter', sortParam(view.sort));
  if (view?.senderId) params.set('afsender', view.senderId);
  if (before) params.set('before', before);
  for (const [key, value] of Object.entries(extra ?? {})) params.set(key, value);
  const query = params.toString();
  return query ? `/post?${query}` : '/post';
}

export const folderRefOf = (item: { folder: string; folderId: string | null }): FolderRef =>
  item.folder === 'user' && item.folderId
    ? { kind: 'user', id: item.folderId }
    : ({ kind: item.folder === 'archive' ? 'archive' : item.folder === 'trash' ? 'trash' : 'inbox' } as FolderRef);

/** The search page: a query, and the id of the last hit shown for the next page; `fejl` names an error to show. */
export function searchUrl(query: string, before?: string, fejl?: string): string {
  const params = new URLSearchParams();
  if (query) params.set('q', query);
  if (before) params.set('before', before);
  if (fejl) params.set('fejl', fejl);
  const search = params.toString();
  return search ? `/post/soeg?${search}` : '/post/soeg';
}

type Tr = ReturnType<typeof translator>;

export function folderName(tr: Tr, folder: FolderRef, folders: UserFolder[]): string {
  if (folder.kind === 'inbox') return tr('mailbox.folder.inbox');
  if (folder.kind === 'archive') return tr('mailbox.folder.archive');
  if (folder.kind === 'trash') return tr('mailbox.folder.trash');
  return folder.name ?? folders.find((f) => f.id === folder.id)?.name ?? '';
}

/** What the navigation around the mailbox pages shows. */
export interface MailboxNav {
  current: FolderRef | 'search' | 'folders' | 'write' | 'sent' | 'activity' | 'export' | null;
  folders: UserFolder[];
  /** Unread letters per folder of the mailbox being looked at. */
  unread: UnreadCounts;
  /** The owner's name when the mailbox is not the actor's own. */
  ownerName: string | null;
  canSwitch: boolean;
  mayWrite: boolean;
  mayViewActivity: boolean;
  mayOrganise: boolean;
  /** Whether the routing rules page is offered (policy 'manage_rules'). */
  mayManageRules?: boolean;
  /** Whether the export of the whole mailbox is offered (mayExportMailbox: the owner). */
  mayExport?: boolean;
  /** The session's CSRF token, for the search form (it posts, so a typed CPR number never lands in an address). */
  csrfToken: string;
  query?: string;
}

const isCurrent = (nav: MailboxNav, folder: FolderRef) =>
  typeof nav.current === 'object' &&
  nav.current !== null &&
  nav.current.kind === folder.kind &&
  (folder.kind !== 'user' || (nav.current.kind === 'user' && nav.current.id === folder.id));

/** How many unread letters a folder holds (0 when none). */
export function unreadIn(counts: UnreadCounts, folder: FolderRef): number {
  if (folder.kind === 'user') return counts.folders[folder.id] ?? 0;
  return counts[folder.kind];
}

function NavLink({
  href,
  current,
  text,
  unread,
  wideOnly = false,
}: {
  href: string;
  current: boolean;
  text: string;
  /** Left out of the phone's row of links (the page is reached another way there). */
  wideOnly?: boolean;
  /** With a count: the number shown beside the name, and said in words to screen readers ("3 ulæste"). */
  unread?: { count: number; words: string } | undefined;
}) {
  const ariaCurrent = current ? 'page' : undefined;
  return (
    <li class={[current ? 'active current' : '', wideOnly ? 'kuvert-wide-only' : ''].filter(Boolean).join(' ')}>
      {unread ? (
        <a href={href} aria-current={ariaCurrent} class="nav-link kuvert-folder-link">
          <span class="kuvert-folder-name" safe>
            {text}
          </span>{' '}
          <span class="kuvert-folder-count">
            <span aria-hidden="true">{String(unread.count)}</span>
            <span class="sr-only" safe>
              {unread.words}
            </span>
          </span>
        </a>
      ) : (
        <a href={href} aria-current={ariaCurrent} class="nav-link" safe>
          {text}
        </a>
      )}
    </li>
  );
}

/** The unread count of a folder for its link, or undefined when it has none. */
function unreadBadge(tr: Tr, counts: UnreadCounts, folder: FolderRef) {
  const count = unreadIn(counts, folder);
  if (count <= 0) return undefined;
  return { count, words: tr(count === 1 ? 'mailbox.folder.unreadOne' : 'mailbox.folder.unreadMany', { count }) };
}

/** Whose mailbox this is, when it is not the actor's own, with the way to switch back. */
export function OwnerNotice({
  lang,
  ownerName,
  canSwitch,
}: {
  lang: Lang;
  ownerName: string | null;
  canSwitch: boolean;
}) {
  const tr = translator(lang);
  if (!ownerName) return '';
  return (
    <Alert kind="info" class="kuvert-mailbox-owner" role="status">
      <p class="alert-text" safe>
        {tr('mailbox.owner', { name: ownerName })}
      </p>
      {canSwitch ? (
        <p class="alert-text">
          <a href="/post/postkasser" safe>
            {tr('mailbox.link.switch')}
          </a>
        </p>
      ) : (
        ''
      )}
    </Alert>
  );
}

/** The mailbox's side navigation (folders, search, links) around a page's content; stacks on small screens. */
export function MailboxLayout({
  lang,
  nav,
  children,
  showOwner = true,
}: {
  lang: Lang;
  nav: MailboxNav;
  children: JSX.Element;
  /** False on pages that say whose mailbox it is themselves. */
  showOwner?: boolean;
}) {
  const tr = translator(lang);
  const system: FolderRef[] = [{ kind: 'inbox' }, { kind: 'archive' }, { kind: 'trash' }];
  return (
    <div class="kuvert-mailbox">
      {showOwner ? <OwnerNotice lang={lang} ownerName={nav.ownerName} canSwitch={nav.canSwitch} /> : ''}
      <div class="kuvert-mailbox-grid">
        <div class="kuvert-mailbox-side">
          <form class="kuvert-search" method="post" action="/post/soeg">
            <input type="hidden" name="_csrf" value={nav.csrfToken} />
            <label class="form-label" for="mailbox-search" safe>
              {tr('mailbox.search.label')}
            </label>
            <div class="kuvert-search-row">
              <input
                class="form-input"
                type="search"
                id="mailbox-search"
                name="q"
                maxlength="200"
                value={nav.query ?? ''}
              />
              <button class="button button-secondary" type="submit" safe>
                {tr('mailbox.search.button')}
              </button>
            </div>
          </form>
          <nav aria-label={tr('mailbox.nav.label')}>
            <ul class="sidemenu kuvert-folders">
              {system.map((f) => (
                <NavLink
                  href={folderUrl(f)}
                  current={isCurrent(nav, f)}
                  text={folderName(tr, f, nav.folders)}
                  unread={unreadBadge(tr, nav.unread, f)}
                />
              ))}
              {nav.folders.map((f) => (
                <NavLink
                  href={folderUrl({ kind: 'user', id: f.id })}
                  current={isCurrent(nav, { kind: 'user', id: f.id })}
                  text={f.name}
                  unread={unreadBadge(tr, nav.unread, { kind: 'user', id: f.id })}
                />
              ))}
              {nav.mayOrganise ? (
                <NavLink href="/post/mapper" current={nav.current === 'folders'} text={tr('mailbox.folder.manage')} />
              ) : (
                ''
              )}
              {nav.mayManageRules ? <NavLink href="/post/regler" current={false} text={tr('rules.nav')} /> : ''}
            </ul>
            <ul class="sidemenu kuvert-mailbox-links">
              {nav.mayWrite ? (
                <NavLink href="/post/skriv" current={nav.current === 'write'} text={tr('mailbox.link.write')} />
              ) : (
                ''
              )}
              {nav.mayWrite ? (
                <NavLink href="/post/sendt" current={nav.current === 'sent'} text={tr('mailbox.link.sent')} />
              ) : (
                ''
              )}
              {nav.mayViewActivity ? (
                <NavLink
                  href="/post/aktivitet"
                  current={nav.current === 'activity'}
                  text={tr('mailbox.link.activity')}
                />
              ) : (
                ''
              )}
              {nav.mayExport ? (
                // On a phone the export is reached from the activity page: one more chip would add a row above the
                // letters.
                <NavLink href="/post/eksport" current={nav.current === 'export'} text={tr('export.nav')} wideOnly />
              ) : (
                ''
              )}
              {nav.canSwitch && !nav.ownerName ? (
                <NavLink href="/post/postkasser" current={false} text={tr('mailbox.link.switch')} />
              ) : (
                ''
              )}
            </ul>
          </nav>
        </div>
        <div class="kuvert-mailbox-content">{children}</div>
      </div>
    </div>
  );
}

export function Notice({ lang, notice, error }: { lang: Lang; notice: MessageKey | null; error: MessageKey | null }) {
  const tr = translator(lang);
  return (
    <>
      {notice ? (
        <Alert kind="success" role="status">
          <p class="alert-text" safe>
            {tr(notice)}
          </p>
        </Alert>
      ) : (
        ''
      )}
      {error ? (
        <Alert kind="error" role="alert">
          <p class="alert-heading" safe>
            {tr('mailbox.error.heading')}
          </p>
          <p class="alert-text" safe>
            {tr(error)}
          </p>
        </Alert>
      ) : (
        ''
      )}
    </>
  );
}

export interface Permissions {
  mayOrganise: boolean;
  mayDelete: boolean;
  mayDeletePermanently: boolean;
}
