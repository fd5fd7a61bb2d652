import type { Db } from '../../db/database.ts';
import type { DocumentStore } from '../../documents/document-store.ts';
import { looksLikeCpr } from '../../http/input.ts';
import { AppError } from '../../http/problem.ts';
import { enqueue } from '../../jobs/queue.ts';
import type { Services } from '../../services.ts';
import { extractDocumentText } from './document-text.ts';
import { isUuid } from './list-inbox.ts';
import { type FolderRef, isMailboxLetter } from './mailbox-listing.repository.ts';
import {
  hasPendingLetters,
  listMailboxSenders,
  listUnextractedDocuments,
  refreshPendingLetters,
  type SearchFilters,
  type SearchHit,
  searchHits,
  searchPrefixes,
  searchWords,
  storeDocumentText,
} from './search.repository.ts';

/** Hits per page of search results. */
export const SEARCH_LIMIT = 50;
export const MAX_QUERY_LENGTH = 200;
/** Documents read on the spot per search of a mailbox with letters waiting for their text; the rest is the job's. */
const EXTRACT_ON_SEARCH = 5;

/** One piece of a snippet: text, marked when it is a match. */
export interface SnippetPart {
  text: string;
  mark: boolean;
}

export interface SearchResultHit extends SearchHit {
  /** The text around the first match (notification or document), the matches marked; empty when only the subject or sender matched. */
  snippet: SnippetPart[];
  /** The subject with its matches marked. */
  labelParts: SnippetPart[];
}

export interface SearchResult {
  query: string;
  items: SearchResultHit[];
  /** The cursor for the next page of hits (the id of the last hit shown), or null on the last page. */
  nextBefore: string | null;
  /** True when this is not the first page. */
  isContinuation: boolean;
  /** Some documents' text was not extracted yet (the job is on it). */
  indexPending: boolean;
}

/** The filters as the page's form gives them (GET parameters, all optional text). */
export interface SearchFilterInput {
  afsender?: string | undefined;
  fra?: string | undefined;
  til?: string | undefined;
  mappe?: string | undefined;
  ulaest?: string | undefined;
  handling?: string | undefined;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** A yyyy-mm-dd date as the instant its day starts in Denmark, or null when it is no date. */
function danishDayStart(value: string): Date | null {
  if (!DATE_RE.test(value)) return null;
  const noonUtc = new Date(`${value}T12:00:00Z`);
  if (Number.isNaN(noonUtc.getTime()) || noonUtc.toISOString().slice(0, 10) !== value) return null;
  const offsetHours = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Copenhagen',
    hour: '2-digit',
    hourCycle: 'h23',
  })
    .format(noonUtc)
    .slice(0, 2);
  const offset = Number(offsetHours) - 12;
  return new Date(Date.parse(`${value}T00:00:00Z`) - offset * 3600_000);
}

/**
 * The filters checked: a sender id (uuid), dates as yyyy-mm-dd (from not after to), a folder as the listing's
 * `mappe` parameter gives it (resolved by the caller), and the two check boxes ('1'). 400 search_filter_invalid on
 * anything else, the field named.
 */
export function parseSearchFilters(
  input: SearchFilterInput,
  resolveFolder: (value: string) => FolderRef | null,
): SearchFilters {
  const invalid = (field: string) =>
    new AppError(400, 'search_filter_invalid', `The search filter ${field} is not valid.`, field);
  const filters: SearchFilters = {};
  if (input.afsender) {
    if (!isUuid(input.afsender)) throw invalid('afsender');
    filters.senderId = input.afsender.toLowerCase();
  }
  if (input.fra) {
    const from = danishDayStart(input.fra);
    if (!from) throw invalid('fra');
    filters.from = from;
  }
  if (input.til) {
    const to = danishDayStart(input.til);
    if (!to) throw invalid('til');
    // Up to and including the day: before the next day starts.
    const next = new Date(Date.parse(`${input.til}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    filters.until = danishDayStart(next) ?? undefined;
  }
  if (filters.from && filters.until && filters.from >= filters.until) throw invalid('til');
  if (input.mappe) {
    const folder = resolveFolder(input.mappe);
    if (!folder) throw invalid('mappe');
    filters.folder = folder;
  }
  for (const [key, value] of [
    ['ulaest', input.ulaest],
    ['handling', input.handling],
  ] as const) {
    if (value !== undefined && value !== '' && value !== '1') throw invalid(key);
  }
  if (input.ulaest === '1') filters.unreadOnly = true;
  if (input.handling === '1') filters.needsAction = true;
  return filters;
}

/**
 * Extracts the text of up to `limit` documents of letters waiting for it (of one mailbox, or of any), once per
 * content, then brings those letters' search data up to date. Returns whether letters still wait.
 */
export async function extractPendingTexts(
  db: Db,
  documents: DocumentStore,
  limit: number,
  mailboxId?: string,
): Promise<boolean> {
  const pending = await listUnextractedDocuments(db, limit, mailboxId);
  for (const doc of pending) {
    let bytes: Buffer | null = null;
    try {
      bytes = await documents.get(doc.sha256);
    } catch {
      bytes = null;
    }
    const text = bytes ? await extractDocumentText(doc.media_type, bytes) : '';
    await storeDocumentText(db, doc.sha256, text);
  }
  await refreshPendingLetters(db, limit * 50, mailboxId);
  return hasPendingLetters(db, mailboxId);
}

/** The query as searched: whitespace collapsed; 400 when it is empty, too long or holds a CPR number. */
export function checkQuery(rawQuery: string): string {
  const query = rawQuery.replace(/\s+/g, ' ').trim();
  if (looksLikeCpr(query)) {
    throw new AppError(400, 'cpr_not_allowed', 'Do not search for CPR numbers.', 'q');
  }
  if (query.length === 0) throw new AppError(400, 'search_query_missing', 'Type what to search for.', 'q');
  if (query.length > MAX_QUERY_LENGTH) {
    throw new AppError(400, 'search_query_too_long', `Search for at most ${MAX_QUERY_LENGTH} characters.`, 'q');
  }
  return query;
}

/**
 * Search in one mailbox (the caller has checked the actor may 'list' it): the letters whose sender, subject,
 * notification or document text holds every word of the query as a word or a part of one, best first, a page at a
 * time (`before`: the id of the last hit shown). Letters still waiting for their document text get it here for a
 * few documents, and the job is asked for the rest. A query with a CPR number is refused (cpr_not_allowed), as is a
 * cursor that is not a letter of this mailbox (invalid_cursor).
 */
export async function searchMailbox(
  services: Services,
  mailboxId: string,
  rawQuery: string,
  filters: SearchFilters,
  /** scope: a folder-scoped grant's folders (MailboxAccess.folderIds): only letters there are found. */
  options: {
    before?: string | undefined;
    scope?: readonly string[] | null;
    /** Where the hits are read (a lag-tolerant read's database); the primary when texts were extracted just now. */
    reader?: Db;
  } = {},
): Promise<SearchResult> {
  const query = checkQuery(rawQuery);
  const before = options.before;
  if (before !== undefined && !isUuid(before)) {
    throw new AppError(400, 'invalid_cursor', 'The page cursor is not valid.', 'before');
  }
  const cursor = before?.toLowerCase();
  let indexPending = false;
  let reader = options.reader ?? services.db;
  if (await hasPendingLetters(services.db, mailboxId)) {
    // The texts extracted here are on the primary only, for now.
    reader = services.db;
    indexPending = await extractPendingTexts(services.db, services.documents, EXTRACT_ON_SEARCH, mailboxId);
    if (indexPending) {
      await enqueue(services.db, 'mailbox.index-text', {}, { jobKey: 'mailbox.index-text' });
    }
  }
  const typed = searchWords(query);
  const prefixes = await searchPrefixes(reader, typed);
  // Marked: the words as typed where the text has them whole, else the prefixes searched (longest match first).
  const words = [...new Set([...typed.filter((w) => prefixes.some((p) => w.startsWith(p))), ...prefixes])];
  const rows = await searchHits(reader, mailboxId, prefixes, filters, {
    limit: SEARCH_LIMIT,
    before: cursor,
    now: new Date(),
    scope: options.scope ?? null,
  });
  // No hits after a cursor: either the last page was full, or the cursor names no letter of this mailbox.
  if (cursor !== undefined && rows.length === 0 && !(await isMailboxLetter(reader, mailboxId, cursor))) {
    throw new AppError(400, 'invalid_cursor', 'The page cursor is not valid.', 'before');
  }
  const items = rows.slice(0, SEARCH_LIMIT).map((hit) => withSnippet(hit, words));
  return {
    query,
    items,
    nextBefore: rows.length > SEARCH_LIMIT ? (items.at(-1)?.id ?? null) : null,
    isContinuation: cursor !== undefined,
    indexPending,
  };
}

export { listMailboxSenders };

const SNIPPET_CHARS = 200;

/** The text split into parts, every (case-insensitive) occurrence of a word marked. */
export function markMatches(text: string, words: string[]): SnippetPart[] {
  if (words.length === 0 || text === '') return text === '' ? [] : [{ text, mark: false }];
  const folded = text.toLocaleLowerCase('da');
  // Lower-casing keeps the length for the letters searched (Danish and Latin), so positions map back; if not, no marks.
  if (folded.length !== text.length) return [{ text, mark: false }];
  const parts: SnippetPart[] = [];
  let at = 0;
  let plainFrom = 0;
  while (at < folded.length) {
    let matched = 0;
    for (const word of words) {
      if (word.length > matched && folded.startsWith(word, at)) matched = word.length;
    }
    if (matched > 0) {
      if (at > plainFrom) parts.push({ text: text.slice(plainFrom, at), mark: false });
      parts.push({ text: text.slice(at, at + matched), mark: true });
      at += matched;
      plainFrom = at;
    } else {
      at++;
    }
  }
  if (plainFrom < text.length) parts.push({ text: text.slice(plainFrom), mark: false });
  return parts;
}

/** About SNIPPET_CHARS of `text` around the first match, cut at word boundaries, with … where it was cut. */
export function snippetAround(text: string, words: string[]): string | null {
  const folded = text.toLocaleLowerCase('da');
  let first = -1;
  for (const word of words) {
    const at = folded.indexOf(word);
    if (at >= 0 && (first < 0 || at < first)) first = at;
  }
  if (first < 0) return null;
  let start = Math.max(0, first - 60);
  let end = Math.min(text.length, start + SNIPPET_CHARS);
  if (start > 0) {
    const space = text.indexOf(' ', start);
    if (space >= 0 && space < first) start = space + 1;
  }
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    if (space > first) end = space;
  }
  return `${start > 0 ? '… ' : ''}${text.slice(start, end).trim()}${end < text.length ? ' …' : ''}`;
}

function withSnippet(hit: SearchHit, words: string[]): SearchResultHit {
  const source =
    (hit.notification ? snippetAround(hit.notification.replace(/\s+/g, ' '), words) : null) ??
    (hit.documentExcerpt ? snippetAround(hit.documentExcerpt.replace(/\s+/g, ' '), words) : null);
  return { ...hit, snippet: source ? markMatches(source, words) : [], labelParts: markMatches(hit.label, words) };
}
