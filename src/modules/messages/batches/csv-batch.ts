import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse';
import { type Static, Type } from 'typebox';
import { sha256Hex } from '../../../documents/document-store.ts';
import type { ErrorCode } from '../../../http/errors.ts';
import { AppError } from '../../../http/problem.ts';
import { normaliseCpr, normaliseCvr } from '../../../kernel/identifiers.ts';
import type { MessageDraft } from '../message-draft.ts';
import { DocumentInput, SendMessageBody } from '../messages.schemas.ts';
import { jsonDraft, type ResolvedDocument } from '../send-message.ts';
import { type BatchDocuments, type ItemLimits, itemFromDraft, type LineResult } from './batch-item.ts';

/**
 * The letter template of a CSV batch (the multipart field `template`, JSON): every recipient (a CSV row) gets this
 * letter, with `{{column}}` in label, notification, senderReference and a text/HTML document replaced by the row's
 * value. A PDF (or image) document is shared: stored once, the same bytes in every letter.
 */
export const CsvTemplateInput = Type.Object(
  {
    batchKey: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description:
          'Your name for this mailing. Without a message_uuid column each letter’s messageUuid is the UUIDv5 of ' +
          'batchKey and the recipient’s number: re-sending the same mailing never sends a letter twice',
      }),
    ),
    label: SendMessageBody.properties.label,
    notification: SendMessageBody.properties.notification,
    senderReference: SendMessageBody.properties.senderReference,
    replyAllowed: SendMessageBody.properties.replyAllowed,
    replyBy: SendMessageBody.properties.replyBy,
    doNotDeliverUntil: SendMessageBody.properties.doNotDeliverUntil,
    deleteAfter: SendMessageBody.properties.deleteAfter,
    mandatory: SendMessageBody.properties.mandatory,
    legalNotification: SendMessageBody.properties.legalNotification,
    postType: SendMessageBody.properties.postType,
    escalation: SendMessageBody.properties.escalation,
    document: Type.Object(
      {
        title: DocumentInput.properties.title,
        filename: DocumentInput.properties.filename,
        mediaType: DocumentInput.properties.mediaType,
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type CsvTemplateInput = Static<typeof CsvTemplateInput>;

/** What the worker needs to build each row's letter (template.json in the batch's spool directory). */
export interface CsvTemplate {
  input: CsvTemplateInput;
  columns: string[];
  delimiter: ',' | ';';
  recipientColumn: number;
  recipientKind: 'cpr' | 'cvr';
  uuidColumn: number | null;
  /** A shared document (stored at submission) by hash, or a text template rendered per row. */
  document: { kind: 'shared'; sha256: string; size: number } | { kind: 'template'; text: string };
}

export const TEMPLATE_FILE = 'template.json';
const PLACEHOLDER = /\{\{\s*([^{}\s]{1,64})\s*\}\}/g;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The namespace of Kuvert's CSV letter UUIDs (UUIDv5 of batchKey and recipient number). */
export const CSV_UUID_NAMESPACE = '6f1d7c2a-94b3-4f0e-8a52-1e3d9b7c4a60';

/** The merge fields a text uses, in order of first use. */
export function mergeFields(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] as string))];
}

/** UUIDv5 (RFC 9562) of `name` in `namespace`. */
export function uuidV5(name: string, namespace = CSV_UUID_NAMESPACE): string {
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  hash[6] = ((hash[6] as number) & 0x0f) | 0x50;
  hash[8] = ((hash[8] as number) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Checks a CSV batch's header against its template (before anything is stored): one cpr or cvr column, an optional
 * message_uuid column (else batchKey is required), and every merge field the template uses present as a column.
 */
export function planCsvTemplate(
  input: CsvTemplateInput,
  headerLine: string,
  document: CsvTemplate['document'],
): CsvTemplate {
  const delimiter = headerLine.includes(';') && !headerLine.includes(',') ? ';' : ',';
  const columns = headerLine
    .replace(/^\uFEFF/, '')
    .split(delimiter)
    .map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
  const lower = columns.map((c) => c.toLowerCase());
  const cpr = lower.indexOf('cpr');
  const cvr = lower.indexOf('cvr');
  if ((cpr === -1) === (cvr === -1)) {
    throw new AppError(
      422,
      'csv_recipient_column',
      'The CSV needs exactly one recipient column, named cpr or cvr, in its first line.',
      'recipients',
    );
  }
  const uuidColumn = lower.findIndex((c) => c === 'message_uuid' || c === 'messageuuid');
  if (uuidColumn === -1 && !input.batchKey) {
    throw new AppError(
      422,
      'batch_key_required',
      'Give the template a batchKey, or the CSV a message_uuid column: each letter needs a stable identity.',
      'template/batchKey',
    );
  }
  const texts: [string, string | undefined][] = [
    ['template/label', input.label],
    ['template/notification', input.notification],
    ['template/senderReference', input.senderReference],
    ['document', document.kind === 'template' ? document.text : undefined],
  ];
  for (const [field, text] of texts) {
    for (const name of mergeFields(text ?? '')) {
      if (!columns.includes(name)) {
        throw new AppError(
          422,
          'unknown_merge_field',
          `{{${name}}} is not a column of the CSV (its columns: ${columns.join(', ')}).`,
          field,
          { mergeField: name },
        );
      }
    }
  }
  return {
    input,
    columns,
    delimiter,
    recipientColumn: cpr === -1 ? cvr : cpr,
    recipientKind: cpr === -1 ? 'cvr' : 'cpr',
    uuidColumn: uuidColumn === -1 ? null : uuidColumn,
    document,
  };
}

export async function readCsvTemplate(dir: string): Promise<CsvTemplate> {
  return JSON.parse(await readFile(path.join(dir, TEMPLATE_FILE), 'utf8')) as CsvTemplate;
}

/** The data rows of a spooled CSV (the header skipped), streamed; `key` picks the row's part. */
export async function* csvRows(
  file: string,
  template: Pick<CsvTemplate, 'delimiter' | 'recipientColumn'>,
): AsyncGenerator<{ line: number; key: string | null; values: string[] }> {
  const input = createReadStream(file, { highWaterMark: 1024 * 1024 });
  const parser = input.pipe(
    parse({
      bom: true,
      delimiter: template.delimiter,
      from_line: 2,
      relax_column_count: true,
      skip_empty_lines: true,
      max_record_size: 64 * 1024,
    }),
  );
  let line = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      line++;
      yield { line, key: record[template.recipientColumn]?.replace(/\D/g, '') ?? null, values: record };
    }
  } finally {
    input.destroy();
  }
}

const EMPTY = Buffer.alloc(0);

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

/** One CSV row as a letter: merge fields filled in, the recipient checked, the identity given or derived. */
export function parseCsvRow(
  template: CsvTemplate,
  line: number,
  values: string[],
  documents: BatchDocuments,
  limits: ItemLimits,
): LineResult {
  const recipientRaw = (values[template.recipientColumn] ?? '').trim();
  const identifier = template.recipientKind === 'cpr' ? normaliseCpr(recipientRaw) : normaliseCvr(recipientRaw);
  const uuidRaw = template.uuidColumn === null ? '' : (values[template.uuidColumn] ?? '').trim();
  let messageUuid: string | null =
    template.uuidColumn === null
      ? identifier
        ? uuidV5(`${template.input.batchKey}\u0000${identifier}`)
        : null
      : UUID.test(uuidRaw)
        ? uuidRaw.toLowerCase()
        : null;
  const fail = (code: ErrorCode, field: string | null, detail: string): LineResult => ({
    ok: false,
    error: { line, messageUuid, code, field, detail },
  });
  if (values.length !== template.columns.length) {
    return fail(
      'wrong_column_count',
      null,
      `The row has ${values.length} fields; the first line names ${template.columns.length} columns.`,
    );
  }
  if (template.uuidColumn !== null && !messageUuid) {
    messageUuid = null;
    return fail('invalid_message_uuid', template.columns[template.uuidColumn] as string, 'Not a UUID.');
  }
  const column = template.columns[template.recipientColumn] as string;
  if (!identifier) {
    return fail(
      `invalid_${template.recipientKind}`,
      column,
      `The ${template.recipientKind.toUpperCase()} number is not a valid ${template.recipientKind.toUpperCase()} number.`,
    );
  }
  const merge = (text: string | undefined, html = false): string | undefined => {
    if (text === undefined) return undefined;
    return text.replace(PLACEHOLDER, (_, name: string) => {
      const value = values[template.columns.indexOf(name)] ?? '';
      if (value.trim() === '')
        throw new AppError(422, 'missing_merge_value', `{{${name}}} is empty in this row.`, name);
      return html ? escapeHtml(value) : value;
    });
  };
  const { input } = template;
  let draft: Omit<MessageDraft, 'memo'>;
  try {
    const label = merge(input.label) as string;
    const notification = merge(input.notification);
    const senderReference = merge(input.senderReference);
    const tooLong = (
      [
        ['label', label, 250],
        ['notification', notification, 150],
        ['senderReference', senderReference, 100],
      ] as const
    ).find(([, value, max]) => value !== undefined && value.length > max);
    if (tooLong) {
      return fail(
        'invalid_field',
        `/${tooLong[0]}`,
        `/${tooLong[0]}: longer than ${tooLong[2]} characters after merging.`,
      );
    }
    const body =
      template.document.kind === 'template'
        ? Buffer.from(merge(template.document.text, input.document.mediaType === 'text/html') as string, 'utf8')
        : null;
    draft = jsonDraft(
      {
        messageUuid: messageUuid as string,
        recipient: template.recipientKind === 'cpr' ? { cpr: identifier } : { cvr: identifier },
        label,
        ...(notification === undefined ? {} : { notification }),
        ...(senderReference === undefined ? {} : { senderReference }),
        ...(input.replyAllowed === undefined ? {} : { replyAllowed: input.replyAllowed }),
        ...(input.replyBy === undefined ? {} : { replyBy: input.replyBy }),
        ...(input.doNotDeliverUntil === undefined ? {} : { doNotDeliverUntil: input.doNotDeliverUntil }),
        ...(input.deleteAfter === undefined ? {} : { deleteAfter: input.deleteAfter }),
        ...(input.mandatory === undefined ? {} : { mandatory: input.mandatory }),
        ...(input.legalNotification === undefined ? {} : { legalNotification: input.legalNotification }),
        ...(input.postType === undefined ? {} : { postType: input.postType }),
        ...csvEscalation(template, values),
        documents: [{ ...input.document }],
      },
      limits.maxDocumentsPerMessage,
      (): ResolvedDocument => {
        if (body) return { bytes: body, sha256: sha256Hex(body) };
        const shared = template.document as { sha256: string };
        return { bytes: EMPTY, sha256: shared.sha256, preChecked: true };
      },
    );
  } catch (error) {
    if (error instanceof AppError) {
      const field =
        error.field === '/recipient/cpr' || error.field === '/recipient/cvr' ? column : (error.field ?? null);
      return fail(error.code, field, error.message);
    }
    throw error;
  }
  return itemFromDraft({ ...draft, memo: {} as MessageDraft['memo'] }, line, null, documents, limits);
}

/**
 * A row's escalation: a non-empty `escalation_plan` column names one of the sender's plans for that row; otherwise
 * the template's `escalation` (if any) applies to every row.
 */
function csvEscalation(template: CsvTemplate, values: string[]): { escalation?: CsvTemplateInput['escalation'] } {
  const column = template.columns.findIndex((c) => c.toLowerCase() === 'escalation_plan');
  const named = column === -1 ? '' : (values[column] ?? '').trim();
  if (named) return { escalation: { plan: named } };
  return template.input.escalation === undefined ? {} : { escalation: template.input.escalation };
}
