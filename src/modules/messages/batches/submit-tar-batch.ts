import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, open, rm } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, type Readable, Transform } from 'node:stream';
import { createGunzip, type Gunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { AppError } from '../../../http/problem.ts';
import type { Services } from '../../../services.ts';
import type { BatchConfig } from './batches.config.ts';
import {
  type BatchSubmitter,
  batchTooLarge,
  commitBatch,
  type SubmitBatchResult,
  syncDir,
  tooManyItems,
} from './submit-batch.ts';

/** Below this many unpacked bytes the compression ratio is not judged (small archives of padding are normal). */
const RATIO_FLOOR_BYTES = 64 * 1024 * 1024;

/**
 * Accepts a tar archive of MeMo files (plain or gzip-compressed, told apart by its first bytes). The body is
 * written to the spool and, as it arrives, decompressed and walked as a tar archive to count its files and check
 * the limits: every decompressed byte (zero padding included) counts against the byte limit, and a gzip that
 * unpacks to more than `maxGzipRatio` times its compressed size is refused at once, so a small gzip bomb costs a
 * few megabytes of work, not the whole limit's. Each file is one letter, validated when the batch is applied. A
 * refused body leaves nothing behind.
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
    const { size, files } = await spoolAndWalk(body as AsyncIterable<Buffer>, spoolPath, limits);
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
    body.resume(); // drain what the client still sends (compressed, so cheap), so it can read our answer
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Streams the body to `file` and through the archive walk at the same pace; returns its size and file count. */
export async function spoolAndWalk(body: AsyncIterable<Buffer>, file: string, limits: BatchConfig) {
  const handle = await open(file, 'w');
  const walk = new ArchiveWalk(limits);
  let size = 0;
  try {
    for await (const chunk of body) {
      size += chunk.length;
      if (size > limits.maxBytes) throw batchTooLarge(limits.maxBytes);
      await handle.write(chunk);
      await walk.push(chunk);
    }
    const files = await walk.end();
    await handle.sync();
    return { size, files };
  } catch (error) {
    walk.abort();
    throw error;
  } finally {
    await handle.close();
  }
}

/**
 * A tar (or tar.gz) walk fed chunk by chunk: `push` waits while the walk is behind (so memory stays bounded) and
 * fails as soon as the walk has failed; `end` gives the number of regular files. Errors come out as AppErrors.
 */
class ArchiveWalk {
  private head: Buffer[] = [];
  private headBytes = 0;
  private input: PassThrough | null = null;
  private gunzip: Gunzip | null = null;
  private done: Promise<number> | null = null;
  private compressed = 0;
  private failure: unknown = null;

  constructor(private readonly limits: BatchConfig) {}

  async push(chunk: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.input) {
      // Gzip or not is told by the first two bytes, which may come in separate chunks.
      this.head.push(chunk);
      this.headBytes += chunk.length;
      if (this.headBytes < 2) return;
      chunk = this.start(Buffer.concat(this.head));
    }
    this.compressed += chunk.length;
    const input = this.input as PassThrough;
    if (input.write(chunk)) return;
    await Promise.race([once(input, 'drain'), this.done]);
  }

  async end(): Promise<number> {
    if (this.input) this.input.end();
    else {
      const rest = this.start(Buffer.concat(this.head));
      this.compressed += rest.length;
      (this.input as PassThrough | null)?.end(rest);
    }
    return this.done as Promise<number>;
  }

  abort(): void {
    this.input?.destroy();
    this.gunzip?.destroy();
  }

  /** Builds the pipeline for what the first bytes say; returns the bytes still to be written to it. */
  private start(first: Buffer): Buffer {
    const { limits } = this;
    const input = new PassThrough();
    this.input = input;
    let unpacked = 0;
    const counted = new Transform({
      transform: (chunk: Buffer, _encoding, callback) => {
        unpacked += chunk.length;
        if (unpacked > limits.maxBytes) return callback(batchTooLarge(limits.maxBytes));
        if (this.gunzip && unpacked > RATIO_FLOOR_BYTES && unpacked > this.compressed * limits.maxGzipRatio) {
          return callback(ratioTooHigh(limits.maxGzipRatio));
        }
        callback(null, chunk);
      },
    });
    const gzip = first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b;
    if (gzip) {
      const gunzip = createGunzip();
      this.gunzip = gunzip;
      input.on('error', (error) => gunzip.destroy(error));
      gunzip.on('error', (error) => counted.destroy(error));
      input.pipe(gunzip).pipe(counted);
    } else {
      input.on('error', (error) => counted.destroy(error));
      input.pipe(counted);
    }
    this.done = this.walk(counted);
    // Seen by the next push (or end), so the upload stops being unpacked at once.
    this.done.catch((error) => {
      this.failure = error;
    });
    return first;
  }

  private async walk(decoded: Transform): Promise<number> {
    const { limits } = this;
    const archive = extract();
    decoded.on('error', (error) => archive.destroy(error));
    decoded.pipe(archive as unknown as NodeJS.WritableStream);
    let files = 0;
    let declared = 0;
    try {
      for await (const entry of archive) {
        const header = entry.header;
        entry.resume();
        if (header.type !== 'file' && header.type !== 'contiguous-file') continue;
        if (++files > limits.maxItems) throw tooManyItems(limits.maxItems);
        // A header that claims more than the limit is refused before its bytes are unpacked.
        declared += header.size ?? 0;
        if (declared > limits.maxBytes) throw batchTooLarge(limits.maxBytes);
      }
      return files;
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError(
        400,
        'malformed_archive',
        `The body is not a readable tar archive (or tar.gz): ${(error as Error).message}`,
      );
    } finally {
      this.abort();
      decoded.destroy();
    }
  }
}

const ratioTooHigh = (ratio: number) =>
  new AppError(
    413,
    'compression_ratio_too_high',
    `The archive unpacks to more than ${ratio} times its compressed size; send it uncompressed or compressed less.`,
    undefined,
    { maxRatio: ratio },
  );
