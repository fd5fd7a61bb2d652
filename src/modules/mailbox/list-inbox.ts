import { AppError } from '../../http/problem.ts';
import type { InboxItem } from './mailbox-listing.repository.ts';

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
