import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

/** Failed-for-good jobs are kept this long for operators (the status page counts them), then removed. */
export const DEAD_JOB_RETENTION_MS = 7 * 86_400_000;
/**
 * A webhook dispatch that has used up its attempts leaves nothing to look at in the job: the endpoint keeps its own
 * cursor, last error and time, the sender sees them, and the next event (or a replay) schedules a fresh dispatch.
 */
export const DEAD_WEBHOOK_JOB_RETENTION_MS = 3_600_000;

/**
 * Job "remove-dead-jobs" (hourly): deletes jobs that have failed their last attempt (`attempts >= max_attempts`,
 * not locked) and last changed before the retention, so graphile-worker's table does not grow with them forever.
 * Returns how many went. `now` is the clock (tests drive it).
 */
export async function removeDeadJobs(db: Db, now: Date = new Date()): Promise<number> {
  const result = await sql<{ id: string }>`
    select id from graphile_worker.complete_jobs(array(
      select id from graphile_worker.jobs
      where attempts >= max_attempts and locked_at is null
        and updated_at < case when task_identifier = 'dispatch-webhooks'
          then ${new Date(now.getTime() - DEAD_WEBHOOK_JOB_RETENTION_MS)}::timestamptz
          else ${new Date(now.getTime() - DEAD_JOB_RETENTION_MS)}::timestamptz end
      order by id
      limit 10000
    ))
  `.execute(db);
  return result.rows.length;
}
