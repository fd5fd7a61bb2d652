import { randomUUID } from 'node:crypto';
import { mkdir, open, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Db } from '../../../db/database.ts';
import type { BatchTable } from '../../../db/schema.ts';
import { AppError } from '../../../http/problem.ts';
import { enqueue } from '../../../jobs/queue.ts';
import type { Services } from '../../../services.ts';
import { recordAudit } from '../../audit/index.ts';
import type { BatchConfig } from './batches.config.ts';
import { insertBatch } from './batches.repository.ts';
import { type NdjsonLine, NdjsonLineSplitter } from './ndjson-lines.ts';

/**
 * Who submits: a sender's API key, a sender's system with an access token (`clientId`; batch.api_key_id stays
 * null, as the client is no API key), or a sender staff member in the portal (then no API key). `test`: a test
 * credential, so the batch's letters are test letters.
 */
export type BatchSubmitter = { senderId: string; test?: boolean } & (
  | { apiKeyId: string; staffUserId?: undefined; clientId?: string; onBehalfOf?: { vendorSenderId: string } }
  | { staffUserId: string; apiKeyId?: null; clientId?: undefined; onBehalfOf?: undefined }
);

export interface SubmitBatchResult {
  id: string;
  lines: number;
  sizeBytes: number;
}

/**
 * Accepts an NDJSON batch: streams the body to a spool file (memory stays flat whatever its size), counting items
 * by ndjson-lines.ts's rule and enforcing the limits as it goes, fsyncs it, then in one transaction records the batch, an audit row and the
 * job that applies it. Once this returns, the batch survives a crash. A refused body leaves nothing behind.
 */
export async function submitBatch(
  services: Services,
  limits: BatchConfig,
  caller: BatchSubmitter,
  body: Readable,
): Promise<SubmitBatchResult> {
  const id = randomUUID();
  const dir = path.join(services.config.dataDir, 'batches', id);
  const spoolPath = path.join(dir, 'items.ndjson');
  await mkdir(dir, { recursive: true });
  const file = await open(spoolPath, 'w');
  let size = 0;
  let lines = 0;
  // The same rule as the worker's reader (ndjson-lines.ts): what is counted here is exactly what is applied.
  const splitter = new NdjsonLineSplitter(limits.maxLineBytes);
  const count = (done: NdjsonLine[]) => {
    lines += done.length;
    if (lines > limits.maxItems) throw tooManyItems(limits.maxItems);
  };
  try {
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > limits.maxBytes) {
          throw new AppError(413, 'batch_too_large', `A batch may be at most ${limits.maxBytes} bytes.`, undefined, {
            limitBytes: limits.maxBytes,
          });
        }
        count(splitter.push(chunk));
        await file.write(chunk);
      }
      count(splitter.end());
      if (lines === 0) throw new AppError(400, 'empty_batch', 'The batch has no items.');
      await file.sync();
    } finally {
      await file.close();
    }
    await syncDir(dir);
    await commitBatch(services, caller, {
      id,
      spoolPath,
      sizeBytes: size,
      lines,
      parts: limits.parts,
      format: 'ndjson',
    });
    return { id, lines, sizeBytes: size };
  } catch (error) {
    body.resume(); // drain what the client still sends, so it can read our answer
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Records a spooled (and fsynced) batch: the batch row, an audit row and the job that applies it, in one
 * transaction, with `extra` (e.g. a CSV batch's shared document) in the same transaction. After this the batch
 * survives a crash.
 */
export async function commitBatch(
  services: Services,
  caller: BatchSubmitter,
  batch: {
    id: string;
    spoolPath: string;
    sizeBytes: number;
    lines: number;
    parts: number;
    format: BatchTable['format'];
  },
  extra?: (trx: Db) => Promise<void>,
): Promise<void> {
  await services.db.transaction().execute(async (trx) => {
    await insertBatch(trx, {
      id: batch.id,
      senderId: caller.senderId,
      apiKeyId: caller.clientId ? null : (caller.apiKeyId ?? null),
      staffUserId: caller.staffUserId ?? null,
      test: caller.test === true,
      client: caller.clientId ? { id: caller.clientId, onBehalf: caller.onBehalfOf !== undefined } : null,
      spoolPath: batch.spoolPath,
      sizeBytes: batch.sizeBytes,
      lines: batch.lines,
      parts: batch.parts,
      format: batch.format,
    });
    await extra?.(trx);
    await recordAudit(trx, {
      ...batchActor(caller),
      action: 'batch.submit',
      subjectType: 'batch',
      subjectId: batch.id,
      details: { format: batch.format, items: batch.lines, sizeBytes: batch.sizeBytes },
    });
    await enqueue(trx, 'process-batch', { batchId: batch.id }, { jobKey: `batch:${batch.id}`, maxAttempts: 10 });
  });
}

/** Streams a request body to a file, failing with 413 batch_too_large past `maxBytes`; returns the size. */
export async function spoolBody(body: AsyncIterable<Buffer>, file: string, maxBytes: number): Promise<number> {
  const handle = await open(file, 'w');
  let size = 0;
  try {
    for await (const chunk of body) {
      size += chunk.length;
      if (size > maxBytes) throw batchTooLarge(maxBytes);
      await handle.write(chunk);
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  return size;
}

export const batchTooLarge = (maxBytes: number) =>
  new AppError(413, 'batch_too_large', `A batch may be at most ${maxBytes} bytes.`, undefined, {
    limitBytes: maxBytes,
  });

/** The audit actor of a batch's submitter (also used for its chunks). */
export function batchActor(caller: {
  apiKeyId?: string | null;
  staffUserId?: string | null;
  clientId?: string;
  /** A batch row's submitting system client (migration 0036), so the chunk audits name it. */
  system_client_id?: string | null;
}) {
  const client = caller.clientId ?? caller.system_client_id;
  if (client) return { actorKind: 'system_client' as const, actorId: client };
  return caller.apiKeyId
    ? { actorKind: 'sender_api' as const, actorId: caller.apiKeyId }
    : { actorKind: 'sender_staff' as const, actorId: caller.staffUserId ?? 'unknown' };
}

export const tooManyItems = (max: number) =>
  new AppError(413, 'too_many_items', `A batch may hold at most ${max} items.`, undefined, { limitItems: max });

export async function syncDir(dir: string) {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
