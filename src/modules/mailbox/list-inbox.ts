import { AppError } from '../../http/problem.ts';
import type { InboxItem, ListingSort } from './mailbox-listing.repository.ts';

export const INBOX_PAGE_SIZE = 20;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string) => UUID_RE.test(value);

export interface InboxPage {
  items: InboxItem[];
  /** The cursor for the next (older) page, or null on the last page. */
  nextBefore: string | null;
  /** True when this is not the first page. */
  isContinuation: boolean;
}

/** The cursor as the listing queries take it (lower case); 400 invalid_cursor when it is not a letter id. */
export function pageCursor(before: string | undefined): string | undefined {
  if (before !== undefined && !isUuid(before)) {
    throw new AppError(400, 'invalid_cursor', 'The page cursor is not valid.', 'before');
  }
  return before?.toLowerCase();
}

/** A page from the up to `pageSize + 1` rows a listing query returned for it. */
export function toInboxPage(rows: InboxItem[], pageSize: number, before: string | undefined): InboxPage {
  const items = rows.slice(0, pageSize);
  const hasMore = rows.length > pageSize;
  return {
    items,
    nextBefore: hasMore ? (items.at(-1)?.id ?? null) : null,
    isContinuation: before !== undefined,
  };
}

/** ?sorter=… as the listing's order: aeldste (oldest first), afsender (by sender), else newest first. */
export const SORT_PARAMS: Record<string, ListingSort> = { nyeste: 'newest', aeldste: 'oldest', afsender: 'sender' };
export const sortParam = (sort: ListingSort): string =>
  Object.entries(SORT_PARAMS).find(([, value]) => value === sort)?.[0] ?? 'nyeste';

/** How a folder page is shown: its order and sender filter (from ?sorter= and ?afsender=). */
export interface ListingView {
  sort: ListingSort;
  senderId: string | undefined;
}

/**
 * The listing's order and sender filter from the address: an order it does not know and a sender that is not an id
 * are ignored (the page shows newest first, all senders) rather than refused: they come from edited or old links.
 */
export function parseListingView(sorter: string | undefined, afsender: string | undefined): ListingView {
  return {
    sort: sorter && Object.hasOwn(SORT_PARAMS, sorter) ? (SORT_PARAMS[sorter] as ListingSort) : 'newest',
    senderId: afsender && isUuid(afsender) ? afsender.toLowerCase() : undefined,
  };
}
