import { type RawBuilder, sql } from 'kysely';
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

/** One job for enqueueMany: its payload and, optionally, its own options. */
export interface JobToEnqueue<N extends JobName> {
  payload: JobPayloads[N];
  options?: EnqueueOptions;
}

/**
 * Enqueues many jobs of one kind in one statement, in order, inside the caller's transaction (as `enqueue` does
 * each): e.g. the routing jobs of a batch chunk's scheduled letters, each with its own run time.
 */
export async function enqueueMany<N extends JobName>(
  trx: Db,
  name: N,
  jobs: readonly JobToEnqueue<N>[],
): Promise<void> {
  if (jobs.length === 0) return;
  await sql`select graphile_worker.add_job(
    ${name}::text, t.payload, run_at => t.run_at, job_key => t.job_key, max_attempts => t.max_attempts
  )
  from unnest(${jobs.map((j) => JSON.stringify(j.payload))}::json[], ${jobs.map((j) => j.options?.runAt ?? null)}::timestamptz[],
              ${jobs.map((j) => j.options?.jobKey ?? null)}::text[], ${jobs.map((j) => j.options?.maxAttempts ?? 25)}::int[])
       with ordinality as t(payload, run_at, job_key, max_attempts, n)
  order by t.n`.execute(trx);
}

/** A payload for enqueueSql: each field a value or an SQL expression over the statement's rows. */
export type SqlPayload<P> = { [K in keyof P]: P[K] | RawBuilder<unknown> };

/** How add_job treats a pending job with the same key: graphile-worker's job_key_mode. */
export type JobKeyMode = 'replace' | 'preserve_run_at' | 'unsafe_dedupe';

export interface EnqueueSqlOptions {
  runAt?: Date | RawBuilder<unknown>;
  jobKey?: string | RawBuilder<unknown>;
  jobKeyMode?: JobKeyMode;
  maxAttempts?: number;
}

/**
 * The typed `graphile_worker.add_job(...)` call for set-based SQL: an expression to select once per row of a
 * statement (`select ${enqueueSql(...)} from ...`), so a bulk path enqueues one job per row, in its transaction,
 * without spelling the job's name or payload by hand. Only the options given are passed; max_attempts is 25 unless
 * told, as for `enqueue`.
 */
export function enqueueSql<N extends JobName>(
  name: N,
  payload: SqlPayload<JobPayloads[N]>,
  options: EnqueueSqlOptions = {},
): RawBuilder<unknown> {
  const entries = Object.entries(payload as Record<string, unknown>).filter(([, value]) => value !== undefined);
  const fields = entries.map(([key, value]) =>
    isRawBuilder(value) ? sql`${sql.lit(key)}, (${value})` : sql`${sql.lit(key)}, ${JSON.stringify(value)}::json`,
  );
  const json = entries.length === 0 ? sql`'{}'::json` : sql`json_build_object(${sql.join(fields)})`;
  const args: RawBuilder<unknown>[] = [sql`${name}::text`, json];
  if (options.runAt) args.push(sql`run_at => (${options.runAt})::timestamptz`);
  if (options.jobKey) args.push(sql`job_key => (${options.jobKey})::text`);
  if (options.jobKeyMode) args.push(sql`job_key_mode => ${options.jobKeyMode}::text`);
  args.push(sql`max_attempts => ${options.maxAttempts ?? 25}::int`);
  return sql`graphile_worker.add_job(${sql.join(args)})`;
}

const isRawBuilder = (value: unknown): value is RawBuilder<unknown> =>
  typeof value === 'object' && value !== null && 'isRawBuilder' in value && value.isRawBuilder === true;
