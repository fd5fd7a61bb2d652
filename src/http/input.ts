import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ErrorCode } from './errors.ts';
import { AppError } from './problem.ts';

/*
 * Strict checks for what people and senders type, shared by every intake (JSON, MeMo, batch lines, web forms), so
 * odd input is refused with a 4xx naming the field instead of failing later in PostgreSQL (which refuses NUL in text,
 * and lone surrogates in jsonb) or in Node (a leap second has no Date; a Location header must be Latin-1).
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL_SINGLE_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL_MULTI_LINE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export type TextProblem = 'control_characters' | 'lone_surrogate' | 'blank';

/**
 * What is wrong with a text, or null: control characters (tab, CR and LF are allowed only in multi-line texts), a
 * lone UTF-16 surrogate (no character at all), or — unless `allowBlank` — nothing but white space.
 */
export function textProblem(
  value: string,
  options: { multiline?: boolean; allowBlank?: boolean } = {},
): TextProblem | null {
  if ((options.multiline ? CONTROL_MULTI_LINE : CONTROL_SINGLE_LINE).test(value)) return 'control_characters';
  if (LONE_SURROGATE.test(value)) return 'lone_surrogate';
  if (!options.allowBlank && value.trim() === '') return 'blank';
  return null;
}

/** True when PostgreSQL can store the text at all: no NUL, no lone surrogate. */
export const storableText = (value: string) => !value.includes('\u0000') && !LONE_SURROGATE.test(value);

const TEXT_DETAIL: Record<TextProblem, string> = {
  control_characters: 'contains control characters (such as NUL), which are not allowed here',
  lone_surrogate: 'contains an invalid character (a lone UTF-16 surrogate)',
  blank: 'must not be empty or only white space',
};

/**
 * Checks a text field and returns it; throws AppError 400 `invalid_characters` (or 422 `blank_text`) naming the field.
 * `undefined` and `null` pass through, so optional fields can be checked the same way.
 */
export function checkText<T extends string | null | undefined>(
  value: T,
  field: string,
  options: { multiline?: boolean; allowBlank?: boolean } = {},
): T {
  if (value === null || value === undefined) return value;
  const problem = textProblem(value, options);
  if (problem === 'blank') throw new AppError(422, 'blank_text', `${field}: ${TEXT_DETAIL.blank}.`, field);
  if (problem) throw new AppError(400, 'invalid_characters', `${field}: ${TEXT_DETAIL[problem]}.`, field);
  return value;
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(?:([Zz])|([+-])(\d{2}):?(\d{2})?)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const leapYear = (y: number) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
function validDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= (month === 2 && leapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] as number));
}

const dateTimeError = (field: string, why: string) => new AppError(422, 'invalid_date_time', `${field}: ${why}`, field);

/**
 * Parses an RFC 3339 date-time strictly and returns it in UTC (`toISOString`). Refused (422 `invalid_date_time`):
 * leap seconds (:60 — nothing downstream can hold one), year 0000 and anything outside years 0001–9999 once in UTC,
 * impossible days. A date-time without offset is refused unless `allowLocal` (MeMo's xs:dateTime), when it is read
 * as the server's local time as before.
 */
export function parseDateTime(value: string, field: string, options: { allowLocal?: boolean } = {}): string {
  const m = DATE_TIME.exec(value);
  if (!m) throw dateTimeError(field, 'is not a date-time like 2026-03-01T12:00:00Z.');
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, ...number[]];
  if (year === 0) throw dateTimeError(field, 'the year 0000 does not exist.');
  if (!validDay(year, month as number, day as number)) throw dateTimeError(field, 'is not a day of the calendar.');
  if ((hour as number) > 23 || (minute as number) > 59) throw dateTimeError(field, 'is not a time of day.');
  if (second === 60) throw dateTimeError(field, 'leap seconds (:60) are not accepted; use :59.');
  if ((second as number) > 59) throw dateTimeError(field, 'is not a time of day.');
  const hasZone = m[8] !== undefined || m[9] !== undefined;
  if (!hasZone && !options.allowLocal) throw dateTimeError(field, 'needs a time zone offset, e.g. Z or +01:00.');
  if (m[9] !== undefined && (Number(m[10]) > 23 || Number(m[11] ?? 0) > 59)) {
    throw dateTimeError(field, 'has an impossible time zone offset.');
  }
  const fraction = m[7] ? `.${m[7].slice(1, 4).padEnd(3, '0')}` : '';
  const zone = m[8] ? 'Z' : m[9] ? `${m[9]}${m[10]}:${m[11] ?? '00'}` : '';
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${fraction}${zone}`);
  if (Number.isNaN(date.getTime())) throw dateTimeError(field, 'is not a valid date-time.');
  const utcYear = date.getUTCFullYear();
  if (utcYear < 1 || utcYear > 9999) throw dateTimeError(field, 'must lie between the years 0001 and 9999.');
  return date.toISOString();
}

/** Parses a calendar date (YYYY-MM-DD) strictly; year 0000 and impossible days are refused (422 `invalid_date`). */
export function parseDate(value: string, field: string): string {
  const m = DATE.exec(value);
  const [year, month, day] = m ? m.slice(1, 4).map(Number) : [Number.NaN, 0, 0];
  if (!m || !validDay(year as number, month as number, day as number) || year === 0) {
    const why = year === 0 ? 'the year 0000 does not exist.' : 'is not a date like 2026-03-01.';
    throw new AppError(422, 'invalid_date', `${field}: ${why}`, field);
  }
  return value;
}

/**
 * An https URL as its normalised `href` when it parses as one (`HTTPS://x` → `https://x/`), else the text unchanged,
 * for the draft checks to refuse in their order (documents first) with 422 `insecure_action_url`.
 */
export function normaliseHttpsUrl(value: string): string {
  try {
    return httpsUrl(value, '/');
  } catch {
    return value;
  }
}

/**
 * An https URL parsed once and returned as its normalised `href` — the string that is stored and later checked —
 * so `HTTPS://x`, `https:x` or ` https://x` are stored as `https://x/` rather than as written. Control characters
 * (which the URL parser would silently drop), credentials and other schemes are refused (422 `insecure_action_url`,
 * or the given code).
 */
export function httpsUrl(value: string, field: string, code: ErrorCode = 'insecure_action_url'): string {
  let url: URL | null = null;
  if (textProblem(value, { allowBlank: true }) === null) {
    try {
      url = new URL(value.trim());
    } catch {}
  }
  if (url?.protocol !== 'https:' || url.hostname === '' || url.username !== '' || url.password !== '') {
    throw new AppError(422, code, 'Links must be https URLs (https://…).', field);
  }
  return url.href;
}

/** True when the text is already an https URL's normalised href (what httpsUrl returns). */
export function isHttpsHref(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.href === value && value.startsWith('https://');
  } catch {
    return false;
  }
}

/**
 * A same-origin path to redirect to, or null. Only paths under one of `prefixes` (default: any) are accepted; the
 * path is resolved against a dummy origin, so `..`, `//host`, `/\host`, encoded tricks and control characters cannot
 * leave the site, and it is rebuilt from the parsed pathname, query and hash (percent-encoded, so the Location header
 * is plain ASCII). Everything else yields null, and the caller uses its own default.
 */
export function safeRedirectPath(value: unknown, prefixes: readonly string[] = ['/']): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2000) return null;
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return null;
  if (textProblem(value) !== null) return null;
  let url: URL;
  try {
    url = new URL(value, 'http://kuvert.invalid');
  } catch {
    return null;
  }
  if (url.origin !== 'http://kuvert.invalid') return null;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // After resolving `..` and percent-encoding: still one leading slash, and under an accepted prefix.
  if (!path.startsWith('/') || path.startsWith('//') || path.includes('\\')) return null;
  if (/[^\u0021-\u007e]/.test(path)) return null;
  const under = (prefix: string) =>
    prefix === '/' || path === prefix || path.startsWith(`${prefix}/`) || path.startsWith(`${prefix}?`);
  return prefixes.some(under) ? path : null;
}

// Only what a body parser builds (plain objects and arrays): a streamed body (a Readable, the request itself) is
// a web of sockets and servers, with cycles, that is read by its route.
const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  // fast-querystring's result inherits from an object without a prototype.
  return proto === Object.prototype || proto === null || Object.getPrototypeOf(proto) === null;
};

/** Where a string in a request would break storage: its field, or null when every string is storable. */
export function unstorableField(value: unknown, pointer: boolean, path = ''): string | null {
  const stack: { value: unknown; path: string }[] = [{ value, path }];
  while (stack.length > 0) {
    const next = stack.pop() as { value: unknown; path: string };
    const here = next.value;
    if (typeof here === 'string') {
      if (!storableText(here)) return next.path || '/';
    } else if (Array.isArray(here)) {
      here.forEach((item, i) => {
        stack.push({ value: item, path: `${next.path}/${i}` });
      });
    } else if (isPlainObject(here)) {
      for (const [key, item] of Object.entries(here)) {
        if (!storableText(key)) return next.path || '/';
        stack.push({ value: item, path: pointer || next.path !== '' ? `${next.path}/${key}` : key });
      }
    }
  }
  return null;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Body fields of a web form whose route checks their text itself (and shows the person the form again with the
     * error next to the field): the input guard leaves those fields to it.
     */
    formTextFields?: readonly string[];
  }
}

/** The body without the fields its route checks itself (`formTextFields`); their names are still checked. */
function guardedBody(request: FastifyRequest): unknown {
  const own = request.routeOptions.config?.formTextFields;
  if (!own || !isPlainObject(request.body)) return request.body;
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(request.body)) rest[key] = own.includes(key) ? '' : value;
  return rest;
}

/**
 * A net under the per-field checks: any string in a parsed body, query string or path parameter holding NUL or a
 * lone surrogate is refused with 400 `invalid_characters` naming the field (a JSON pointer for JSON bodies, the
 * parameter's name for forms and query strings), before the route's schema and handler see it. A web form's route
 * may name the fields it checks itself (`config.formTextFields`), so the person sees the form again, not an error.
 */
export function installInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request: FastifyRequest) => {
    const json = String(request.headers['content-type'] ?? '').includes('json');
    const body = guardedBody(request);
    const field =
      (typeof body === 'object' ? unstorableField(body, json) : null) ??
      unstorableField(request.query, false) ??
      unstorableField(request.params, false);
    if (field !== null) {
      throw new AppError(
        400,
        'invalid_characters',
        `${field}: contains a character that is not allowed (such as NUL or a lone surrogate).`,
        field,
      );
    }
  });
}

/**
 * Ten digits shaped like a CPR number (DDMMYY SSSS, the groups run together or apart by a dash, space, dot or
 * slash: `150385-1234`, `15 03 85 1234`, `15.03.85-1234`), as every search box refuses them (the mailbox's and the sender portal's): a CPR
 * number typed into search is never searched for nor shown again.
 */
const CPR_LIKE_RE = /\d{2}[-\s./]?\d{2}[-\s./]?\d{2}[-\s./]?\d{4}/;
export const looksLikeCpr = (text: string) => CPR_LIKE_RE.test(text);
