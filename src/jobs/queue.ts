import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

/**
 * The jobs Kuvert runs, with their payloads. Each module adds its jobs in its `<module>.jobs.ts` by interface merging
 * (`declare module '../../jobs/queue.ts' { interface JobPayloads extends <Module>JobPayloads {} }`) and lists the
 * handlers in its manifest; this file names no module. The platform's own jobs are here.
 */
export interface JobPayloads {
  /** Deletes jobs that failed for good once their retention has passed (hourly; ./dead-jobs.ts). */
  'remove-dead-jobs': { _cron?: { ts: string; backfilled?: boolean } };
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
