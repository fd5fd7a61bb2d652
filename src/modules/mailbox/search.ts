import type { Db } from '../../db/database.ts';
import { AppError } from '../../http/problem.ts';
import { enqueue } from '../../jobs/queue.ts';
import type { Services } from '../../services.ts';
import type { DocumentStore } from '../messages/document-store.ts';
import { htmlToText } from './html-document.ts';
import {
  type InboxItem,
  listUnindexedTextDocuments,
  searchMailboxRows,
  storeDocumentText,
} from './mailbox.repository.ts';

export const SEARCH_LIMIT = 50;
export const MAX_QUERY_LENGTH = 200;
/** Text documents larger than this are not searched (PostgreSQL's tsvector holds at most 1 MB). */
export const MAX_INDEXED_BYTES = 512 * 1024;
/** Text documents indexed on the spot per search; a bigger backlog is left to the mailbox.index-text job. */
const INDEX_ON_SEARCH = 50;

export interface SearchResult {
  query: string;
  items: InboxItem[];
  /** More matches than shown: the recipient should narrow the search. */
  truncated: boolean;
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

/**
 * Full-text search in one mailbox (the caller has checked the actor may 'list' it). Nothing is added to the sending
 * path: label, sender and notification are matched on the fly; text documents are indexed lazily here (and by a job
 * when there are many).
 */
export async function searchMailbox(services: Services, mailboxId: string, rawQuery: string): Promise<SearchResult> {
  const query = rawQuery.replace(/\s+/g, ' ').trim();
  if (query.length === 0) throw new AppError(400, 'search_query_missing', 'Type what to search for.', 'q');
  if (query.length > MAX_QUERY_LENGTH) {
    throw new AppError(400, 'search_query_too_long', `Search for at most ${MAX_QUERY_LENGTH} characters.`, 'q');
  }
  const startedAt = Date.now();
  const known = fullyIndexedAt.get(mailboxId);
  const since = known === undefined ? undefined : new Date(known - RECHECK_MARGIN_MS);
  const more = await indexMailboxTexts(services.db, services.documents, mailboxId, INDEX_ON_SEARCH, since);
  // Nothing left unindexed (older letters were covered by the earlier mark): the mark moves to this search.
  if (!more) rememberFullyIndexed(mailboxId, startedAt);
  if (more) {
    await enqueue(services.db, 'mailbox.index-text', { mailboxId }, { jobKey: `mailbox.index-text:${mailboxId}` });
  }
  const rows = await searchMailboxRows(services.db, mailboxId, query, SEARCH_LIMIT);
  return { query, items: rows.slice(0, SEARCH_LIMIT), truncated: rows.length > SEARCH_LIMIT, indexPending: more };
}
