import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { DocumentsJobPayloads } from '../documents/documents.jobs.ts';
import type { MailboxJobPayloads } from '../modules/mailbox/mailbox.jobs.ts';
import type { NotifyJobPayloads } from '../modules/notify/notify.jobs.ts';
import type { StatisticsJobPayloads } from '../modules/statistics/statistics.jobs.ts';
import type { StatusJobPayloads } from '../modules/status/status.jobs.ts';

/** The jobs Kuvert runs, with their payloads. Add a job here and its handler in ./worker.ts. */
export interface JobPayloads
  extends MailboxJobPayloads,
    DocumentsJobPayloads,
    NotifyJobPayloads,
    StatisticsJobPayloads,
    StatusJobPayloads {
  'deliver-message': { messageId: string };
  /** Pushes a sender's new events to its webhook endpoints (one pending job per sender). */
  'dispatch-webhooks': { senderId: string };
  /** Scheduled daily (see CRONTAB in ./worker.ts); `_cron.ts` is the scheduled time, used as the rule's clock. */
  'enrol-fifteen-year-olds': { _cron?: { ts: string; backfilled?: boolean } };
  /** Packs queued print letters into print batches (every 15 minutes; see src/modules/print/build-print-batch.ts). */
  'build-print-batch': { limit?: number; _cron?: { ts: string; backfilled?: boolean } };
  /** Applies a spooled bulk batch in chunks (src/modules/messages/batches/process-batch.ts). */
  'process-batch': { batchId: string };
  /** Deletes jobs that failed for good once their retention has passed (hourly; ./dead-jobs.ts). */
  'remove-dead-jobs': { _cron?: { ts: string; backfilled?: boolean } };
  /** Routes one committed chunk of a batch's letters set-based, as deliver-message does one. */
  'deliver-batch-chunk': { messageIds: string[] };
}
export type JobName = keyof JobPayloads;

export interface EnqueueOptions {
  runAt?: Date;
  /** Replaces a pending job with the same key (debounce), e.g. one notification per recipient. */
  jobKey?: string;
  maxAttempts?: number;
}

/**
 * Enqueues a job inside the caller's transaction, so the job exists exactly when the change that caused it
 * commits: no lost jobs after a crash, no jobs for rolled-back changes.
 */
export async function enqueue<N extends JobName>(
  trx: Db,
  name: N,
  payload: JobPayloads[N],
  options: EnqueueOptions = {},
): Promise<void> {
  await sql`select graphile_worker.add_job(
    ${name}::text,
    ${JSON.stringify(payload)}::json,
    run_at => ${options.runAt ?? null}::timestamptz,
    job_key => ${options.jobKey ?? null}::text,
    max_attempts => ${options.maxAttempts ?? 25}::int
  )`.execute(trx);
}
