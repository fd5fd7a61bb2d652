import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { AppError } from '../../../http/problem.ts';
import type { Services } from '../../../services.ts';
import { memoBodyLimit } from '../send-memo.ts';
import { tarFiles, UnpackedTooLarge } from './batch-sources.ts';
import type { BatchConfig } from './batches.config.ts';
import {
  type BatchSubmitter,
  batchTooLarge,
  commitBatch,
  type SubmitBatchResult,
  spoolBody,
  syncDir,
  tooManyItems,
} from './submit-batch.ts';

/**
 * Accepts a tar archive of MeMo files (plain or gzip-compressed, told apart by its first bytes): streams the body
 * to the spool, then walks the spooled archive once (streaming, memory bounded by one entry) to count its files and
 * check that it is a readable archive within the limits — an archive whose decompressed bytes (all of them, zero
 * padding included) pass the byte limit is refused too. Each file is one letter, validated when the batch is
 * applied. A refused body leaves nothing behind.
 */
export async function submitTarBatch(
  services: Services,
  limits: BatchConfig,
  caller: BatchSubmitter,
  body: Readable,
): Promise<SubmitBatchResult> {
  const id = randomUUID();
  const dir = path.join(services.config.dataDir, 'batches', id);
  const spoolPath = path.join(dir, 'items.tar');
  await mkdir(dir, { recursive: true });
  try {
    const size = await spoolBody(body as AsyncIterable<Buffer>, spoolPath, limits.maxBytes);
    let files = 0;
    let unpacked = 0;
    try {
      for await (const file of tarFiles(spoolPath, memoBodyLimit(services.config), limits.maxBytes)) {
        files = file.number;
        unpacked += file.size;
        if (unpacked > limits.maxBytes) throw batchTooLarge(limits.maxBytes);
        if (files > limits.maxItems) throw tooManyItems(limits.maxItems);
      }
    } catch (error) {
      if (error instanceof AppError) throw error;
      if (error instanceof UnpackedTooLarge) throw batchTooLarge(limits.maxBytes);
      throw new AppError(
        400,
        'malformed_archive',
        `The body is not a readable tar archive (or tar.gz): ${(error as Error).message}`,
      );
    }
    if (files === 0) throw new AppError(400, 'empty_batch', 'The archive holds no files.');
    await syncDir(dir);
    await commitBatch(services, caller, {
      id,
      spoolPath,
      sizeBytes: size,
      lines: files,
      parts: limits.parts,
      format: 'tar',
    });
    return { id, lines: files, sizeBytes: size };
  } catch (error) {
    body.resume();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
