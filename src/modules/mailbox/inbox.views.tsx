import { PageHeader, Pager } from '../../web/components/index.ts';
import { formatDateTime, isoDate, type Lang, type MessageKey, translator } from '../../web/i18n.ts';
import type { UserFolder } from './folders.ts';
import type { InboxPage } from './list-inbox.ts';
import {
  folderName,
  folderParam,
  folderRefOf,
  folderUrl,
  MailboxLayout,
  type MailboxNav,
  Notice,
  type Permissions,
} from './mailbox-layout.views.tsx';
import type { FolderRef, InboxItem } from './mailbox-listing.repository.ts';

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
        <PageHeader title={heading} />
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
        <Pager
          label={tr('mailbox.pagination')}
          first={page.isContinuation ? { href: folderUrl(folder), text: tr('mailbox.first') } : null}
          next={page.nextBefore ? { href: folderUrl(folder, page.nextBefore), text: tr('mailbox.next') } : null}
        />
      </div>
    </MailboxLayout>
  );
}
