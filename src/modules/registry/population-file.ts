import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
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
export type FileLine = { line: number; raw: RawPopulationLine } | { line: number; error: string };

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

/**
 * Streams a population file line by line (CSV or NDJSON), never holding it in memory. `onBytes` is told now and
 * then how many bytes have been parsed, for a progress bar. Lines that cannot be read at all come out with an `error`.
 */
export async function* readPopulationFile(
  file: string,
  format: PopulationFileFormat,
  onBytes: (bytes: number) => void = () => {},
): AsyncGenerator<FileLine> {
  const input = createReadStream(file, { highWaterMark: 1 << 20 });
  if (format === 'ndjson') yield* readNdjson(input, onBytes);
  else yield* readCsv(input, onBytes);
}

async function* readNdjson(input: NodeJS.ReadableStream, onBytes: (bytes: number) => void): AsyncGenerator<FileLine> {
  let line = 0;
  let bytes = 0;
  for await (const text of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    line++;
    bytes += Buffer.byteLength(text) + 1;
    if (line % 1000 === 0) onBytes(bytes);
    const trimmed = (line === 1 ? text.replace(/^\uFEFF/, '') : text).trim();
    if (trimmed === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      yield { line, error: 'not valid JSON' };
      continue;
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) yield { line, error: 'not a JSON object' };
    else yield { line, raw: value as RawPopulationLine };
  }
}

async function* readCsv(input: NodeJS.ReadableStream, onBytes: (bytes: number) => void): AsyncGenerator<FileLine> {
  const parser = input.pipe(
    parse({ bom: true, info: true, skip_empty_lines: true, relax_column_count: true, skip_records_with_error: true }),
  );
  // Records the parser cannot read (a broken quote) are skipped by it; report them at the line where it noticed.
  const skipped: FileLine[] = [];
  parser.on('skip', (error: Error & { lines?: number }) => {
    skipped.push({ line: error.lines ?? 0, error: `unreadable CSV (${error.message.split(':')[0]})` });
  });
  let header = true;
  for await (const { record, info } of parser as AsyncIterable<{
    record: string[];
    info: { lines: number; bytes: number };
  }>) {
    while (skipped.length) yield skipped.shift() as FileLine;
    if (info.lines % 1000 === 0) onBytes(info.bytes);
    if (header) {
      header = false;
      if (record.map((f) => f.trim().toLowerCase()).join(',') !== populationCsvHeader.join(',')) {
        throw new PopulationFileError(`the first line must be the header ${populationCsvHeader.join(',')}`);
      }
      continue;
    }
    if (record.length !== populationCsvHeader.length) {
      yield { line: info.lines, error: `expected ${populationCsvHeader.length} fields, found ${record.length}` };
      continue;
    }
    const [cpr, name, birth_date, address_lines, postcode, city, municipality_code, event] = record;
    yield { line: info.lines, raw: { cpr, name, birth_date, address_lines, postcode, city, municipality_code, event } };
  }
  while (skipped.length) yield skipped.shift() as FileLine;
}
