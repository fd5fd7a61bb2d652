import { formatBytes, formatDateTime, isoDate, type Lang, type MessageKey, translator } from '../../web/i18n.ts';
import { Icon } from '../../web/icon.tsx';
import type { UserFolder } from './folders.ts';
import type { InboxPage } from './list-inbox.ts';
import type { FolderRef, InboxItem, UnreadCounts } from './mailbox.repository.ts';
import type { LetterAction, LetterSummary, OpenedMessage } from './open-message.ts';
import type { SearchResult } from './search.ts';

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

export function folderUrl(folder: FolderRef, before?: string): string {
  const params = new URLSearchParams();
  const param = folderParam(folder);
  if (param) params.set('mappe', param);
  if (before) params.set('before', before);
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
  current: FolderRef | 'search' | 'folders' | null;
  folders: UserFolder[];
  /** Unread letters per folder of the mailbox being looked at. */
  unread: UnreadCounts;
  /** The owner's name when the mailbox is not the actor's own. */
  ownerName: string | null;
  canSwitch: boolean;
  mayWrite: boolean;
  mayViewActivity: boolean;
  mayOrganise: boolean;
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
}: {
  href: string;
  current: boolean;
  text: string;
  /** With a count: the number shown beside the name, and said in words to screen readers ("3 ulæste"). */
  unread?: { count: number; words: string } | undefined;
}) {
  const ariaCurrent = current ? 'page' : undefined;
  return (
    <li class={current ? 'active current' : ''}>
      {unread ? (
        <a href={href} aria-current={ariaCurrent} class="kuvert-folder-link">
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
        <a href={href} aria-current={ariaCurrent} safe>
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
  if (!ownerName && !canSwitch) return '';
  return (
    <div class="alert alert-info kuvert-mailbox-owner" role="status">
      <div class="alert-body">
        {ownerName ? (
          <p class="alert-text" safe>
            {tr('mailbox.owner', { name: ownerName })}
          </p>
        ) : (
          ''
        )}
        {canSwitch ? (
          <p class="alert-text">
            <a href="/post/postkasser" safe>
              {tr('mailbox.link.switch')}
            </a>
          </p>
        ) : (
          ''
        )}
      </div>
    </div>
  );
}

/** The mailbox's side navigation (folders, search, links) around a page's content; stacks on small screens. */
export function MailboxLayout({ lang, nav, children }: { lang: Lang; nav: MailboxNav; children: JSX.Element }) {
  const tr = translator(lang);
  const system: FolderRef[] = [{ kind: 'inbox' }, { kind: 'archive' }, { kind: 'trash' }];
  return (
    <div class="kuvert-mailbox">
      <OwnerNotice lang={lang} ownerName={nav.ownerName} canSwitch={nav.canSwitch} />
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
            </ul>
            <ul class="sidemenu kuvert-mailbox-links">
              {nav.mayWrite ? <NavLink href="/post/skriv" current={false} text={tr('mailbox.link.write')} /> : ''}
              {nav.mayWrite ? <NavLink href="/post/sendt" current={false} text={tr('mailbox.link.sent')} /> : ''}
              {nav.mayViewActivity ? (
                <NavLink href="/post/aktivitet" current={false} text={tr('mailbox.link.activity')} />
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
        <div class="alert alert-success" role="status">
          <div class="alert-body">
            <p class="alert-text" safe>
              {tr(notice)}
            </p>
          </div>
        </div>
      ) : (
        ''
      )}
      {error ? (
        <div class="alert alert-error" role="alert">
          <div class="alert-body">
            <p class="alert-heading" safe>
              {tr('mailbox.error.heading')}
            </p>
            <p class="alert-text" safe>
              {tr(error)}
            </p>
          </div>
        </div>
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

/** The buttons acting on selected letters (a list page) or one letter (its page); a plain form, no JavaScript. */
function OrganiseControls({
  lang,
  folder,
  folders,
  perms,
  idPrefix,
}: {
  lang: Lang;
  folder: FolderRef;
  folders: UserFolder[];
  perms: Permissions;
  idPrefix: string;
}) {
  const tr = translator(lang);
  const all: FolderRef[] = [
    { kind: 'inbox' },
    { kind: 'archive' },
    ...folders.map((f): FolderRef => ({ kind: 'user', id: f.id, name: f.name })),
  ];
  const targets = all.filter(
    (f) => !(f.kind === folder.kind && (f.kind !== 'user' || (folder.kind === 'user' && folder.id === f.id))),
  );
  const inTrash = folder.kind === 'trash';
  return (
    <div class="kuvert-organise">
      {perms.mayOrganise && (!inTrash || perms.mayDelete) ? (
        <div class="kuvert-organise-move">
          <label class="form-label" for={`${idPrefix}-target`} safe>
            {tr('mailbox.bulk.moveTo')}
          </label>
          <div class="kuvert-search-row">
            <select class="form-select" id={`${idPrefix}-target`} name="mappe">
              {targets.map((f) => (
                <option value={folderParam(f) ?? 'indbakke'} safe>
                  {folderName(tr, f, folders)}
                </option>
              ))}
            </select>
            <button class="button button-secondary" type="submit" name="handling" value="move" safe>
              {tr('mailbox.bulk.move')}
            </button>
          </div>
        </div>
      ) : (
        ''
      )}
      <div class="kuvert-organise-buttons">
        {perms.mayOrganise && !inTrash ? (
          <>
            <button class="button button-secondary" type="submit" name="handling" value="mark_read" safe>
              {tr('mailbox.bulk.markRead')}
            </button>
            <button class="button button-secondary" type="submit" name="handling" value="mark_unread" safe>
              {tr('mailbox.bulk.markUnread')}
            </button>
          </>
        ) : (
          ''
        )}
        {perms.mayDelete && !inTrash ? (
          <button class="button button-secondary" type="submit" name="handling" value="trash" safe>
            {tr('mailbox.bulk.trash')}
          </button>
        ) : (
          ''
        )}
        {perms.mayDelete && inTrash ? (
          <button class="button button-secondary" type="submit" name="handling" value="restore" safe>
            {tr('mailbox.bulk.restore')}
          </button>
        ) : (
          ''
        )}
        {perms.mayDeletePermanently && inTrash ? (
          <button class="button button-secondary" type="submit" name="handling" value="delete_permanently" safe>
            {tr('mailbox.bulk.deletePermanently')}
          </button>
        ) : (
          ''
        )}
      </div>
    </div>
  );
}

function StatusCell({ lang, item }: { lang: Lang; item: InboxItem }) {
  const tr = translator(lang);
  return (
    <>
      {item.unread ? (
        <span class="badge badge-info kuvert-unread-badge" safe>
          {tr('mailbox.unread')}
        </span>
      ) : (
        <span class="kuvert-read-text" safe>
          {tr('mailbox.read')}
        </span>
      )}
      {item.legalNotification ? (
        <span class="badge kuvert-legal-badge" safe>
          {tr('mailbox.legalBadge')}
        </span>
      ) : (
        ''
      )}
    </>
  );
}

/** A table of letters with a checkbox each (when the actor may act on them). */
function LetterTable({
  lang,
  items,
  selectable,
  showFolder,
  folders,
}: {
  lang: Lang;
  items: InboxItem[];
  selectable: boolean;
  showFolder: boolean;
  folders: UserFolder[];
}) {
  const tr = translator(lang);
  return (
    <table class="table table--responsive-headers kuvert-letters">
      <thead>
        <tr>
          {selectable ? (
            <th scope="col">
              <span class="sr-only" safe>
                {tr('mailbox.bulk.legend')}
              </span>
            </th>
          ) : (
            ''
          )}
          <th scope="col" safe>
            {tr('mailbox.col.status')}
          </th>
          <th scope="col" safe>
            {tr('mailbox.col.sender')}
          </th>
          <th scope="col" safe>
            {tr('mailbox.col.label')}
          </th>
          <th scope="col" safe>
            {tr('mailbox.col.date')}
          </th>
          {showFolder ? (
            <th scope="col" safe>
              {tr('mailbox.folder.col')}
            </th>
          ) : (
            ''
          )}
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr class={item.unread ? 'kuvert-unread' : 'kuvert-read'}>
            {selectable ? (
              <td class="kuvert-select">
                <div class="form-group-checkbox">
                  <input class="form-checkbox" type="checkbox" id={`sel-${item.id}`} name="id" value={item.id} />
                  <label for={`sel-${item.id}`}>
                    <span class="sr-only" safe>
                      {tr('mailbox.select', { label: item.label })}
                    </span>
                  </label>
                </div>
              </td>
            ) : (
              ''
            )}
            <td data-title={tr('mailbox.col.status')}>
              <StatusCell lang={lang} item={item} />
            </td>
            <td data-title={tr('mailbox.col.sender')} safe>
              {item.senderName}
            </td>
            <td data-title={tr('mailbox.col.label')}>
              <a href={`/post/${item.id}`} safe>
                {item.label}
              </a>
            </td>
            <td data-title={tr('mailbox.col.date')}>
              <time datetime={isoDate(item.availableAt)} safe>
                {formatDateTime(lang, item.availableAt)}
              </time>
            </td>
            {showFolder ? (
              <td data-title={tr('mailbox.folder.col')} safe>
                {folderName(tr, folderRefOf(item), folders)}
              </td>
            ) : (
              ''
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A folder's letters: newest first, unread letters marked in text (not by colour or weight alone). */
export function InboxView({
  lang,
  page,
  folder,
  nav,
  perms,
  csrfField,
  returnTo,
  notice,
  error,
}: {
  lang: Lang;
  page: InboxPage;
  folder: FolderRef;
  nav: MailboxNav;
  perms: Permissions;
  csrfField: string;
  returnTo: string;
  notice: MessageKey | null;
  error: MessageKey | null;
}) {
  const tr = translator(lang);
  const unread = page.items.filter((item) => item.unread).length;
  const selectable = perms.mayOrganise || perms.mayDelete;
  const heading = folder.kind === 'inbox' ? tr('mailbox.heading') : folderName(tr, folder, nav.folders);
  return (
    <MailboxLayout lang={lang} nav={nav}>
      <div class="kuvert-inbox">
        <h1 safe>{heading}</h1>
        <Notice lang={lang} notice={notice} error={error} />
        {folder.kind === 'trash' ? <p safe>{tr('mailbox.folder.trashHint')}</p> : ''}
        {page.items.length === 0 ? (
          <p safe>
            {page.isContinuation
              ? tr('mailbox.emptyMore')
              : folder.kind === 'inbox'
                ? tr('mailbox.empty')
                : tr('mailbox.folder.emptyFolder')}
          </p>
        ) : (
          <form method="post" action="/post/handling">
            {csrfField as 'safe'}
            <input type="hidden" name="returnTo" value={returnTo} />
            {unread > 0 ? <p safe>{tr('mailbox.unreadCount', { count: unread })}</p> : ''}
            <LetterTable
              lang={lang}
              items={page.items}
              selectable={selectable}
              showFolder={false}
              folders={nav.folders}
            />
            {selectable ? (
              <fieldset class="kuvert-bulk">
                <legend safe>{tr('mailbox.bulk.legend')}</legend>
                <OrganiseControls lang={lang} folder={folder} folders={nav.folders} perms={perms} idPrefix="bulk" />
              </fieldset>
            ) : (
              ''
            )}
          </form>
        )}
        {page.nextBefore || page.isContinuation ? (
          <nav class="kuvert-pagination" aria-label={tr('mailbox.pagination')}>
            {page.isContinuation ? (
              <a href={folderUrl(folder)} safe>
                {tr('mailbox.first')}
              </a>
            ) : (
              ''
            )}
            {page.nextBefore ? (
              <a href={folderUrl(folder, page.nextBefore)} rel="next" safe>
                {tr('mailbox.next')}
              </a>
            ) : (
              ''
            )}
          </nav>
        ) : (
          ''
        )}
      </div>
    </MailboxLayout>
  );
}

export function SearchView({
  lang,
  result,
  nav,
  error,
}: {
  lang: Lang;
  result: SearchResult | null;
  nav: MailboxNav;
  error: MessageKey | null;
}) {
  const tr = translator(lang);
  return (
    <MailboxLayout lang={lang} nav={nav}>
      <div class="kuvert-search-results">
        <h1 safe>{result ? tr('mailbox.search.heading', { query: result.query }) : tr('mailbox.search.title')}</h1>
        <Notice lang={lang} notice={null} error={error} />
        <p class="form-hint" safe>
          {tr('mailbox.search.hint')}
        </p>
        {result && result.items.length === 0 ? (
          <p safe>{result.isContinuation ? tr('mailbox.search.noMore') : tr('mailbox.search.none')}</p>
        ) : (
          ''
        )}
        {result && result.items.length > 0 ? (
          <LetterTable lang={lang} items={result.items} selectable={false} showFolder={true} folders={nav.folders} />
        ) : (
          ''
        )}
        {result && (result.nextBefore || result.isContinuation) ? (
          <nav class="kuvert-pagination" aria-label={tr('mailbox.search.pagination')}>
            {result.isContinuation ? (
              <a href={searchUrl(result.query)} safe>
                {tr('mailbox.search.first')}
              </a>
            ) : (
              ''
            )}
            {result.nextBefore ? (
              <a href={searchUrl(result.query, result.nextBefore)} rel="next" safe>
                {tr('mailbox.search.next')}
              </a>
            ) : (
              ''
            )}
          </nav>
        ) : (
          ''
        )}
        {result?.indexPending ? <p safe>{tr('mailbox.search.pending')}</p> : ''}
      </div>
    </MailboxLayout>
  );
}

export function FoldersView({
  lang,
  nav,
  csrfField,
  notice,
  error,
  value,
}: {
  lang: Lang;
  nav: MailboxNav;
  csrfField: string;
  notice: MessageKey | null;
  error: MessageKey | null;
  value: string;
}) {
  const tr = translator(lang);
  return (
    <MailboxLayout lang={lang} nav={nav}>
      <div class="kuvert-folder-admin">
        <h1 safe>{tr('mailbox.folders.heading')}</h1>
        <Notice lang={lang} notice={notice} error={error} />
        <form method="post" action="/post/mapper" class="kuvert-folder-create">
          {csrfField as 'safe'}
          <div class={error ? 'form-group form-error' : 'form-group'}>
            <label class="form-label" for="folder-name" safe>
              {tr('mailbox.folders.name')}
            </label>
            <div class="kuvert-search-row">
              <input
                class="form-input"
                id="folder-name"
                name="name"
                maxlength="80"
                required
                value={value}
                aria-invalid={error ? 'true' : undefined}
              />
              <button class="button button-primary" type="submit" safe>
                {tr('mailbox.folders.create')}
              </button>
            </div>
          </div>
        </form>
        {nav.folders.length === 0 ? (
          <p safe>{tr('mailbox.folders.none')}</p>
        ) : (
          <>
            <p class="form-hint" safe>
              {tr('mailbox.folders.deleteHint')}
            </p>
            <ul class="unstyled-list kuvert-folder-list">
              {nav.folders.map((f) => (
                <li class="kuvert-folder-item">
                  <form method="post" action={`/post/mapper/${f.id}`}>
                    {csrfField as 'safe'}
                    <label class="form-label" for={`rename-${f.id}`} safe>
                      {tr('mailbox.folders.newName', { name: f.name })}
                    </label>
                    <div class="kuvert-search-row">
                      <input
                        class="form-input"
                        id={`rename-${f.id}`}
                        name="name"
                        maxlength="80"
                        required
                        value={f.name}
                      />
                      <button class="button button-secondary" type="submit" safe>
                        {tr('mailbox.folders.rename')}
                      </button>
                    </div>
                  </form>
                  <form method="post" action={`/post/mapper/${f.id}/slet`}>
                    {csrfField as 'safe'}
                    <button class="button button-tertiary" type="submit" safe>
                      {tr('mailbox.folders.delete', { name: f.name })}
                    </button>
                  </form>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </MailboxLayout>
  );
}

function BackLink({ lang, folder, folders }: { lang: Lang; folder: FolderRef; folders: UserFolder[] }) {
  const tr = translator(lang);
  return (
    <p>
      <a class="back-link" href={folderUrl(folder)}>
        <Icon name="chevron-left" />
        <span safe>
          {folder.kind === 'inbox'
            ? tr('message.back')
            : tr('mailbox.letter.back', { folder: folderName(tr, folder, folders) })}
        </span>
      </a>
    </p>
  );
}

/** Before a legal-notification letter is opened: what opening means, and an explicit button to open it. */
export function LegalNoticeView({
  lang,
  message,
  csrfField,
  folders,
  canSwitch,
}: {
  lang: Lang;
  message: LetterSummary;
  csrfField: string;
  folders: UserFolder[];
  canSwitch: boolean;
}) {
  const tr = translator(lang);
  const folder = folderRefOf(message);
  return (
    <article class="kuvert-message kuvert-legal">
      <OwnerNotice lang={lang} ownerName={message.ownerName} canSwitch={canSwitch} />
      <BackLink lang={lang} folder={folder} folders={folders} />
      <h1 safe>{tr('mailbox.legal.heading')}</h1>
      <dl class="kuvert-meta">
        <dt safe>{tr('message.from')}</dt>
        <dd safe>{message.senderName}</dd>
        <dt safe>{tr('message.received')}</dt>
        <dd>
          <time datetime={isoDate(message.availableAt)} safe>
            {formatDateTime(lang, message.availableAt)}
          </time>
        </dd>
      </dl>
      <div class="alert alert-warning">
        <div class="alert-body">
          <p class="alert-text" safe>
            {tr('mailbox.legal.text', { sender: message.senderName })}
          </p>
        </div>
      </div>
      <form method="post" action={`/post/${message.id}/aabn`} class="kuvert-legal-actions">
        {csrfField as 'safe'}
        <button class="button button-primary" type="submit" safe>
          {tr('mailbox.legal.open')}
        </button>{' '}
        <a class="button button-secondary" href={folderUrl(folder)} safe>
          {tr('mailbox.legal.notNow')}
        </a>
      </form>
    </article>
  );
}

function formatRange(lang: Lang, start: string | Date | null, end: string | Date | null): string {
  if (!start) return '';
  return end ? `${formatDateTime(lang, start)} – ${formatDateTime(lang, end)}` : formatDateTime(lang, start);
}

function ActionView({
  lang,
  messageId,
  action,
  mayAct,
  csrfField,
}: {
  lang: Lang;
  messageId: string;
  action: LetterAction;
  mayAct: boolean;
  csrfField: string;
}) {
  const tr = translator(lang);
  const confirmable = action.code === 'BEKRAEFT' || action.code === 'UNDERSKRIV';
  return (
    <li class="kuvert-action">
      {action.reservation ? (
        <>
          <h3 safe>{action.reservation.abstract || action.label}</h3>
          {action.reservation.description ? <p safe>{action.reservation.description}</p> : ''}
          <dl class="kuvert-meta">
            <dt safe>{tr('mailbox.actions.when')}</dt>
            <dd safe>{formatRange(lang, action.reservation.start, action.reservation.end)}</dd>
            {action.reservation.location ? (
              <>
                <dt safe>{tr('mailbox.actions.where')}</dt>
                <dd safe>{action.reservation.location}</dd>
              </>
            ) : (
              ''
            )}
          </dl>
          <p>
            <a
              class="button button-secondary"
              href={`/post/${messageId}/handlinger/${action.position}/kalender.ics`}
              download="aftale.ics"
            >
              <span safe>{tr('mailbox.actions.calendar')}</span>
            </a>
          </p>
        </>
      ) : confirmable ? (
        action.status === 'done' ? (
          <p>
            <span safe>{action.label}</span>:{' '}
            <strong safe>{tr(`mailbox.actions.done.${action.code}` as MessageKey)}</strong>
          </p>
        ) : mayAct ? (
          <form method="post" action={`/post/${messageId}/handlinger/${action.position}`}>
            {csrfField as 'safe'}
            <button class="button button-primary" type="submit" safe>
              {action.label}
            </button>
          </form>
        ) : (
          <p safe>{action.label}</p>
        )
      ) : action.url ? (
        <p>
          <a class="button button-primary" href={action.url} rel="noopener noreferrer">
            <span safe>{action.label}</span>{' '}
            <span class="sr-only" safe>
              {tr('mailbox.actions.opensExternal')}
            </span>
          </a>
        </p>
      ) : (
        <>
          <p safe>{action.label}</p>
          {action.unsafeUrl ? (
            <p class="form-hint" safe>
              {tr('mailbox.actions.unsafeLink', { url: action.unsafeUrl })}
            </p>
          ) : (
            ''
          )}
        </>
      )}
    </li>
  );
}

/** One letter: who sent it, when, its actions and documents, and what can be done with it. */
export function MessageView({
  lang,
  message,
  folders,
  perms,
  mayAct,
  canSwitch,
  csrfField,
  notice,
  error,
}: {
  lang: Lang;
  message: OpenedMessage;
  folders: UserFolder[];
  perms: Permissions;
  mayAct: boolean;
  canSwitch: boolean;
  csrfField: string;
  notice: MessageKey | null;
  error: MessageKey | null;
}) {
  const tr = translator(lang);
  const folder = folderRefOf(message);
  return (
    <article class="kuvert-message">
      <OwnerNotice lang={lang} ownerName={message.ownerName} canSwitch={canSwitch} />
      <BackLink lang={lang} folder={folder} folders={folders} />
      <h1 safe>{message.label}</h1>
      <Notice lang={lang} notice={notice} error={error} />
      <dl class="kuvert-meta">
        <dt safe>{tr('message.from')}</dt>
        <dd safe>{message.senderName}</dd>
        <dt safe>{tr('message.received')}</dt>
        <dd>
          <time datetime={isoDate(message.availableAt)} safe>
            {formatDateTime(lang, message.availableAt)}
          </time>
        </dd>
        <dt safe>{tr('mailbox.letter.folder')}</dt>
        <dd safe>{folderName(tr, folder, folders)}</dd>
      </dl>
      {message.legalNotification ? (
        <p>
          <span class="badge kuvert-legal-badge" safe>
            {tr('mailbox.legalBadge')}
          </span>
        </p>
      ) : (
        ''
      )}
      {message.notification ? (
        <section class="kuvert-notification">
          <h2 safe>{tr('mailbox.letter.notification')}</h2>
          <p safe>{message.notification}</p>
        </section>
      ) : (
        ''
      )}
      {message.replyable ? (
        <p>
          <a class="button button-primary" href={`/post/${message.id}/svar`} safe>
            {tr('mailbox.letter.reply')}
          </a>
        </p>
      ) : (
        ''
      )}
      {message.actions.length > 0 ? (
        <section class="kuvert-actions">
          <h2 safe>{tr('mailbox.actions.heading')}</h2>
          <ul class="unstyled-list">
            {message.actions.map((action) => (
              <ActionView lang={lang} messageId={message.id} action={action} mayAct={mayAct} csrfField={csrfField} />
            ))}
          </ul>
        </section>
      ) : (
        ''
      )}
      <h2 safe>{tr('message.documents')}</h2>
      {message.documents.map((doc) => {
        const url = documentUrl(message.id, doc.position);
        return (
          <section class="kuvert-document">
            <h3 safe>{doc.title}</h3>
            {doc.mediaType === 'application/pdf' ? (
              <iframe class="kuvert-pdf" src={url} title={tr('message.documentTitle', { title: doc.title })} />
            ) : doc.mediaType === 'text/html' ? (
              <iframe
                class="kuvert-html"
                sandbox=""
                src={url}
                title={tr('mailbox.letter.htmlTitle', { title: doc.title })}
              />
            ) : doc.text !== null ? (
              <pre class="kuvert-text-document" safe>
                {doc.text}
              </pre>
            ) : (
              ''
            )}
            <p class="mt-3">
              <a class="button button-secondary" href={`${url}?download=1`} download={doc.filename}>
                <Icon name="download" />
                <span safe>{tr('message.download', { filename: doc.filename })}</span>
              </a>{' '}
              <span class="form-hint" safe>
                {`(${formatBytes(lang, doc.sizeBytes)})`}
              </span>
            </p>
          </section>
        );
      })}
      {message.documents.length > 1 ? (
        <p>
          <a class="button button-secondary" href={`/post/${message.id}/dokumenter.zip`} download="">
            <Icon name="download" />
            <span safe>{tr('mailbox.letter.downloadAll')}</span>
          </a>
        </p>
      ) : (
        ''
      )}
      {perms.mayOrganise || perms.mayDelete ? (
        <form method="post" action="/post/handling" class="kuvert-letter-organise">
          {csrfField as 'safe'}
          <input type="hidden" name="id" value={message.id} />
          <input type="hidden" name="returnTo" value={`/post/${message.id}`} />
          <fieldset>
            <legend safe>{tr('mailbox.letter.manage')}</legend>
            <OrganiseControls lang={lang} folder={folder} folders={folders} perms={perms} idPrefix="letter" />
          </fieldset>
        </form>
      ) : (
        ''
      )}
    </article>
  );
}
