import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Services } from '../../../services.ts';
import type { SenderCaller } from '../../identity/index.ts';
import { type PlanItem, planRecipients, type RecipientPlan } from '../plan-message.ts';
import { memoBodyLimit } from '../send-memo.ts';
import { type BatchDocuments, type ItemError, type LineResult, parseBatchLine } from './batch-item.ts';
import { openBatchSource } from './batch-sources.ts';
import type { BatchConfig } from './batches.config.ts';
import { NdjsonLineSplitter } from './ndjson-lines.ts';
import { batchTooLarge, tooManyItems } from './submit-batch.ts';
import { type FormPart, spoolCsvBatch } from './submit-csv-batch.ts';
import { spoolAndWalk } from './submit-tar-batch.ts';

/**
 * The most items one batch plan answers: every line gets its own answer, so the answer stays small enough to read
 * and the work per request stays bounded (the reachability API's batch limit too). A larger file is refused as it
 * streams (413 too_many_items, limitItems): plan it in slices.
 */
export const PLAN_MAX_ITEMS = 1000;

export type LinePlan = { line: number; entry?: string | null; messageUuid: string | null } & (
  | { plan: RecipientPlan }
  | { error: { code: string; field: string | null; detail: string } }
);

export interface BatchPlan {
  items: number;
  counts: { digital: number; print: number; nemsms: number; none: number; invalid: number };
  lines: LinePlan[];
}

/**
 * POST /api/v1/batches/plan: a dry run of a batch file, line by line — the same reading and validation as the batch
 * path (ndjson-lines.ts's line rule and parseBatchLine for NDJSON; the archive walk and the MeMo parser for tar),
 * then planRecipients for the valid items. Nothing is stored: an NDJSON body is read as it streams; a tar archive is
 * spooled to a private temporary folder (the walk and the entry reader need a file), which is removed before the
 * answer. A document named by `sha256` must have been given on an earlier line, as in a real batch.
 */
export async function planBatch(
  services: Services,
  limits: BatchConfig,
  caller: SenderCaller,
  input: { format: 'ndjson' | 'tar'; body: Readable } | { format: 'csv'; parts: AsyncIterable<FormPart> },
  now: Date = new Date(),
): Promise<BatchPlan> {
  const planLimits = { ...limits, maxItems: Math.min(limits.maxItems, PLAN_MAX_ITEMS) };
  const itemLimits = {
    maxDocumentBytes: services.config.maxDocumentBytes,
    maxDocumentsPerMessage: services.config.maxDocumentsPerMessage,
    maxEntryBytes: memoBodyLimit(services.config),
  };
  const documents: BatchDocuments = { known: new Map(), recent: new Map() };
  const results: { line: number; entry?: string | null; result: LineResult }[] = [];
  const remember = (result: LineResult) => {
    // As the batch path does once it has stored them: later lines may name these documents by hash.
    if (result.ok) {
      for (const d of result.newDocuments) {
        documents.known.set(d.sha256, { mediaType: d.mediaType, size: d.bytes.length });
      }
    }
  };
  if (input.format === 'ndjson') {
    const splitter = new NdjsonLineSplitter(limits.maxLineBytes);
    let size = 0;
    const take = (lines: { number: number; bytes: Buffer }[]) => {
      for (const { number, bytes } of lines) {
        if (results.length >= planLimits.maxItems) throw tooManyItems(planLimits.maxItems);
        const result = parseBatchLine(bytes.toString('utf8'), number, documents, itemLimits);
        remember(result);
        results.push({ line: number, result });
      }
    };
    for await (const chunk of input.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limits.maxBytes) throw batchTooLarge(limits.maxBytes);
      take(splitter.push(chunk));
    }
    take(splitter.end());
  } else {
    const dir = path.join(services.config.dataDir, 'plans', randomUUID());
    await mkdir(dir, { recursive: true });
    try {
      let spoolPath = path.join(dir, 'items.tar');
      if (!('parts' in input)) {
        await spoolAndWalk(input.body as AsyncIterable<Buffer>, spoolPath, planLimits);
      } else {
        // The form checked as submission checks it; the shared document is known to the rows, as the batch's is.
        const csv = await spoolCsvBatch(services, planLimits, input.parts, dir);
        spoolPath = csv.spoolPath;
        if (csv.shared) {
          documents.known.set(csv.shared.sha256, { mediaType: csv.shared.mediaType, size: csv.shared.bytes.length });
        }
      }
      const source = await openBatchSource(input.format, spoolPath, itemLimits);
      for await (const entry of source.entries()) {
        const result = await source.parse(entry, documents);
        remember(result);
        results.push({ line: entry.line, entry: entry.entry ?? null, result });
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  return planLines(services, caller, results, now);
}

async function planLines(
  services: Services,
  caller: SenderCaller,
  results: { line: number; entry?: string | null; result: LineResult }[],
  now: Date,
): Promise<BatchPlan> {
  const lines: LinePlan[] = [];
  const counts = { digital: 0, print: 0, nemsms: 0, none: 0, invalid: 0 };
  // The first line with a messageUuid is the letter; later lines with it are repeats (or conflicts), as in a batch.
  const firstHash = new Map<string, string>();
  const pending: { index: number; repeat: boolean; item: PlanItem }[] = [];
  for (const { line, entry, result } of results) {
    const where = entry === undefined ? { line } : { line, entry };
    if (!result.ok) {
      const error: ItemError = result.error;
      counts.invalid++;
      lines.push({
        ...where,
        messageUuid: error.messageUuid,
        error: { code: error.code, field: error.field, detail: error.detail },
      });
      continue;
    }
    const item = result.item;
    const earlier = firstHash.get(item.messageUuid);
    if (earlier !== undefined && earlier !== item.contentHash) {
      counts.invalid++;
      lines.push({
        ...where,
        messageUuid: item.messageUuid,
        error: {
          code: 'message_uuid_conflict',
          field: '/messageUuid',
          detail: 'An earlier item of this batch has this messageUuid with other content.',
        },
      });
      continue;
    }
    if (earlier === undefined) firstHash.set(item.messageUuid, item.contentHash);
    pending.push({
      index: lines.length,
      repeat: earlier !== undefined,
      item: {
        recipient: (item.identifier.cpr ? { cpr: item.identifier.cpr } : { cvr: item.identifier.cvr }) as
          | { cpr: string }
          | { cvr: string },
        messageType: item.messageType,
        mandatory: item.mandatory,
        doNotDeliverUntil: item.doNotDeliverUntil,
        messageUuid: item.messageUuid,
        contentHash: item.contentHash,
        escalation: item.escalation ?? null,
      },
    });
    lines.push({ ...where, messageUuid: item.messageUuid, plan: undefined as unknown as RecipientPlan });
  }
  const plans = await planRecipients(
    services,
    caller,
    pending.map((p) => p.item),
    now,
  );
  pending.forEach((p, i) => {
    const plan = plans[i] as RecipientPlan;
    // A repeat of an earlier line in the same file is a duplicate: it changes nothing.
    const final: RecipientPlan = p.repeat
      ? { ...plan, channel: 'none', reason: 'already_sent', failure: null, notifications: [], escalation: [] }
      : plan;
    (lines[p.index] as { plan: RecipientPlan }).plan = final;
    counts[final.channel]++;
  });
  return { items: results.length, counts, lines };
}
