import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { MailboxFolderKind } from './mailbox.tables.ts';
import { cuesSql, type FolderRef, type InboxItem } from './mailbox-listing.repository.ts';
import { scopeSql } from './mailbox-scope.ts';

/** What a search is narrowed to, besides its words (all optional). */
export interface SearchFilters {
  senderId?: string | undefined;
  /** Letters that arrived at or after this instant. */
  from?: Date | undefined;
  /** Letters that arrived before this instant. */
  until?: Date | undefined;
  folder?: FolderRef | undefined;
  unreadOnly?: boolean | undefined;
  /**
   * Letters that need action: a confirmation or signature not given yet, or an action (appointment, payment ...) whose
   * end is still ahead.
   */
  needsAction?: boolean | undefined;
}

/**
 * How many of the newest matching letters are ranked (best first) and paged through. Ranking reads each match's
 * search data, so without a bound a word in every letter of a 100,000-letter mailbox would rank them all (seconds);
 * with it, a search costs about the same in a big mailbox as in a small one. Older matches are reached with the
 * period filter.
 */
export const RANKED_CANDIDATES = 500;

/** How many of a mailbox's newest letters a search reads in order before it turns to the GIN index. */
export const SEARCH_WINDOW = 5000;

async function hasLettersBeyond(db: Db, mailboxId: string, count: number): Promise<boolean> {
  const result = await sql<{ beyond: boolean }>`
    select exists (select 1 from mailbox_search where mailbox_id = ${mailboxId} offset ${count}) as beyond`.execute(db);
  return result.rows[0]?.beyond === true;
}

/** A search hit: the listing line plus the text a snippet is cut from. */
export interface SearchHit extends InboxItem {
  rank: number;
  notification: string | null;
  /** About 300 characters of document text around the first match, or null when no document text matched. */
  documentExcerpt: string | null;
}

interface HitRow {
  candidate_count: string;
  beyond_window: boolean;
  id: string;
  label: string;
  sender_name: string;
  available_at: Date;
  first_read_at: Date | null;
  legal_notification: boolean;
  item_unread: boolean | null;
  item_folder: MailboxFolderKind | null;
  item_folder_id: string | null;
  rank: number;
  notification: string | null;
  document_excerpt: string | null;
  preview: string | null;
  attachments: boolean;
  appointment: boolean;
  action_needed: boolean;
}

/**
 * The words of a query as the search data holds them: lower case, split at anything but letters and digits, at most
 * 10 (words beyond are dropped), each at most 40 letters.
 */
export function searchWords(query: string): string[] {
  const words = query
    .toLocaleLowerCase('da')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '')
    .map((w) => w.slice(0, 40));
  return [...new Set(words)].slice(0, 10);
}

/**
 * The prefixes searched for the words: each word's Danish stem when it is a shorter prefix of the word (of three
 * letters or more: "afgørelserne" → "afgørel", "boligstøtten" → "boligstøt"), else the word; Danish stop words
 * ("og", "for") are dropped, so a query of stop words alone finds nothing.
 */
export async function searchPrefixes(db: Db, words: string[]): Promise<string[]> {
  if (words.length === 0) return [];
  const result = await sql<{ w: string; lex: string[] | null }>`
    select w, ts_lexize('danish_stem', w) as lex from unnest(${sql`array[${sql.join(words)}]::text[]`}) w
  `.execute(db);
  const prefixes = new Map(result.rows.map((row) => [row.w, row.lex]));
  const out: string[] = [];
  for (const word of words) {
    const lex = prefixes.get(word);
    if (lex && lex.length === 0) continue;
    const stem = lex?.[0];
    // Only inflected longer words: a short word is searched as typed ("bolig", not "bol"; "moms", not "mom").
    const useStem = stem && word.length >= 6 && stem.length >= 4 && stem.length < word.length && word.startsWith(stem);
    out.push(useStem ? stem : word);
  }
  return [...new Set(out)];
}

/** The tsquery text for the prefixes: each a prefix of a word part (see migration 0025), all required. */
export function searchTsquery(prefixes: string[]): string {
  return prefixes.map((w) => `'${w}':*`).join(' & ');
}

/**
 * A page of search hits in one mailbox (every folder but the deleted for good), best first: ts_rank over the
 * weighted word parts (sender and subject over notification over document text), then newest, then by id. At most
 * `limit + 1` rows, after the hit `before` (keyset on (rank, available_at, id); a `before` that is not a hit yields
 * none). Reads mailbox_search through its GIN index on (mailbox_id, terms): only this mailbox's matching rows.
 */
export async function searchHits(
  db: Db,
  mailboxId: string,
  words: string[],
  filters: SearchFilters,
  options: { limit: number; before?: string | undefined; now: Date; scope?: readonly string[] | null | undefined },
): Promise<SearchHit[]> {
  if (words.length === 0) return [];
  // First the newest SEARCH_WINDOW letters of the mailbox, read in order and tested until RANKED_CANDIDATES match (a
  // common word finds its newest matches there at a bounded cost); only when they hold fewer matches and the mailbox
  // holds more letters, the GIN index over the whole mailbox (a rarer word: its matches are few).
  const windowed = await searchHitsSql(mailboxId, words, filters, { ...options, window: SEARCH_WINDOW }).execute(db);
  const first = windowed.rows[0];
  const complete = first
    ? Number(first.candidate_count) >= RANKED_CANDIDATES || !first.beyond_window
    : !(await hasLettersBeyond(db, mailboxId, SEARCH_WINDOW));
  const rows = complete ? windowed.rows : (await searchHitsSql(mailboxId, words, filters, options).execute(db)).rows;
  return rows.map((row) => ({
    id: row.id,
    label: row.label,
    senderName: row.sender_name,
    availableAt: row.available_at,
    firstReadAt: row.first_read_at,
    unread: row.item_unread ?? row.first_read_at === null,
    legalNotification: row.legal_notification,
    folder: (row.item_folder ?? 'inbox') as InboxItem['folder'],
    folderId: row.item_folder_id,
    rank: Number(row.rank),
    notification: row.notification,
    documentExcerpt: row.document_excerpt,
    preview: row.preview,
    attachments: row.attachments,
    appointment: row.appointment,
    actionNeeded: row.action_needed,
  }));
}

export function searchHitsSql(
  mailboxId: string,
  words: string[],
  filters: SearchFilters,
  options: {
    limit: number;
    before?: string | undefined;
    now: Date;
    window?: number | undefined;
    scope?: readonly string[] | null | undefined;
  },
) {
  // A folder-scoped grant finds only letters within its folders.
  const conditions = [sql`and ${scopeSql(options.scope)}`];
  if (filters.senderId) conditions.push(sql`and s.sender_id = ${filters.senderId}`);
  if (filters.from) conditions.push(sql`and s.available_at >= ${filters.from}`);
  if (filters.until) conditions.push(sql`and s.available_at < ${filters.until}`);
  const folder = filters.folder;
  if (folder?.kind === 'inbox') conditions.push(sql`and (mi.folder is null or mi.folder = 'inbox')`);
  else if (folder?.kind === 'user') conditions.push(sql`and mi.folder = 'user' and mi.folder_id = ${folder.id}`);
  else if (folder) conditions.push(sql`and mi.folder = ${folder.kind}`);
  // Per candidate, not a join: a join could read the mailbox's every item or letter before the first match.
  if (filters.unreadOnly) {
    conditions.push(
      sql`and coalesce(mi.unread, (select m.first_read_at is null from message m where m.id = s.message_id))`,
    );
  }
  if (filters.needsAction) {
    conditions.push(sql`and exists (select 1 from message_action a where a.message_id = s.message_id
      and (a.status = 'pending' or (a.status is null and a.end_at > ${options.now})))`);
  }
  const before = options.before;
  const keyset = before
    ? sql`where h.rank < c.rank or (h.rank = c.rank and (h.available_at < c.available_at
            or (h.available_at = c.available_at and h.message_id > ${before})))`
    : sql``;
  const cursorJoin = before
    ? sql`join (select rank, available_at from hits where message_id = ${before}) c on true`
    : sql``;
  const wordList = sql`array[${sql.join(words)}]::text[]`;
  return sql<HitRow>`
    select p.*, c.preview, c.attachments, c.appointment, c.action_needed from (
    with q as (select to_tsquery('simple', ${searchTsquery(words)}) as q),
    candidates as (
      select s.message_id, s.available_at, s.terms
      from ${
        options.window
          ? sql`(select * from mailbox_search where mailbox_id = ${mailboxId}
                 order by available_at desc, message_id asc limit ${options.window}) s`
          : sql`mailbox_search s`
      }
      left join lateral (select * from mailbox_item mi where mi.message_id = s.message_id offset 0) mi on true
      where s.mailbox_id = ${mailboxId} and s.terms @@ (select q from q)
        and (mi.folder is null or mi.folder <> 'deleted')
        ${sql.join(conditions, sql` `)}
      order by s.available_at desc, s.message_id asc
      limit ${RANKED_CANDIDATES}
    ),
    hits as (
      select c.message_id, c.available_at, ts_rank(c.terms, q.q) as rank from candidates c cross join q
    ),
    page as (
      select h.message_id, h.available_at, h.rank from hits h ${cursorJoin} ${keyset}
      order by h.rank desc, h.available_at desc, h.message_id asc
      limit ${options.limit + 1}
    )
    select (select count(*) from candidates) as candidate_count,
           ${
             options.window
               ? sql`exists (select 1 from mailbox_search w where w.mailbox_id = ${mailboxId} offset ${options.window})`
               : sql`false`
           } as beyond_window,
           m.id, m.label, m.available_at, m.first_read_at, m.legal_notification, sn.name as sender_name,
           mi.unread as item_unread, mi.folder as item_folder, mi.folder_id as item_folder_id, p.rank,
           m.notification,
           (select substr(b.body, greatest(b.pos - 120, 1), 320)
            from (select t.body, d.position, pos.pos
                  from message_document d join mailbox_document_text t on t.sha256 = d.sha256
                  -- The text folded once per document (offset 0 keeps it from being inlined into each use).
                  cross join lateral (select mailbox_search_fold(t.body) as folded offset 0) f
                  -- The first match after the letterhead (the first 300 characters), else the first.
                  cross join lateral (
                    select coalesce((select min(nullif(strpos(substr(f.folded, 301), w), 0)) + 300
                                     from unnest(${wordList}) w),
                                    (select min(nullif(strpos(f.folded, w), 0)) from unnest(${wordList}) w)) as pos
                    offset 0) pos
                  where d.message_id = m.id and d.role <> 'technical') b
            where b.pos is not null order by b.position limit 1) as document_excerpt
    from page p
    join message m on m.id = p.message_id
    join sender sn on sn.id = m.sender_id
    left join mailbox_item mi on mi.message_id = p.message_id
    where m.recalled_at is null
    ) p
    ${cuesSql}
    order by p.rank desc, p.available_at desc, p.id asc
  `;
}

/** The senders that have written to a mailbox, by name (for the search's sender filter). */
export async function listMailboxSenders(
  db: Db,
  mailboxId: string,
  scope: readonly string[] | null = null,
): Promise<{ id: string; name: string }[]> {
  // A folder-scoped grant sees only the senders of the letters in its folders.
  const within =
    scope === null
      ? sql``
      : sql`and exists (select 1 from mailbox_item mi join message m on m.id = mi.message_id
              where mi.mailbox_id = ${mailboxId} and m.sender_id = ms.sender_id and ${scopeSql(scope)})`;
  const result = await sql<{ id: string; name: string }>`
    select sn.id, sn.name from mailbox_sender ms join sender sn on sn.id = ms.sender_id
    where ms.mailbox_id = ${mailboxId} ${within}
    order by lower(sn.name), sn.id
  `.execute(db);
  return result.rows;
}

/** Text documents and PDFs of letters marked documents_pending whose text is not extracted yet (at most `limit`). */
export async function listUnextractedDocuments(db: Db, limit: number, mailboxId?: string) {
  const mailbox = mailboxId ? sql`and s.mailbox_id = ${mailboxId}` : sql``;
  const result = await sql<{ sha256: string; media_type: string; size_bytes: string }>`
    select distinct d.sha256, d.media_type, d.size_bytes
    from (select message_id from mailbox_search s where s.documents_pending ${mailbox}
          order by s.available_at desc limit ${limit * 4}) s
    join message_document d on d.message_id = s.message_id
    where d.role <> 'technical' and d.media_type in ('text/plain', 'text/html', 'application/pdf')
      and not exists (select 1 from mailbox_document_text t where t.sha256 = d.sha256)
    limit ${limit}
  `.execute(db);
  return result.rows;
}

/** Stores the extracted text of a document content (once: a second extraction of the same content is dropped). */
export async function storeDocumentText(db: Db, sha256: string, text: string): Promise<void> {
  await sql`
    insert into mailbox_document_text (sha256, tsv, body)
    values (${sha256}, to_tsvector('simple', left(${text}, 100000)), ${text})
    on conflict (sha256) do nothing
  `.execute(db);
}

/**
 * Adds the now extracted document text to up to `limit` letters marked documents_pending (of one mailbox, or of
 * any); returns how many were brought up to date. A letter whose documents are still not all extracted stays marked.
 */
export async function refreshPendingLetters(db: Db, limit: number, mailboxId?: string): Promise<number> {
  const mailbox = mailboxId ? sql`and mailbox_id = ${mailboxId}` : sql``;
  // Rows another refresher holds are skipped, not waited for: a search refreshing its mailbox and the index-text
  // job refreshing every mailbox would otherwise lock the same rows in different orders and deadlock.
  const result = await sql`
    with picked as (
      select message_id from mailbox_search where documents_pending ${mailbox}
        and not mailbox_search_documents_pending(message_id)
      order by available_at desc limit ${limit}
      for update skip locked)
    update mailbox_search s
    set terms = mailbox_search_terms(s.message_id), documents_pending = mailbox_search_documents_pending(s.message_id)
    from picked where s.message_id = picked.message_id
  `.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Whether letters of this mailbox (or any, without one) still wait for their document text. */
export async function hasPendingLetters(db: Db, mailboxId?: string): Promise<boolean> {
  const mailbox = mailboxId ? sql`and mailbox_id = ${mailboxId}` : sql``;
  const result = await sql<{ pending: boolean }>`
    select exists (select 1 from mailbox_search where documents_pending ${mailbox}) as pending
  `.execute(db);
  return result.rows[0]?.pending ?? false;
}
