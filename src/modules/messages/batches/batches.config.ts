import { ConfigError } from '../../../config-support.ts';

/** Limits and tuning for bulk batches (read once when the batches plugin or worker is built). */
export interface BatchConfig {
  /** KUVERT_BATCH_MAX_BYTES: the largest body accepted (default 4 GiB). */
  maxBytes: number;
  /** KUVERT_BATCH_MAX_ITEMS: the most lines per batch (default 2,000,000). */
  maxItems: number;
  /** KUVERT_BATCH_MAX_LINE_BYTES: the longest single line (default: room for the per-message body limit). */
  maxLineBytes: number;
  /** KUVERT_BATCH_CHUNK: items per transaction, the resume granularity (default 5,000). */
  chunkSize: number;
  /** KUVERT_BATCH_PARTS: chunks applied in parallel, each on its own connection (default 2). */
  parts: number;
  /**
   * KUVERT_BATCH_MAX_GZIP_RATIO: a tar.gz that unpacks to more than this many times its compressed size (once past
   * 64 MiB unpacked) is refused as it streams (default 500; tar.gz of real letters stay under 150, zeros reach 1030).
   */
  maxGzipRatio: number;
}

function int(env: Record<string, string | undefined>, name: string, fallback: number, min: number, max: number) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `expected a whole number between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

export function loadBatchConfig(
  maxDocumentBytes: number,
  env: Record<string, string | undefined> = process.env,
): BatchConfig {
  const perMessage = Math.ceil((maxDocumentBytes * 4) / 3) * 4 + 1024 * 1024;
  return {
    maxBytes: int(env, 'KUVERT_BATCH_MAX_BYTES', 4 * 2 ** 30, 1024, Number.MAX_SAFE_INTEGER),
    maxItems: int(env, 'KUVERT_BATCH_MAX_ITEMS', 2_000_000, 1, 100_000_000),
    maxLineBytes: int(env, 'KUVERT_BATCH_MAX_LINE_BYTES', perMessage, 1024, 2 ** 30),
    chunkSize: int(env, 'KUVERT_BATCH_CHUNK', 5_000, 1, 100_000),
    parts: int(env, 'KUVERT_BATCH_PARTS', 2, 1, 16),
    maxGzipRatio: int(env, 'KUVERT_BATCH_MAX_GZIP_RATIO', 500, 2, 2000),
  };
}
