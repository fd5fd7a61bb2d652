import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Compile } from 'typebox/compile';
import { sha256Hex } from '../../../documents/document-store.ts';
import { inspectDocuments } from '../../../documents/inspect-documents.ts';
import { allowedMediaType, checkDocumentContent, checkFileName } from '../../../documents/validate-document.ts';
import { AppError } from '../../../http/problem.ts';
import type { Services } from '../../../services.ts';
import type { BatchConfig } from './batches.config.ts';
import { addBatchDocument } from './batches.repository.ts';
import {
  type CsvTemplate,
  CsvTemplateInput,
  csvRows,
  mergeFields,
  planCsvTemplate,
  TEMPLATE_FILE,
} from './csv-batch.ts';
import {
  type BatchSubmitter,
  commitBatch,
  type SubmitBatchResult,
  spoolBody,
  syncDir,
  tooManyItems,
} from './submit-batch.ts';

/** A part of a multipart/form-data body, as @fastify/multipart gives it (only what is used here). */
export type FormPart =
  | { type: 'field'; fieldname: string; value: unknown }
  | { type: 'file'; fieldname: string; filename: string; file: AsyncIterable<Buffer> & { resume(): unknown } };

const checkTemplate = Compile(CsvTemplateInput);

/**
 * Accepts a CSV batch (multipart/form-data): `template` (JSON, see CsvTemplateInput), `recipients` (the CSV: a cpr
 * or cvr column, optionally message_uuid, and merge columns) and `document` (the shared file, or a text/HTML
 * template with {{column}} fields). Files are streamed to the spool; the CSV is then read once to count its rows
 * and catch broken CSV. Template, header and merge fields are checked before anything is recorded; a shared
 * document is stored once, by SHA-256, for every letter. A refused upload leaves nothing behind.
 */
export async function submitCsvBatch(
  services: Services,
  limits: BatchConfig,
  caller: BatchSubmitter,
  parts: AsyncIterable<FormPart>,
): Promise<SubmitBatchResult> {
  const id = randomUUID();
  const dir = path.join(services.config.dataDir, 'batches', id);
  try {
    const { shared, spoolPath, size, rows } = await spoolCsvBatch(services, limits, parts, dir);
    // The shared bytes go to the store now, durably, before any letter can name them.
    if (shared) await services.documents.put(shared.bytes);
    await syncDir(dir);
    await commitBatch(
      services,
      caller,
      { id, spoolPath, sizeBytes: size, lines: rows, parts: limits.parts, format: 'csv' },
      shared
        ? (trx) =>
            addBatchDocument(trx, id, { sha256: shared.sha256, mediaType: shared.mediaType, size: shared.bytes.length })
        : undefined,
    );
    return { id, lines: rows, sizeBytes: size };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** A CSV batch spooled and checked in `dir`: the CSV (`items.csv`), the planned template (template.json), its rows. */
export interface SpooledCsvBatch {
  spoolPath: string;
  size: number;
  rows: number;
  template: CsvTemplate;
  /** The document shared by every letter (not a merge template), to be stored once; null for a template. */
  shared: { sha256: string; mediaType: string; bytes: Buffer } | null;
}

/**
 * Reads a CSV batch's form into `dir` and checks it as submission does (template, header, merge fields, the document
 * inspected, rows counted against `limits.maxItems`), storing nothing else: submitCsvBatch records it, the dry run
 * (plan-batch.ts) plans it and removes `dir`. Throws AppError for a refused form; the caller removes `dir`.
 */
export async function spoolCsvBatch(
  services: Services,
  limits: BatchConfig,
  parts: AsyncIterable<FormPart>,
  dir: string,
): Promise<SpooledCsvBatch> {
  const spoolPath = path.join(dir, 'items.csv');
  const documentPath = path.join(dir, 'document.bin');
  const maxDocument = services.config.maxDocumentBytes;
  await mkdir(dir, { recursive: true });
  let templateText: string | undefined;
  let size = 0;
  let hasRecipients = false;
  let hasDocument = false;
  for await (const part of parts) {
    if (part.type === 'field') {
      if (part.fieldname === 'template' && typeof part.value === 'string') templateText = part.value;
      else throw new AppError(400, 'unknown_part', `Unknown form field "${part.fieldname}".`, part.fieldname);
      continue;
    }
    if (part.fieldname === 'recipients') {
      size = await spoolBody(part.file, spoolPath, limits.maxBytes);
      hasRecipients = true;
    } else if (part.fieldname === 'document') {
      await spoolBody(part.file, documentPath, maxDocument).catch((error) => {
        if (error instanceof AppError && error.code === 'batch_too_large') {
          throw new AppError(
            413,
            'document_too_large',
            `The document may be at most ${maxDocument} bytes.`,
            'document',
          );
        }
        throw error;
      });
      hasDocument = true;
    } else if (part.fieldname === 'template') {
      const chunks: Buffer[] = [];
      let length = 0;
      for await (const chunk of part.file) {
        length += chunk.length;
        if (length > 64 * 1024)
          throw new AppError(413, 'template_too_large', 'The template may be at most 64 KiB.', 'template');
        chunks.push(chunk);
      }
      templateText = Buffer.concat(chunks).toString('utf8');
    } else {
      part.file.resume();
      throw new AppError(400, 'unknown_part', `Unknown form part "${part.fieldname}".`, part.fieldname);
    }
  }
  if (templateText === undefined)
    throw new AppError(400, 'template_required', 'Send the letter template as the form field "template".', 'template');
  if (!hasRecipients)
    throw new AppError(
      400,
      'recipients_required',
      'Send the CSV of recipients as the file "recipients".',
      'recipients',
    );
  if (!hasDocument)
    throw new AppError(400, 'document_required', 'Send the letter’s document as the file "document".', 'document');
  let input: unknown;
  try {
    input = JSON.parse(templateText);
  } catch {
    throw new AppError(400, 'invalid_template', 'The template is not valid JSON.', 'template');
  }
  if (!checkTemplate.Check(input)) {
    const first = [...checkTemplate.Errors(input)][0];
    const extra = (first?.params as { additionalProperties?: string[] } | undefined)?.additionalProperties?.[0];
    const field = `template${first?.instancePath ?? ''}${extra ? `/${extra}` : ''}`;
    throw new AppError(
      422,
      'invalid_template',
      `${field}: ${extra ? 'is not a known field' : (first?.message ?? 'invalid')}`,
      field,
    );
  }
  const bytes = await readFile(documentPath);
  const mediaType = allowedMediaType(input.document.mediaType) as string;
  checkDocumentContent(bytes, mediaType, 'document', maxDocument);
  // Name, PDF structure and malware scan once, at submission: the one document goes into every letter.
  checkFileName(input.document.filename, mediaType, 'template/document/filename');
  await inspectDocuments(services, [{ bytes, mediaType, filename: input.document.filename, field: 'document' }]);
  const text = mediaType === 'text/plain' || mediaType === 'text/html' ? bytes.toString('utf8') : null;
  const sha256 = sha256Hex(bytes);
  const document: CsvTemplate['document'] =
    text !== null && mergeFields(text).length > 0
      ? { kind: 'template', text }
      : { kind: 'shared', sha256, size: bytes.length };
  const template = planCsvTemplate(input, await firstLine(spoolPath), document);
  let rows = 0;
  try {
    for await (const _ of csvRows(spoolPath, template)) {
      if (++rows > limits.maxItems) throw tooManyItems(limits.maxItems);
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError(400, 'malformed_csv', `The CSV cannot be read: ${(error as Error).message}`, 'recipients');
  }
  if (rows === 0) throw new AppError(400, 'empty_batch', 'The CSV has no rows below its header.', 'recipients');
  await rm(documentPath, { force: true });
  await writeFile(path.join(dir, TEMPLATE_FILE), JSON.stringify(template), { flush: true });
  return {
    spoolPath,
    size,
    rows,
    template,
    shared: document.kind === 'shared' ? { sha256, mediaType, bytes } : null,
  };
}

/** The CSV's first line (its header), read without loading the file. */
async function firstLine(file: string): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, bytesRead).toString('utf8');
    const end = text.search(/\r?\n/);
    if (end === -1 && bytesRead === buffer.length) {
      throw new AppError(400, 'malformed_csv', 'The CSV’s first line is longer than 64 KiB.', 'recipients');
    }
    return end === -1 ? text : text.slice(0, end);
  } finally {
    await handle.close();
  }
}
