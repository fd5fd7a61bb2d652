// A CPR number typed into a search box (however written) is refused: the portal never searches (or echoes) by CPR.
import { looksLikeCpr, parseDate, textProblem } from '../../http/input.ts';
import type { Actor } from '../../kernel/actor.ts';
import type { Services } from '../../services.ts';
import { characterCount } from '../../web/form-text.ts';
import { findSenderLetters, findSenderName, type LetterQuery, type LetterState } from './senders.repository.ts';

export type SenderStaff = Extract<Actor, { kind: 'sender_staff' }>;
export type { LetterState };

export const LETTER_STATES: readonly LetterState[] = [
  'received',
  'scheduled',
  'available',
  'read',
  'print_queued',
  'rejected',
  'recalled',
  'returned',
];
const PAGE_SIZE = 25;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The filter form as typed (strings from the query string), echoed back into the form. */
export interface LetterFilterInput {
  status?: string;
  from?: string;
  to?: string;
  q?: string;
  ref?: string;
  before?: string;
  /** "cpr": the previous request had a CPR number in a search box (see the route). */
  fejl?: string;
}

export type FilterField = 'from' | 'to' | 'q' | 'ref';
export interface FilterError {
  field: FilterField;
  code: 'invalid_date' | 'cpr_not_allowed' | 'invalid_characters' | 'text_too_long';
}

/** The longest search texts (the inputs' maxlength). */
export const FILTER_TEXT_MAX = { q: 250, ref: 100 } as const;

/** A filter as posted by the form: trimmed, CPR-like search texts taken out, and what is wrong with the typing. */
export interface PostedFilter {
  filter: LetterPage['filter'];
  /** A search box held something CPR-like: it was emptied, and the page says why (`fejl=cpr`). */
  hadCpr: boolean;
  /** Control characters or too long: the form is shown again with these, nothing is searched. */
  errors: FilterError[];
}

/** Reads the posted filter form, so a CPR number typed into it goes no further than this request's body. */
export function readPostedFilter(input: LetterFilterInput): PostedFilter {
  const filter = {
    status: (input.status ?? '').trim(),
    from: (input.from ?? '').trim(),
    to: (input.to ?? '').trim(),
    q: (input.q ?? '').trim(),
    ref: (input.ref ?? '').trim(),
  };
  const errors: FilterError[] = [];
  let hadCpr = false;
  for (const field of ['q', 'ref'] as const) {
    if (looksLikeCpr(filter[field])) {
      filter[field] = '';
      hadCpr = true;
    } else if (textProblem(filter[field], { allowBlank: true }) !== null) {
      errors.push({ field, code: 'invalid_characters' });
    } else if (characterCount(filter[field]) > FILTER_TEXT_MAX[field]) {
      errors.push({ field, code: 'text_too_long' });
    }
  }
  for (const field of ['from', 'to'] as const) {
    if (textProblem(filter[field], { allowBlank: true }) !== null) errors.push({ field, code: 'invalid_characters' });
  }
  return { filter, hadCpr, errors };
}

export interface LetterRow {
  id: string;
  label: string;
  senderReference: string | null;
  /** One of LETTER_STATES, or a newer message status shown as it is. */
  state: string;
  receivedAt: Date;
  readAt: Date | null;
}

export interface LetterPage {
  senderName: string | null;
  filter: { status: string; from: string; to: string; q: string; ref: string };
  errors: FilterError[];
  letters: LetterRow[];
  /** The cursor for the next (older) page, or null on the last page. */
  nextBefore: string | null;
  isContinuation: boolean;
  isFiltered: boolean;
}

/** A calendar date PostgreSQL can hold (the shared strict parser: no year 0000, no 30 February). */
const validDate = (value: string) => {
  try {
    parseDate(value, 'date');
    return true;
  } catch {
    return false;
  }
};

/** The sender's letters with their state, filtered and keyset-paged; never recipients, never content. */
export async function listLetters(
  services: Services,
  actor: SenderStaff,
  input: LetterFilterInput,
): Promise<LetterPage> {
  const filter = {
    status: (input.status ?? '').trim(),
    from: (input.from ?? '').trim(),
    to: (input.to ?? '').trim(),
    q: (input.q ?? '').trim().slice(0, 250),
    ref: (input.ref ?? '').trim().slice(0, 100),
  };
  const errors: FilterError[] = input.fejl === 'cpr' ? [{ field: 'q', code: 'cpr_not_allowed' }] : [];
  const query: LetterQuery = {};
  if ((LETTER_STATES as readonly string[]).includes(filter.status)) query.state = filter.status as LetterState;
  for (const field of ['from', 'to'] as const) {
    if (!filter[field]) continue;
    if (validDate(filter[field])) query[field] = filter[field];
    else errors.push({ field, code: 'invalid_date' });
  }
  for (const field of ['q', 'ref'] as const) {
    if (!filter[field]) continue;
    if (looksLikeCpr(filter[field])) {
      errors.push({ field, code: 'cpr_not_allowed' });
      filter[field] = '';
      continue;
    }
    if (field === 'q') query.labelContains = filter.q;
    else query.referencePrefix = filter.ref;
  }
  const before = input.before && UUID_RE.test(input.before) ? input.before.toLowerCase() : undefined;
  if (before) query.before = before;

  const [senderName, rows] = await Promise.all([
    findSenderName(services.db, actor.senderId),
    findSenderLetters(services.db, actor.senderId, query, PAGE_SIZE + 1),
  ]);
  const page = rows.slice(0, PAGE_SIZE);
  return {
    senderName,
    filter,
    errors,
    letters: page.map((row) => ({
      id: row.id,
      label: row.label,
      senderReference: row.sender_reference,
      state: row.status === 'rejected' ? 'rejected' : row.first_read_at ? 'read' : row.status,
      receivedAt: row.received_at,
      readAt: row.first_read_at,
    })),
    nextBefore: rows.length > PAGE_SIZE ? (page.at(-1)?.id ?? null) : null,
    isContinuation: Boolean(before),
    isFiltered: Boolean(query.state || query.from || query.to || query.labelContains || query.referencePrefix),
  };
}
