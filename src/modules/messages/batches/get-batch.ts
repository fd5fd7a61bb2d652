import { notFound } from '../../../http/problem.ts';
import type { Services } from '../../../services.ts';
import { findSenderBatch } from './batches.repository.ts';

export interface BatchStatus {
  id: string;
  state: 'received' | 'processing' | 'completed' | 'cancelled' | 'failed';
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Items (non-empty lines) in the batch, lines applied so far, and what became of them. */
  counts: { total: number; processed: number; accepted: number; duplicates: number; failed: number };
  /** 0–100: processed out of total. */
  progress: number;
  /** Why a failed batch stopped, as a stable code (see BATCH_FAILURES), or null. */
  failure: BatchFailure | null;
  detail: string | null;
  /** Sent with a test credential: every letter in it is a test letter (messages/test-mode.ts). */
  test?: true;
}

/**
 * Why a batch failed, for the sender (the API's `failure` and `detail`, the portal's text). The items committed
 * before the failure stay sent; the rest were not processed, and sending the same batch again is safe.
 */
export const BATCH_FAILURES = {
  processing_failed:
    'Processing stopped after repeated errors on our side. The items accepted so far stay sent; send the batch ' +
    'again to apply the rest (items already sent count as duplicates).',
  spool_missing: 'The stored batch file was lost before it was processed. Send the batch again.',
  spool_unreadable:
    'The stored batch file could not be read to its end. The items accepted so far stay sent; send the batch again.',
} as const;
export type BatchFailure = keyof typeof BATCH_FAILURES;

const isBatchFailure = (code: string | null): code is BatchFailure =>
  code !== null && Object.hasOwn(BATCH_FAILURES, code);

/** A sender's view of one of its own batches (another sender's batch is 404). */
export async function getBatch(services: Services, senderId: string, id: string): Promise<BatchStatus> {
  const row = await findSenderBatch(services.db, senderId, id);
  if (!row) throw notFound('batch');
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return {
    id: row.id,
    state: row.state,
    createdAt: new Date(row.created_at).toISOString(),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    counts: {
      total: row.lines_total,
      processed: row.lines_done,
      accepted: row.accepted,
      duplicates: row.duplicates,
      failed: row.failed,
    },
    progress: row.state === 'completed' ? 100 : Math.floor((1000 * row.lines_done) / Math.max(1, row.lines_total)) / 10,
    failure: isBatchFailure(row.failure) ? row.failure : null,
    detail:
      row.state === 'cancelled'
        ? 'Cancelled. The items accepted before the cancellation stay sent; the rest were not processed.'
        : isBatchFailure(row.failure)
          ? BATCH_FAILURES[row.failure]
          : row.failure,
    ...(row.test ? { test: true as const } : {}),
  };
}
