import { parse } from 'csv-parse/sync';
import type { FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.ts';
import { type Lang, t } from '../../web/i18n.ts';
import { verifyCsrf } from '../identity/index.ts';
import {
  MAX_SCORECARD_LINES,
  type ScorecardLine,
  type ScorecardLineError,
  validateScorecardLines,
} from './report-scorecard.ts';

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
const COLUMNS = ['municipality_code', 'service_area', 'month', 'digital', 'total'] as const;

export type ScorecardUpload =
  | { kind: 'file_error'; message: (lang: Lang) => string }
  | { kind: 'parsed'; lines: ScorecardLine[]; errors: ScorecardLineError[] };

const fileError = (message: (lang: Lang) => string): ScorecardUpload => ({ kind: 'file_error', message });

/** A whole number written the way people write them in a spreadsheet ("1200", "1.200" is refused as ambiguous). */
const count = (text: string) => (/^\s*\d{1,10}\s*$/.test(text) ? Number(text) : Number.NaN);

/** Parses scorecard CSV text: header line, comma or semicolon separated. Line numbers count the header as line 1. */
export async function parseScorecardCsv(db: Db, text: string): Promise<ScorecardUpload> {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const delimiter = firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
  let records: string[][];
  try {
    records = parse(text, { bom: true, delimiter, skip_empty_lines: true, relax_column_count: true, trim: true });
  } catch {
    return fileError((lang) => t(lang, 'upload.error.invalid_csv'));
  }
  const [header, ...rows] = records;
  if (!header || rows.length === 0) return fileError((lang) => t(lang, 'upload.error.empty'));
  if (rows.length > MAX_SCORECARD_LINES) {
    return fileError((lang) => t(lang, 'upload.error.too_many_rows', { value: MAX_SCORECARD_LINES }));
  }
  const names = header.map((name) => name.trim().toLowerCase());
  const index: Record<string, number> = {};
  for (const column of COLUMNS) {
    const at = names.indexOf(column);
    if (at < 0) return fileError((lang) => t(lang, 'upload.error.missing_column', { field: column }));
    index[column] = at;
  }
  const cell = (row: string[], column: (typeof COLUMNS)[number]) => row[index[column] as number] ?? '';
  const lines: ScorecardLine[] = rows.map((row) => ({
    municipalityCode: cell(row, 'municipality_code').padStart(4, '0'),
    serviceArea: cell(row, 'service_area'),
    month: cell(row, 'month'),
    digital: count(cell(row, 'digital')),
    total: count(cell(row, 'total')),
  }));
  const errors = (await validateScorecardLines(db, lines)).map((error) => ({
    ...error,
    line: error.line + 1,
    value:
      error.field === 'digital' || error.field === 'total'
        ? error.code === 'invalid_count'
          ? cell(rows[error.line - 1] ?? [], error.field)
          : error.value
        : error.code === 'duplicate_row'
          ? String(Number(error.value) + 1)
          : error.value,
  }));
  return { kind: 'parsed', lines, errors };
}

/**
 * Reads the upload form (multipart): the CSRF field is checked before the file is read; the file is cut off at
 * 5 MB. Nothing is stored here.
 */
export async function readScorecardUpload(request: FastifyRequest, db: Db): Promise<ScorecardUpload> {
  const fields: Record<string, string> = {};
  let csrfChecked = false;
  let bytes: Buffer | null = null;
  let truncated = false;
  const checkCsrf = () => {
    if (csrfChecked) return;
    request.body = { _csrf: fields._csrf };
    verifyCsrf(request);
    csrfChecked = true;
  };
  if (!request.isMultipart()) {
    checkCsrf();
    return fileError((lang) => t(lang, 'upload.noFile'));
  }
  const parts = request.parts({ limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 5, parts: 6 } });
  for await (const part of parts) {
    if (part.type === 'field') {
      if (typeof part.value === 'string' && !(part.fieldname in fields)) fields[part.fieldname] = part.value;
      continue;
    }
    checkCsrf();
    const chunks: Buffer[] = [];
    for await (const chunk of part.file) chunks.push(chunk as Buffer);
    if (part.fieldname === 'file' && (part.filename || chunks.length > 0)) {
      bytes = Buffer.concat(chunks);
      truncated = part.file.truncated;
    }
  }
  checkCsrf();
  if (!bytes || bytes.length === 0) return fileError((lang) => t(lang, 'upload.noFile'));
  if (truncated) return fileError((lang) => t(lang, 'upload.error.too_many_rows', { value: MAX_SCORECARD_LINES }));
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return parseScorecardCsv(db, text);
}
