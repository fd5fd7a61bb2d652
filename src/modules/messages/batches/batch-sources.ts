import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import type { BatchTable } from '../../../db/schema.ts';
import type { ErrorCode } from '../../../http/errors.ts';
import { AppError } from '../../../http/problem.ts';
import { MemoError, parseMemo } from '../memo/index.ts';
import { memoDraft } from '../send-memo.ts';
import { type BatchDocuments, type ItemLimits, itemFromDraft, type LineResult, parseBatchLine } from './batch-item.ts';
import { type CsvTemplate, csvRows, parseCsvRow, readCsvTemplate } from './csv-batch.ts';
import { ndjsonLines } from './ndjson-lines.ts';

/** One item of a spooled batch, before parsing: its number, the key that picks its part, and its raw content. */
export interface SourceEntry {
  /** NDJSON line, tar file-entry number or CSV row (1-based). */
  line: number;
  /** Same letter → same key → same part (so copies of one letter are applied in order), or null. */
  key: string | null;
  raw: string | Buffer;
  /** The tar entry's file name. */
  entry?: string;
  /** Set when the entry could not even be read (too large): the item's error. */
  error?: { code: ErrorCode; detail: string };
}

/** Reads a spooled batch item by item (memory bounded by one item) and parses items into letters. */
export interface BatchSource {
  entries(): AsyncGenerator<SourceEntry>;
  parse(entry: SourceEntry, documents: BatchDocuments): LineResult | Promise<LineResult>;
}

export interface SourceLimits extends ItemLimits {
  /** The largest single MeMo document (tar entry). */
  maxEntryBytes: number;
}

const UUID_RE = /"messageUuid"\s*:\s*"([^"]{1,64})"/;
const MEMO_UUID_RE = /messageUUID>\s*([0-9a-fA-F-]{36})\s*</;

/** The reader for a batch of this format spooled at `spoolPath` (the batch directory's main file). */
export async function openBatchSource(
  format: BatchTable['format'],
  spoolPath: string,
  limits: SourceLimits,
): Promise<BatchSource> {
  if (format === 'tar') return tarSource(spoolPath, limits);
  if (format === 'csv') return csvSource(spoolPath, await readCsvTemplate(path.dirname(spoolPath)), limits);
  return {
    async *entries() {
      // Lines by the same rule that counted them at submission (ndjson-lines.ts): BOM, CRLF and blank lines alike.
      const input = createReadStream(spoolPath, { highWaterMark: 1024 * 1024 });
      try {
        for await (const { number, bytes } of ndjsonLines(input)) {
          const raw = bytes.toString('utf8');
          yield { line: number, key: UUID_RE.exec(raw)?.[1]?.toLowerCase() ?? null, raw };
        }
      } finally {
        input.destroy();
      }
    },
    parse: (entry, documents) => parseBatchLine(entry.raw as string, entry.line, documents, limits),
  };
}

/** True when the file starts with gzip's magic bytes. */
export async function isGzip(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(2);
    await handle.read(head, 0, 2, 0);
    return head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/** A gzip archive that decompresses past the limit: counted on the decompressed bytes, whatever the tar holds. */
export class UnpackedTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`The archive unpacks to more than ${limit} bytes.`);
  }
}

/**
 * The archive's bytes, decompressed if it is gzip. Every decompressed byte counts against `maxUnpackedBytes` —
 * padding, zero blocks and entries the tar reader skips included — so a small gzip of zeros cannot make Kuvert
 * unpack terabytes: the stream fails with UnpackedTooLarge as soon as the limit is passed.
 */
export async function tarStream(file: string, maxUnpackedBytes = Number.POSITIVE_INFINITY): Promise<Readable> {
  const raw = createReadStream(file, { highWaterMark: 1024 * 1024 });
  if (!(await isGzip(file))) return raw;
  const gunzip = createGunzip();
  let unpacked = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      unpacked += chunk.length;
      if (unpacked > maxUnpackedBytes) callback(new UnpackedTooLarge(maxUnpackedBytes));
      else callback(null, chunk);
    },
  });
  raw.on('error', (error) => gunzip.destroy(error));
  gunzip.on('error', (error) => counted.destroy(error));
  counted.on('close', () => {
    raw.destroy();
    gunzip.destroy();
  });
  return raw.pipe(gunzip).pipe(counted);
}

/**
 * Walks the regular files of a tar archive (directories and other entry types are skipped), giving each file's
 * number, name and size; `take(content)` is called with its bytes unless it is larger than `maxEntryBytes`.
 */
export async function* tarFiles(
  file: string,
  maxEntryBytes: number,
  maxUnpackedBytes?: number,
): AsyncGenerator<{ number: number; name: string; size: number; content: Buffer | null }> {
  const input = await tarStream(file, maxUnpackedBytes);
  const archive = extract();
  input.on('error', (error) => archive.destroy(error));
  input.pipe(archive as unknown as NodeJS.WritableStream);
  let number = 0;
  try {
    for await (const entry of archive) {
      const header = entry.header;
      if (header.type !== 'file' && header.type !== 'contiguous-file') {
        entry.resume();
        continue;
      }
      number++;
      if (header.size > maxEntryBytes) {
        entry.resume();
        yield { number, name: header.name, size: header.size, content: null };
        continue;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      yield { number, name: header.name, size: header.size, content: Buffer.concat(chunks) };
    }
  } finally {
    input.destroy();
  }
}

function tarSource(spoolPath: string, limits: SourceLimits): BatchSource {
  return {
    async *entries() {
      for await (const file of tarFiles(spoolPath, limits.maxEntryBytes)) {
        if (!file.content) {
          yield {
            line: file.number,
            key: null,
            raw: '',
            entry: file.name,
            error: {
              code: 'entry_too_large',
              detail: `The entry is ${file.size} bytes; a MeMo document may be at most ${limits.maxEntryBytes} bytes.`,
            },
          };
          continue;
        }
        // The messageUUID, found cheaply, only picks the part; the entry is parsed properly later.
        const head = file.content.subarray(0, 8192).toString('utf8');
        yield {
          line: file.number,
          key: MEMO_UUID_RE.exec(head)?.[1]?.toLowerCase() ?? null,
          raw: file.content,
          entry: file.name,
        };
      }
    },
    async parse(entry, documents) {
      const fail = (code: ErrorCode, field: string | null, detail: string, uuid: string | null = null): LineResult => ({
        ok: false,
        error: { line: entry.line, entry: entry.entry ?? null, messageUuid: uuid, code, field, detail },
      });
      if (entry.error) return fail(entry.error.code, null, entry.error.detail);
      try {
        const parsed = await parseMemo(entry.raw, { maxBytes: limits.maxEntryBytes });
        const draft = memoDraft(parsed);
        const result = itemFromDraft(draft, entry.line, entry.entry ?? null, documents, limits);
        if (!result.ok) result.error.entry = entry.entry ?? null;
        return result;
      } catch (error) {
        if (error instanceof MemoError) {
          const first = error.issues?.[0];
          const detail = error.message;
          const field = first ? `line ${first.line}${first.element ? ` ${first.element}` : ''}` : (error.field ?? null);
          return fail(error.code, field, detail, entry.key);
        }
        if (error instanceof AppError) return fail(error.code, error.field ?? null, error.message, entry.key);
        throw error;
      }
    },
  };
}

function csvSource(spoolPath: string, template: CsvTemplate, limits: SourceLimits): BatchSource {
  return {
    async *entries() {
      for await (const row of csvRows(spoolPath, template)) {
        yield { line: row.line, key: row.key, raw: JSON.stringify(row.values) };
      }
    },
    parse: (entry, documents) =>
      parseCsvRow(template, entry.line, JSON.parse(entry.raw as string) as string[], documents, limits),
  };
}
