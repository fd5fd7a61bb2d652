import { PageHeader, Pager } from '../../web/components/index.ts';
import { type Lang, type MessageKey, translator } from '../../web/i18n.ts';
import { Icon } from '../../web/icon.tsx';
import type { UserFolder } from './folders.ts';
import { LetterList } from './letter-list.views.tsx';
import { type InboxPage, type ListingView, sortParam } from './list-inbox.ts';
import {
  folderName,
  folderParam,
  folderUrl,
  MailboxLayout,
  type MailboxNav,
  Notice,
  type Permissions,
} from './mailbox-layout.views.tsx';
import type { FolderRef, ListingSort, MailboxSender } from './mailbox-listing.repository.ts';

/** The buttons acting on selected letters (a list page) or one letter (its page); a plain form, no JavaScript. */
export function OrganiseControls({
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

/** Sort by date or sender, and show one sender's letters: a GET form, so the choice is in the address. */
function ListingOptions({
  lang,
  folder,
  view,
  senders,
}: {
  lang: Lang;
  folder: FolderRef;
  view: ListingView;
  senders: MailboxSender[];
}) {
  const tr = translator(lang);
  const folderValue = folderParam(folder);
  const sorts: [ListingSort, MessageKey][] = [
    ['newest', 'mailbox.sort.newest'],
    ['oldest', 'mailbox.sort.oldest'],
    ['sender', 'mailbox.sort.sender'],
  ];
  const active = view.sort !== 'newest' || view.senderId !== undefined;
  return (
    <details class="kuvert-listing-options" open={active}>
      <summary>
        <Icon name="tune" />
        <span safe>{tr('mailbox.filter.summary')}</span>
      </summary>
      <form method="get" action="/post" class="kuvert-listing-form">
        {folderValue ? <input type="hidden" name="mappe" value={folderValue} /> : ''}
        <div class="kuvert-listing-field">
          <label class="form-label" for="listing-sort" safe>
            {tr('mailbox.sort.label')}
          </label>
          <select class="form-select" id="listing-sort" name="sorter">
            {sorts.map(([sort, key]) => (
              <option value={sortParam(sort)} selected={view.sort === sort} safe>
                {tr(key)}
              </option>
            ))}
          </select>
        </div>
        <div class="kuvert-listing-field">
          <label class="form-label" for="listing-sender" safe>
            {tr('mailbox.filter.sender')}
          </label>
          <select class="form-select" id="listing-sender" name="afsender">
            <option value="" safe>
              {tr('mailbox.filter.allSenders')}
            </option>
            {senders.map((sender) => (
              <option value={sender.id} selected={view.senderId === sender.id} safe>
                {sender.name}
              </option>
            ))}
          </select>
        </div>
        <button class="button button-secondary" type="submit" safe>
          {tr('mailbox.filter.apply')}
        </button>
      </form>
    </details>
  );
}

/**
 * A folder's letters as a list, newest first unless sorted otherwise. The actions on ticked letters sit above the
 * list (shown once a box is ticked, where the browser can tell: CSS :has()); "select all" is a link that shows the page
 * with every box ticked, so none of it needs JavaScript.
 */
export function InboxView({
  lang,
  page,
  folder,
  view,
  senders,
  allChecked,
  before,
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
  view: ListingView;
  senders: MailboxSender[];
  allChecked: boolean;
  /** The page's cursor (none on the first page). */
  before: string | undefined;
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
  const filteredBy = view.senderId ? senders.find((s) => s.id === view.senderId) : undefined;
  return (
    <MailboxLayout lang={lang} nav={nav}>
      <div class="kuvert-inbox">
        <div class="kuvert-inbox-head">
          <PageHeader title={heading} />
          {unread > 0 ? (
            <p class="kuvert-unread-count" safe>
              {tr('mailbox.unreadCount', { count: unread })}
            </p>
          ) : (
            ''
          )}
        </div>
        <Notice lang={lang} notice={notice} error={error} />
        {folder.kind === 'trash' ? <p safe>{tr('mailbox.folder.trashHint')}</p> : ''}
        <ListingOptions lang={lang} folder={folder} view={view} senders={senders} />
        {filteredBy ? (
          <p class="kuvert-filter-active">
            <span safe>{tr('mailbox.filter.active', { sender: filteredBy.name })}</span>{' '}
            <a href={folderUrl(folder, undefined, { sort: view.sort, senderId: undefined })} safe>
              {tr('mailbox.filter.clear')}
            </a>
          </p>
        ) : (
          ''
        )}
        {page.items.length === 0 ? (
          <p safe>
            {page.isContinuation
              ? tr('mailbox.emptyMore')
              : view.senderId
                ? tr('mailbox.filter.none')
                : folder.kind === 'inbox'
                  ? tr('mailbox.empty')
                  : tr('mailbox.folder.emptyFolder')}
          </p>
        ) : (
          <form method="post" action="/post/handling" class="kuvert-letters-form">
            {csrfField as 'safe'}
            <input type="hidden" name="returnTo" value={returnTo} />
            {selectable ? (
              <div class="kuvert-list-tools">
                <a
                  class="function-link kuvert-select-all"
                  href={folderUrl(folder, before, view, allChecked ? {} : { vaelg: 'alle' })}
                  safe
                >
                  {allChecked ? tr('mailbox.list.selectNone') : tr('mailbox.list.selectAll')}
                </a>
                <fieldset class="kuvert-bulk">
                  <legend class="sr-only" safe>
                    {tr('mailbox.bulk.legend')}
                  </legend>
                  <OrganiseControls lang={lang} folder={folder} folders={nav.folders} perms={perms} idPrefix="bulk" />
                </fieldset>
              </div>
            ) : (
              ''
            )}
            <LetterList
              lang={lang}
              items={page.items}
              selectable={selectable}
              showFolder={false}
              folders={nav.folders}
              checked={allChecked}
            />
          </form>
        )}
        <Pager
          label={tr('mailbox.pagination')}
          first={page.isContinuation ? { href: folderUrl(folder, undefined, view), text: tr('mailbox.first') } : null}
          next={
            page.nextBefore
              ? {
                  href: folderUrl(folder, page.nextBefore, view),
                  text: tr(view.sort && view.sort !== 'newest' ? 'mailbox.nextPage' : 'mailbox.next'),
                }
              : null
          }
        />
      </div>
    </MailboxLayout>
  );
}
