import { normaliseCvr } from '../../kernel/identifiers.ts';
import type { BusinessStatus } from './registry.tables.ts';

/**
 * One line of a business file (the CVR register's extract): a company, or one of its production units (P-units).
 * CSV has this header; NDJSON lines use the same keys (address_lines may be an array). A line with an empty
 * p_number is the company itself; a line with a p_number is a production unit of the company `cvr`, with the
 * unit's own name, address, status and ceased date. A unit's line must come after its company's line (or the
 * company must be known from an earlier import).
 */
export const businessCsvHeader = [
  'cvr',
  'p_number',
  'name',
  'address_lines',
  'postcode',
  'city',
  'municipality_code',
  'status',
  'ceased_date',
] as const;

export interface RawBusinessLine {
  cvr?: unknown;
  p_number?: unknown;
  name?: unknown;
  address_lines?: unknown;
  postcode?: unknown;
  city?: unknown;
  municipality_code?: unknown;
  status?: unknown;
  ceased_date?: unknown;
}

export interface BusinessRecord {
  line: number;
  cvr: string;
  /** null: the company's own line; else the production unit's P-number. */
  pNumber: string | null;
  name: string;
  addressLines: string[];
  postcode: string | null;
  city: string | null;
  municipalityCode: string | null;
  status: BusinessStatus;
  ceasedOn: string | null;
}

/**
 * The register's statuses (Danish, as the CVR register writes them, or English), case-insensitive. A company in
 * bankruptcy or liquidation still exists and must still receive its post: it is active until it has ceased.
 */
const statuses: Record<string, BusinessStatus> = {
  active: 'active',
  normal: 'active',
  aktiv: 'active',
  'under konkurs': 'active',
  'under frivillig likvidation': 'active',
  'under tvangsopløsning': 'active',
  'under rekonstruktion': 'active',
  ceased: 'ceased',
  ophørt: 'ceased',
  ophoert: 'ceased',
  opløst: 'ceased',
  'opløst efter konkurs': 'ceased',
  'opløst efter frivillig likvidation': 'ceased',
  'opløst efter fusion': 'ceased',
  'opløst efter spaltning': 'ceased',
  tvangsopløst: 'ceased',
  slettet: 'ceased',
};

export type ParsedBusinessLine = { ok: true; record: BusinessRecord } | { ok: false; line: number; reason: string };

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const hasControl = (value: string) => /[\u0000-\u001f\u007f]/.test(value);

/** A real calendar day YYYY-MM-DD (not 2026-02-30). */
function isDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/**
 * Validates one line: the CVR number by its modulus-11 check, a P-number of 10 digits, a name, a known
 * municipality (optional), a status the register uses, and a ceased date exactly when the status is ceased (a day,
 * not after `today`).
 */
export function parseBusinessLine(
  raw: RawBusinessLine,
  line: number,
  municipalities: ReadonlySet<string>,
  today: string,
): ParsedBusinessLine {
  const fail = (reason: string): ParsedBusinessLine => ({ ok: false, line, reason });
  const cvr = normaliseCvr(text(typeof raw.cvr === 'number' ? String(raw.cvr) : raw.cvr));
  if (!cvr) return fail('invalid CVR number');
  const rawP = text(typeof raw.p_number === 'number' ? String(raw.p_number) : raw.p_number);
  if (rawP !== '' && !/^\d{10}$/.test(rawP)) return fail('p_number must be 10 digits');
  const name = text(raw.name);
  if (!name) return fail('name is empty');
  if (Array.isArray(raw.address_lines) && raw.address_lines.some((l) => typeof l !== 'string')) {
    return fail('address_lines must be strings');
  }
  const addressLines = (
    Array.isArray(raw.address_lines) ? raw.address_lines.map(text) : text(raw.address_lines).split('|')
  )
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const postcode = text(raw.postcode) || null;
  if (postcode !== null && !/^\d{4}$/.test(postcode)) return fail('postcode must be 4 digits');
  const city = text(raw.city) || null;
  if ([name, city ?? '', ...addressLines].some(hasControl)) return fail('control characters in name or address');
  const rawCode = text(raw.municipality_code);
  let municipalityCode: string | null = null;
  if (rawCode !== '') {
    municipalityCode = /^\d{3,4}$/.test(rawCode) ? rawCode.padStart(4, '0') : '';
    if (!municipalities.has(municipalityCode)) return fail('unknown municipality_code');
  }
  const status = statuses[text(raw.status).toLowerCase().replace(/\s+/g, ' ')];
  if (!status) return fail('unknown status (expected NORMAL/active or OPHØRT/ceased)');
  const ceasedOn = text(raw.ceased_date) || null;
  if (status === 'ceased') {
    if (!ceasedOn) return fail('ceased_date is required when the status is ceased');
    if (!isDay(ceasedOn)) return fail('ceased_date is not a date (YYYY-MM-DD)');
    if (ceasedOn > today) return fail('ceased_date is in the future');
  } else if (ceasedOn) return fail('ceased_date given for an active company or unit');
  return {
    ok: true,
    record: {
      line,
      cvr,
      pNumber: rawP || null,
      name,
      addressLines,
      postcode,
      city,
      municipalityCode,
      status,
      ceasedOn,
    },
  };
}
