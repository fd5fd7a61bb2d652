import { PageHeader, Pager } from '../../web/components/index.ts';
import { formatDateTime, formatListDate, isoDate, type Lang, type MessageKey, translator } from '../../web/i18n.ts';
import type { UserFolder } from './folders.ts';
import { isUuid } from './list-inbox.ts';
import { folderName, folderRefOf, MailboxLayout, type MailboxNav, Notice } from './mailbox-layout.views.tsx';
import type { FolderRef } from './mailbox-listing.repository.ts';
import type { SearchFilterInput, SearchResult, SearchResultHit, SnippetPart } from './search.ts';

/** The search filter's `mappe` value as a folder of this mailbox (as /post?mappe=…), or null when it names none. */
export function folderOfParam(value: string, folders: UserFolder[]): FolderRef | null {
  if (value === 'indbakke') return { kind: 'inbox' };
  if (value === 'arkiv') return { kind: 'archive' };
  if (value === 'papirkurv') return { kind: 'trash' };
  if (!isUuid(value)) return null;
  const folder = folders.find((f) => f.id === value.toLowerCase());
  return folder ? { kind: 'user', id: folder.id, name: folder.name } : null;
}

const FILTER_KEYS = ['afsender', 'fra', 'til', 'mappe', 'ulaest', 'handling'] as const;

/** The results page's address: the query, the filters as given, and the page cursor. */
export function searchPageUrl(query: string, filters: SearchFilterInput, before?: string): string {
  const params = new URLSearchParams();
  params.set('q', query);
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  if (before) params.set('before', before);
  return `/post/soeg?${params.toString()}`;
}

/** Text with its matched parts in <mark>; every part escaped. */
function Marked({ parts }: { parts: SnippetPart[] }) {
  return (
    <>
      {parts.map((part) =>
        part.mark ? (
          <mark class="kuvert-search-mark" safe>
            {part.text}
          </mark>
        ) : (
          <span safe>{part.text}</span>
        ),
      )}
    </>
  );
}

function Hit({ lang, hit, folders }: { lang: Lang; hit: SearchResultHit; folders: UserFolder[] }) {
  const tr = translator(lang);
  const senderParts = hit.senderName;
  return (
    <li class={`kuvert-search-hit${hit.unread ? ' is-unread' : ''}`}>
      <a class="kuvert-search-hit-link" href={`/post/${hit.id}`}>
        <span class="kuvert-search-hit-top">
          <span class="kuvert-search-hit-sender" safe>
            {senderParts}
          </span>
          <time
            class="kuvert-search-hit-date"
            datetime={isoDate(hit.availableAt)}
            title={formatDateTime(lang, hit.availableAt)}
            safe
          >
            {formatListDate(lang, hit.availableAt, new Date())}
          </time>
        </span>
        <span class="kuvert-search-hit-subject">
          {hit.unread ? (
            <span class="sr-only" safe>
              {`${tr('mailbox.search.unreadMark')}: `}
            </span>
          ) : (
            ''
          )}
          <Marked parts={hit.labelParts} />
        </span>
        {hit.snippet.length > 0 ? (
          <span class="kuvert-search-hit-snippet">
            <Marked parts={hit.snippet} />
          </span>
        ) : (
          ''
        )}
        <span class="kuvert-search-hit-meta">
          {hit.unread ? (
            <span class="badge badge-info kuvert-unread-badge" safe>
              {tr('mailbox.unread')}
            </span>
          ) : (
            ''
          )}
          {hit.legalNotification ? (
            <span class="badge kuvert-legal-badge" safe>
              {tr('mailbox.legalBadge')}
            </span>
          ) : (
            ''
          )}
          <span class="kuvert-search-hit-folder" safe>
            {tr('mailbox.search.inFolder', { folder: folderName(tr, folderRefOf(hit), folders) })}
          </span>
        </span>
      </a>
    </li>
  );
}

function FilterForm({
  lang,
  query,
  filters,
  senders,
  folders,
  errorField,
}: {
  lang: Lang;
  query: string;
  filters: SearchFilterInput;
  senders: { id: string; name: string }[];
  folders: UserFolder[];
  errorField: string | null;
}) {
  const tr = translator(lang);
  const folderOptions: { value: string; text: string }[] = [
    { value: 'indbakke', text: tr('mailbox.folder.inbox') },
    { value: 'arkiv', text: tr('mailbox.folder.archive') },
    { value: 'papirkurv', text: tr('mailbox.folder.trash') },
    ...folders.map((f) => ({ value: f.id, text: f.name })),
  ];
  const hasFilter = FILTER_KEYS.some((key) => filters[key]);
  const invalid = (field: string) => (errorField === field ? 'true' : undefined);
  const groupClass = (field: string) => `form-group${errorField === field ? ' form-error' : ''}`;
  return (
    <form class="kuvert-search-filters" method="get" action="/post/soeg">
      <input type="hidden" name="q" value={query} />
      <details open={hasFilter || errorField !== null}>
        <summary class="kuvert-search-filters-summary" safe>
          {tr('mailbox.search.filters')}
        </summary>
        <div class="kuvert-search-filters-grid">
          <div class={groupClass('afsender')}>
            <label class="form-label" for="search-sender" safe>
              {tr('mailbox.search.sender')}
            </label>
            <select class="form-select" id="search-sender" name="afsender" aria-invalid={invalid('afsender')}>
              <option value="" safe>
                {tr('mailbox.search.senderAll')}
              </option>
              {senders.map((s) => (
                <option value={s.id} selected={filters.afsender?.toLowerCase() === s.id} safe>
                  {s.name}
                </option>
              ))}
            </select>
          </div>
          <div class={groupClass('mappe')}>
            <label class="form-label" for="search-folder" safe>
              {tr('mailbox.search.folder')}
            </label>
            <select class="form-select" id="search-folder" name="mappe" aria-invalid={invalid('mappe')}>
              <option value="" safe>
                {tr('mailbox.search.folderAll')}
              </option>
              {folderOptions.map((o) => (
                <option value={o.value} selected={filters.mappe === o.value} safe>
                  {o.text}
                </option>
              ))}
            </select>
          </div>
          <div class={groupClass('fra')}>
            <label class="form-label" for="search-from" safe>
              {tr('mailbox.search.from')}
            </label>
            <span class="form-hint" id="search-from-hint" safe>
              {tr('mailbox.search.dateHint')}
            </span>
            <input
              class="form-input"
              type="date"
              id="search-from"
              name="fra"
              value={filters.fra ?? ''}
              aria-describedby="search-from-hint"
              aria-invalid={invalid('fra')}
            />
          </div>
          <div class={groupClass('til')}>
            <label class="form-label" for="search-to" safe>
              {tr('mailbox.search.to')}
            </label>
            <span class="form-hint" id="search-to-hint" safe>
              {tr('mailbox.search.dateHint')}
            </span>
            <input
              class="form-input"
              type="date"
              id="search-to"
              name="til"
              value={filters.til ?? ''}
              aria-describedby="search-to-hint"
              aria-invalid={invalid('til')}
            />
          </div>
        </div>
        <div class="kuvert-search-filters-checks">
          <div class="form-group-checkbox">
            <input
              class="form-checkbox"
              type="checkbox"
              id="search-unread"
              name="ulaest"
              value="1"
              checked={filters.ulaest === '1'}
            />
            <label class="form-label" for="search-unread" safe>
              {tr('mailbox.search.unread')}
            </label>
          </div>
          <div class="form-group-checkbox">
            <input
              class="form-checkbox"
              type="checkbox"
              id="search-action"
              name="handling"
              value="1"
              checked={filters.handling === '1'}
            />
            <label class="form-label" for="search-action" safe>
              {tr('mailbox.search.needsAction')}
            </label>
          </div>
        </div>
        <div class="kuvert-search-filters-buttons">
          <button class="button button-primary" type="submit" safe>
            {tr('mailbox.search.apply')}
          </button>
          {hasFilter ? (
            <a class="button button-tertiary" href={searchPageUrl(query, {})} safe>
              {tr('mailbox.search.clear')}
            </a>
          ) : (
            ''
          )}
        </div>
      </details>
    </form>
  );
}

export function SearchView({
  lang,
  query,
  result,
  nav,
  error,
  errorField,
  filters,
  senders,
}: {
  lang: Lang;
  query: string;
  result: SearchResult | null;
  nav: MailboxNav;
  error: MessageKey | null;
  errorField: string | null;
  filters: SearchFilterInput;
  senders: { id: string; name: string }[];
}) {
  const tr = translator(lang);
  const count = result?.items.length ?? 0;
  return (
    <MailboxLayout lang={lang} nav={nav}>
      <div class="kuvert-search-results">
        <PageHeader title={query ? tr('mailbox.search.heading', { query }) : tr('mailbox.search.title')} />
        <Notice lang={lang} notice={null} error={error} />
        <p class="form-hint" safe>
          {tr('mailbox.search.hint')}
        </p>
        {query ? (
          <FilterForm
            lang={lang}
            query={query}
            filters={filters}
            senders={senders}
            folders={nav.folders}
            errorField={errorField}
          />
        ) : (
          ''
        )}
        {result && count === 0 ? (
          <p safe>{result.isContinuation ? tr('mailbox.search.noMore') : tr('mailbox.search.none')}</p>
        ) : (
          ''
        )}
        {result && count > 0 ? (
          <>
            <p class="kuvert-search-count" role="status" safe>
              {count === 1 ? tr('mailbox.search.countOne') : tr('mailbox.search.count', { count: String(count) })}
            </p>
            <ol class="kuvert-search-hits no-max-width">
              {result.items.map((hit) => (
                <Hit lang={lang} hit={hit} folders={nav.folders} />
              ))}
            </ol>
          </>
        ) : (
          ''
        )}
        {result ? (
          <Pager
            label={tr('mailbox.search.pagination')}
            first={
              result.isContinuation
                ? { href: searchPageUrl(result.query, filters), text: tr('mailbox.search.first') }
                : null
            }
            next={
              result.nextBefore
                ? { href: searchPageUrl(result.query, filters, result.nextBefore), text: tr('mailbox.search.next') }
                : null
            }
          />
        ) : (
          ''
        )}
        {result?.indexPending ? <p safe>{tr('mailbox.search.pending')}</p> : ''}
      </div>
    </MailboxLayout>
  );
}
