import { AppError } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import { type FolderRef, type InboxItem, listFolderPage } from './mailbox.repository.ts';

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

/**
 * One page of a folder of a mailbox (default the Inbox), newest first. The cursor is the id of the last letter
 * shown. The caller has checked the actor may 'list' this mailbox.
 */
export async function listInbox(
  services: Services,
  options: { recipientId: string; folder?: FolderRef; before?: string | undefined; pageSize?: number },
): Promise<InboxPage> {
  const pageSize = options.pageSize ?? INBOX_PAGE_SIZE;
  if (options.before !== undefined && !isUuid(options.before)) {
    throw new AppError(400, 'invalid_cursor', 'The page cursor is not valid.', 'before');
  }
  const rows = await listFolderPage(services.db, options.recipientId, options.folder ?? { kind: 'inbox' }, {
    before: options.before?.toLowerCase(),
    limit: pageSize,
  });
  const items = rows.slice(0, pageSize);
  const hasMore = rows.length > pageSize;
  return {
    items,
    nextBefore: hasMore ? (items.at(-1)?.id ?? null) : null,
    isContinuation: options.before !== undefined,
  };
}
