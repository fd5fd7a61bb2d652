import { birthDateFromCpr, normaliseCpr } from '../../kernel/identifiers.ts';

/** What the population register says happened to a person. */
export type PopulationEvent = 'birth' | 'move_in' | 'address_change' | 'emigration' | 'death';

export const populationEvents: readonly PopulationEvent[] = [
  'birth',
  'move_in',
  'address_change',
  'emigration',
  'death',
];

/** One validated line of a population file. */
export interface PopulationRecord {
  /** The line number in the file (the CSV header is line 1). */
  line: number;
  cpr: string;
  name: string;
  birthDate: string;
  sex: 'F' | 'M';
  addressLines: string[];
  postcode: string | null;
  city: string | null;
  municipalityCode: string;
  event: PopulationEvent;
}

/** A line as read from CSV (address lines joined by `|`) or NDJSON (address_lines an array). */
export interface RawPopulationLine {
  cpr?: unknown;
  name?: unknown;
  birth_date?: unknown;
  address_lines?: unknown;
  postcode?: unknown;
  city?: unknown;
  municipality_code?: unknown;
  event?: unknown;
}

export type ParsedLine = { ok: true; record: PopulationRecord } | { ok: false; line: number; reason: string };

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
// Control characters would break the address-line encoding and have no place in a name or address.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const hasControl = (value: string) => /[\u0000-\u001f\u007f]/.test(value);

/**
 * Validates one line: CPR by the real rules, birth date equal to the CPR's, a known municipality and event, a name.
 * `municipalities` holds the 4-digit codes of the municipality table. `today` (YYYY-MM-DD) rejects future births.
 */
export function parsePopulationLine(
  raw: RawPopulationLine,
  line: number,
  municipalities: ReadonlySet<string>,
  today: string,
): ParsedLine {
  const fail = (reason: string): ParsedLine => ({ ok: false, line, reason });
  const cpr = normaliseCpr(text(raw.cpr));
  if (!cpr) return fail('invalid CPR number');
  const name = text(raw.name);
  if (!name) return fail('name is empty');
  const birthDate = text(raw.birth_date);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) return fail('birth_date is not a date (YYYY-MM-DD)');
  if (birthDate !== birthDateFromCpr(cpr)) return fail('birth_date does not match the CPR number');
  if (birthDate > today) return fail('birth_date is in the future');
  if (Array.isArray(raw.address_lines) && raw.address_lines.some((l) => typeof l !== 'string')) {
    return fail('address_lines must be strings');
  }
  const addressLines = Array.isArray(raw.address_lines)
    ? raw.address_lines.map(text)
    : text(raw.address_lines)
      ? text(raw.address_lines)
          .split('|')
          .map((l) => l.trim())
      : [];
  const postcode = text(raw.postcode) || null;
  if (postcode !== null && !/^\d{4}$/.test(postcode)) return fail('postcode must be 4 digits');
  const city = text(raw.city) || null;
  if ([name, city ?? '', ...addressLines].some(hasControl)) return fail('control characters in name or address');
  const rawCode = text(raw.municipality_code);
  const municipalityCode = /^\d{3,4}$/.test(rawCode) ? rawCode.padStart(4, '0') : '';
  if (!municipalities.has(municipalityCode)) return fail('unknown municipality_code');
  const event = text(raw.event).toLowerCase().replace(/[- ]/g, '_') as PopulationEvent;
  if (!populationEvents.includes(event)) return fail(`unknown event (expected ${populationEvents.join(', ')})`);
  const sex = Number(cpr[9]) % 2 === 1 ? 'M' : 'F';
  return {
    ok: true,
    record: {
      line,
      cpr,
      name,
      birthDate,
      sex,
      addressLines: addressLines.filter((l) => l !== ''),
      postcode,
      city,
      municipalityCode,
      event,
    },
  };
}
