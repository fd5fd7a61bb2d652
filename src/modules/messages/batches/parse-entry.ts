import type { FileToInspect } from '../../../documents/inspect-documents.ts';
import { AppError } from '../../../http/problem.ts';
import type { BatchDocuments, LineResult } from './batch-item.ts';
import type { BatchSource, SourceEntry } from './batch-sources.ts';
import { ITEM_FAILED_DETAIL, isTransientFailure, LINE_FAILED } from './line-failure.ts';

/** The graphile-worker attempt running this batch (helpers.job), and where to log what the sender is not shown. */
export interface JobAttempt {
  attempts: number;
  maxAttempts: number;
  log?: (message: string) => void;
}

/**
 * One item read, parsed and built into a letter. A throw there that is no fault of the moment (see
 * isTransientFailure) is the item's own error: it would throw again on every attempt, so it is recorded as the
 * item's line_failed and the batch goes on. A transient failure (the database or the MeMo validator thread gone)
 * fails the job, which graphile-worker retries.
 */
export async function parseEntry(
  source: BatchSource,
  entry: SourceEntry,
  documents: BatchDocuments,
  job: JobAttempt | undefined,
  inspect?: (files: FileToInspect[]) => Promise<void>,
): Promise<LineResult> {
  try {
    const result = await source.parse(entry, documents);
    // Files given inline pass the same checks as a single letter's before they are stored: a PDF must parse, and
    // the malware scanner (if configured) must find them clean; a refusal is this line's error.
    if (result.ok && inspect && result.newDocuments.length > 0) {
      await inspect(
        result.newDocuments.map((doc, index) => ({
          bytes: doc.bytes,
          mediaType: doc.mediaType,
          filename: `document ${index + 1}`,
          field: '/documents',
        })),
      );
    }
    return result;
  } catch (error) {
    // A scanner that cannot be reached (503) fails the job, which is retried: it says nothing about the line.
    if (isTransientFailure(error) || (error instanceof AppError && error.status >= 500)) throw error;
    const known = error instanceof AppError;
    const name = (error as Error)?.name ?? 'Error';
    if (!known)
      job?.log?.(
        `batch item ${entry.line} could not be built (${name}: ${(error as Error)?.message}); recorded as line_failed`,
      );
    return {
      ok: false,
      error: {
        line: entry.line,
        entry: entry.entry ?? null,
        messageUuid: entry.key,
        code: known ? error.code : LINE_FAILED,
        field: known ? (error.field ?? null) : null,
        detail: known ? error.message : ITEM_FAILED_DETAIL,
      },
    };
  }
}
