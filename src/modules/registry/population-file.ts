import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { RawPopulationLine } from './population-record.ts';

/** The CSV header a population file must start with (NDJSON lines use the same keys). */
export const populationCsvHeader = [
  'cpr',
  'name',
  'birth_date',
  'address_lines',
  'postcode',
  'city',
  'municipality_code',
  'event',
] as const;

/** A line read from the file: its fields, or why it could not be read. */
export type FileLine<Raw = RawPopulationLine> = { line: number; raw: Raw } | { line: number; error: string };

export class PopulationFileError extends Error {}

export type PopulationFileFormat = 'csv' | 'ndjson';

/** SHA-256 of the file's bytes: an import is resumed (or recognised as done) by the file's content, not its name. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** CSV unless the name says NDJSON (.ndjson, .jsonl) or the first character is `{`. */
export async function detectFormat(file: string): Promise<PopulationFileFormat> {
  if (/\.(ndjson|jsonl)$/i.test(file)) return 'ndjson';
  if (/\.csv$/i.test(file)) return 'csv';
  for await (const chunk of createReadStream(file, { start: 0, end: 255 })) {
    return (chunk as Buffer)
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trimStart()
      .startsWith('{')
      ? 'ndjson'
      : 'csv';
  }
  return 'csv';
}

/** What a read saw of the file: its data lines (after a CSV header), and how many of them were blank. */
export interface FileTally {
  lines: number;
  blank: number;
}

/**
 * Streams a population file line by line (CSV or NDJSON), never holding it in memory. `onBytes` is told now and
 * then how many bytes have been parsed, for a progress bar. Lines that cannot be read at all come out with an
 * `error` and their own line number; reading goes on with the next line. Blank lines are skipped and counted in
 * `tally`, so that applied + rejected + blank always adds up to the file's lines. `columns` is the CSV header the
 * file must start with (the business file has its own, see business-file.ts); a CSV line comes out keyed by it.
 */
export async function* readPopulationFile<Raw = RawPopulationLine>(
  file: string,
  format: PopulationFileFormat,
  onBytes: (bytes: number) => void = () => {},
  tally: FileTally = { lines: 0, blank: 0 },
  columns: readonly string[] = populationCsvHeader,
): AsyncGenerator<FileLine<Raw>> {
  const input = createReadStream(file, { highWaterMark: 1 << 20 });
  const reader = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  const header = format === 'csv';
  let line = 0;
  let bytes = 0;
  try {
    for await (const text of reader) {
      line++;
      bytes += Buffer.byteLength(text) + 1;
      if (line % 1000 === 0) onBytes(bytes);
      // A byte order mark (as Excel writes) is not part of the first line.
      const content = line === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
      if (header && line === 1) {
        checkCsvHeader(content, columns);
        continue;
      }
      tally.lines++;
      if (content.trim() === '') {
        tally.blank++;
        continue;
      }
      yield (header ? csvLine(line, content, columns) : ndjsonLine(line, content.trim())) as FileLine<Raw>;
    }
  } finally {
    reader.close();
    input.destroy();
  }
}

function ndjsonLine(line: number, text: string): FileLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { line, error: 'not valid JSON' };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { line, error: 'not a JSON object' };
  return { line, raw: value as RawPopulationLine };
}

function checkCsvHeader(text: string, columns: readonly string[]) {
  const fields = csvFields(text);
  if (typeof fields === 'string' || fields.map((f) => f.trim().toLowerCase()).join(',') !== columns.join(',')) {
    throw new PopulationFileError(`the first line must be the header ${columns.join(',')}`);
  }
}

function csvLine(line: number, text: string, columns: readonly string[]): FileLine<Record<string, string>> {
  const record = csvFields(text);
  if (typeof record === 'string') return { line, error: `unreadable CSV: ${record}` };
  if (record.length !== columns.length) {
    return { line, error: `expected ${columns.length} fields, found ${record.length}` };
  }
  return { line, raw: Object.fromEntries(columns.map((column, i) => [column, record[i] as string])) };
}

/**
 * The fields of one CSV line (comma-separated, RFC 4180 quoting: a quoted field may hold commas and doubled quotes),
 * or why it cannot be read. A population file has one person per line (address lines are joined with "|", and
 * control characters are refused anyway), so a quote is never allowed to run on into the next line: a strict CSV
 * parser would swallow the rest of the file into one broken field, and every later person would vanish unreported.
 */
export function csvFields(text: string): string[] | string {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const quote = text.indexOf('"', i);
        if (quote === -1) return `the quote opened in field ${fields.length + 1} is not closed on this line`;
        value += text.slice(i, quote);
        i = quote + 1;
        if (text[i] !== '"') break;
        value += '"';
        i++;
      }
      fields.push(value);
      if (i === text.length) return fields;
      if (text[i] !== ',') return `field ${fields.length} goes on after its closing quote`;
      i++;
    } else {
      const comma = text.indexOf(',', i);
      const value = text.slice(i, comma === -1 ? text.length : comma);
      if (value.includes('"')) return `field ${fields.length + 1} has a quote but does not start with one`;
      fields.push(value);
      if (comma === -1) return fields;
      i = comma + 1;
    }
  }
}
