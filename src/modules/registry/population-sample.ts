import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { PopulationEvent } from './population-record.ts';

/**
 * A reproducible, made-up population file (for the import benchmark, tests and demos): the same seed and length
 * give the same bytes. Mostly move-ins of new adults (some under 15), babies born in 2025, and address changes,
 * emigrations, deaths and returns of people from earlier lines. CPR numbers are valid by the date rules.
 */
export interface SampleOptions {
  seed?: number;
  format?: 'csv' | 'ndjson';
  /** 0-based indexes of data lines to spoil (bad CPR, wrong birth date, unknown municipality, event, no name). */
  invalid?: readonly number[];
  /** Only new people, one line each: re-applying such a file must change nothing at all. */
  onlyNewPeople?: boolean;
}

export interface SampleLine {
  cpr: string;
  name: string;
  birth_date: string;
  address_lines: string[];
  postcode: string;
  city: string;
  municipality_code: string;
  event: PopulationEvent | string;
}

const FIRST = ['Anna', 'Mette', 'Sofie', 'Ida', 'Freja', 'Emma', 'Lars', 'Jens', 'Peter', 'Mikkel', 'Søren', 'Ole'];
const LAST = ['Jensen', 'Nielsen', 'Hansen', 'Pedersen', 'Andersen', 'Christensen', 'Larsen', 'Sørensen', 'Madsen'];
const STREETS = ['Nørregade', 'Vestergade', 'Algade', 'Skolevej', 'Kirkevej', 'Strandvejen', 'Møllevej', 'Parkvej'];
const PLACES: [code: string, postcode: string, city: string][] = [
  ['0101', '1050', 'København K'],
  ['0147', '2000', 'Frederiksberg'],
  ['0157', '2900', 'Hellerup'],
  ['0169', '2630', 'Taastrup'],
  ['0330', '4200', 'Slagelse'],
  ['0461', '5000', 'Odense C'],
  ['0561', '6700', 'Esbjerg'],
  ['0615', '8700', 'Horsens'],
  ['0630', '7100', 'Vejle'],
  ['0740', '8600', 'Silkeborg'],
  ['0751', '8000', 'Aarhus C'],
  ['0851', '9000', 'Aalborg'],
];

/** mulberry32: a small, fast, seedable PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;
const ADULT_FROM = Date.UTC(1940, 0, 1);
const ADULT_DAYS = (Date.UTC(2014, 11, 31) - ADULT_FROM) / DAY + 1;
const BABY_FROM = Date.UTC(2025, 0, 1);
const BABY_DAYS = 365;

/** Person number k of a space (adults born 1940–2014, babies born 2025): a unique, valid CPR and stable details. */
function person(k: number, baby: boolean) {
  const days = baby ? BABY_DAYS : ADULT_DAYS;
  const born = new Date((baby ? BABY_FROM : ADULT_FROM) + (k % days) * DAY);
  const random = prng(k * 2 + (baby ? 1 : 0) + 7);
  // Distinct for people born the same day; the last digit (sex) is random.
  const number = Math.floor(k / days) * 10 + Math.floor(random() * 10);
  // 7th digit 0–3: born 1900–1999; 4–6 with a year <= 36: born 2000–2036.
  const d7 = (born.getUTCFullYear() >= 2000 ? 4 : 0) + Math.floor(number / 1000);
  const last3 = number % 1000;
  const iso = born.toISOString().slice(0, 10);
  const cpr = `${iso.slice(8, 10)}${iso.slice(5, 7)}${iso.slice(2, 4)}${d7}${String(last3).padStart(3, '0')}`;
  const first = FIRST[Math.floor(random() * FIRST.length)] as string;
  const last = LAST[Math.floor(random() * LAST.length)] as string;
  return { cpr, name: `${first} ${last}`, birth_date: iso };
}

function address(random: () => number) {
  const [code, postcode, city] = PLACES[Math.floor(random() * PLACES.length)] as [string, string, string];
  const street = STREETS[Math.floor(random() * STREETS.length)] as string;
  const lines = [`${street} ${1 + Math.floor(random() * 120)}`];
  if (random() < 0.2) lines.push(`${1 + Math.floor(random() * 5)}. tv.`);
  return { address_lines: lines, postcode, city, municipality_code: code };
}

/** The lines of a sample file, in order. */
export function* samplePopulation(count: number, options: SampleOptions = {}): Generator<SampleLine> {
  const random = prng(options.seed ?? 1);
  const invalid = new Set(options.invalid ?? []);
  let adults = 0;
  let babies = 0;
  for (let i = 0; i < count; i++) {
    const r = options.onlyNewPeople ? random() * 0.88 : random();
    let line: SampleLine;
    const earlier = () => person(Math.floor(random() * adults), false);
    if (r < 0.8 || adults === 0) line = { ...person(adults++, false), ...address(random), event: 'move_in' };
    else if (r < 0.88) line = { ...person(babies++, true), ...address(random), event: 'birth' };
    else if (r < 0.9) line = { ...earlier(), ...address(random), event: 'move_in' };
    else if (r < 0.95) line = { ...earlier(), ...address(random), event: 'address_change' };
    else if (r < 0.975) line = { ...earlier(), ...address(random), event: 'emigration' };
    else line = { ...earlier(), ...address(random), event: 'death' };
    if (invalid.has(i)) line = spoil(line, i);
    yield line;
  }
}

function spoil(line: SampleLine, i: number): SampleLine {
  switch (i % 5) {
    case 0:
      return { ...line, cpr: `${line.cpr.slice(0, 2)}13${line.cpr.slice(4)}` }; // month 13
    case 1:
      return { ...line, birth_date: '1999-01-01' === line.birth_date ? '1999-01-02' : '1999-01-01' };
    case 2:
      return { ...line, municipality_code: '0999' };
    case 3:
      return { ...line, event: 'wedding' };
    default:
      return { ...line, name: ' ' };
  }
}

const csvField = (value: string) => (/[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** One line of the file, without the newline. */
export function formatSampleLine(line: SampleLine, format: 'csv' | 'ndjson'): string {
  if (format === 'ndjson') return JSON.stringify(line);
  return [
    line.cpr,
    line.name,
    line.birth_date,
    line.address_lines.join('|'),
    line.postcode,
    line.city,
    line.municipality_code,
    line.event,
  ]
    .map(csvField)
    .join(',');
}

/** Writes a sample file of `count` data lines (plus the header, for CSV). */
export async function writeSamplePopulation(file: string, count: number, options: SampleOptions = {}): Promise<void> {
  const format = options.format ?? 'csv';
  const out = createWriteStream(file);
  let chunk = format === 'csv' ? 'cpr,name,birth_date,address_lines,postcode,city,municipality_code,event\n' : '';
  for (const line of samplePopulation(count, options)) {
    chunk += `${formatSampleLine(line, format)}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}
