import type { Db } from '../../db/database.ts';
import type { DocumentStore } from '../../documents/document-store.ts';
import { looksLikeCpr } from '../../http/input.ts';
import { AppError } from '../../http/problem.ts';
import { enqueue } from '../../jobs/queue.ts';
import type { Services } from '../../services.ts';
import { htmlToText } from './html-document.ts';
import { isUuid } from './list-inbox.ts';
import {
  type InboxItem,
  isMailboxLetter,
  listUnindexedTextDocuments,
  storeDocumentText,
} from './mailbox-listing.repository.ts';

/** Hits per page of search results. */
export const SEARCH_LIMIT = 50;
export const MAX_QUERY_LENGTH = 200;
/** Text documents larger than this are not searched (PostgreSQL's tsvector holds at most 1 MB). */
export const MAX_INDEXED_BYTES = 512 * 1024;
/** Text documents indexed on the spot per search; a bigger backlog is left to the mailbox.index-text job. */
const INDEX_ON_SEARCH = 50;

export interface SearchResult {
  query: string;
  items: InboxItem[];
  /** The cursor for the next page of hits (the id of the last hit shown), or null on the last page. */
  nextBefore: string | null;
  /** True when this is not the first page. */
  isContinuation: boolean;
  /** Some text documents were not indexed yet (the job is on it). */
  indexPending: boolean;
}

/**
 * Indexes up to `limit` not yet indexed text documents of a mailbox (their text as a Danish tsvector, by content
 * hash, so a document sent to many is indexed once). Returns whether more remain.
 */
export async function indexMailboxTexts(
  db: Db,
  documents: DocumentStore,
  mailboxId: string,
  limit: number,
  since?: Date,
) {
  const pending = await listUnindexedTextDocuments(db, mailboxId, MAX_INDEXED_BYTES, limit + 1, since);
  for (const doc of pending.slice(0, limit)) {
    const raw = (await documents.get(doc.sha256)).toString('utf8');
    const text = doc.media_type === 'text/html' ? htmlToText(raw) : raw;
    await storeDocumentText(db, doc.sha256, text);
  }
  return pending.length > limit;
}

/**
 * Per process, for mailboxes searched lately: the time of a search that found every text document indexed. Later
 * searches look for unindexed documents only among letters that arrived since then (less a margin for clock skew
 * and slow delivery transactions), an index range of a few rows, instead of scanning the whole mailbox (tens of ms
 * for a big one). Letters only ever arrive with available_at = the time of delivery, so nothing older is missed.
 */
const fullyIndexedAt = new Map<string, number>();
const RECHECK_MARGIN_MS = 10 * 60 * 1000;
const MAX_REMEMBERED_MAILBOXES = 100_000;

function rememberFullyIndexed(mailboxId: string, at: number): void {
  fullyIndexedAt.delete(mailboxId);
  fullyIndexedAt.set(mailboxId, at);
  if (fullyIndexedAt.size > MAX_REMEMBERED_MAILBOXES) {
    const oldest = fullyIndexedAt.keys().next().value;
    if (oldest !== undefined) fullyIndexedAt.delete(oldest);
  }
}

/** A search checked and ready to run: its query as searched, its cursor, and whether indexing is still pending. */
export interface PreparedSearch {
  query: string;
  cursor: string | undefined;
  indexPending: boolean;
}

/**
 * Full-text search in one mailbox (the caller has checked the actor may 'list' it), a page of hits at a time: newest
 * first, the cursor `before` being the id of the last hit shown (as in the folder listings; no OFFSET, so a page
 * neither repeats nor skips hits when letters arrive meanwhile). Nothing is added to the sending path: label, sender
 * and notification are matched on the fly; text documents are indexed lazily here (and by a job when there are many).
 * A query holding a CPR number is refused before anything is searched (code cpr_not_allowed); a cursor that is not
 * a letter of this mailbox is refused (invalid_cursor).
 *
 * In two steps around the hits, so the page can read them in the statement that reads its navigation: prepareSearch
 * (these checks, the indexing; it throws the 400s), then the hits (loadMailboxNav's `listing` with `search`, the
 * statement of searchMailboxRows), then searchResult (the cursor check, the page).
 */
export async function prepareSearch(
  services: Services,
  mailboxId: string,
  rawQuery: string,
  options: { before?: string | undefined } = {},
): Promise<PreparedSearch> {
  const query = rawQuery.replace(/\s+/g, ' ').trim();
  if (looksLikeCpr(query)) {
    throw new AppError(400, 'cpr_not_allowed', 'Do not search for CPR numbers.', 'q');
  }
  if (query.length === 0) throw new AppError(400, 'search_query_missing', 'Type what to search for.', 'q');
  if (query.length > MAX_QUERY_LENGTH) {
    throw new AppError(400, 'search_query_too_long', `Search for at most ${MAX_QUERY_LENGTH} characters.`, 'q');
  }
  const before = options.before;
  if (before !== undefined && !isUuid(before)) {
    throw new AppError(400, 'invalid_cursor', 'The page cursor is not valid.', 'before');
  }
  const cursor = before?.toLowerCase();
  const startedAt = Date.now();
  const known = fullyIndexedAt.get(mailboxId);
  const since = known === undefined ? undefined : new Date(known - RECHECK_MARGIN_MS);
  const more = await indexMailboxTexts(services.db, services.documents, mailboxId, INDEX_ON_SEARCH, since);
  // Nothing left unindexed (older letters were covered by the earlier mark): the mark moves to this search.
  if (!more) rememberFullyIndexed(mailboxId, startedAt);
  if (more) {
    await enqueue(services.db, 'mailbox.index-text', { mailboxId }, { jobKey: `mailbox.index-text:${mailboxId}` });
  }
  return { query, cursor, indexPending: more };
}

/** The page of results from the hits (up to SEARCH_LIMIT + 1 rows) of a prepared search. */
export async function searchResult(
  services: Services,
  mailboxId: string,
  prepared: PreparedSearch,
  rows: InboxItem[],
): Promise<SearchResult> {
  const { cursor } = prepared;
  // No hits after a cursor: either the last page was full, or the cursor names no letter of this mailbox.
  if (cursor !== undefined && rows.length === 0 && !(await isMailboxLetter(services.db, mailboxId, cursor))) {
    throw new AppError(400, 'invalid_cursor', 'The page cursor is not valid.', 'before');
  }
  const items = rows.slice(0, SEARCH_LIMIT);
  return {
    query: prepared.query,
    items,
    nextBefore: rows.length > SEARCH_LIMIT ? (items.at(-1)?.id ?? null) : null,
    isContinuation: cursor !== undefined,
    indexPending: prepared.indexPending,
  };
}
