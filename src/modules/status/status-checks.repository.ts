import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

/**
 * The read-only SQL behind the live checks and the metrics. It reads other modules' tables and graphile-worker's
 * public `jobs` view directly: the status page must tell the truth about them even when their own code misbehaves.
 */

/** One round trip to the database; returns how long it took in milliseconds. */
export async function pingDatabase(db: Db): Promise<number> {
  const started = performance.now();
  await sql`select 1`.execute(db);
  return performance.now() - started;
}

export interface TaskQueue {
  task: string;
  /** Due now, not locked by a worker, attempts left. */
  due: number;
  /** Waiting for a later run_at (scheduled, or a retry's back-off). */
  scheduled: number;
  /** Locked by a worker right now. */
  running: number;
  /** Out of attempts: graphile-worker will not run them again. */
  failed: number;
  /** Age of the oldest due, unlocked job in seconds (0 when none is due). */
  lagSeconds: number;
}

/** The job queue per task, from graphile-worker's `jobs` view (0.17). */
export async function jobQueueByTask(db: Db): Promise<TaskQueue[]> {
  const { rows } = await sql<{
    task: string;
    due: string;
    scheduled: string;
    running: string;
    failed: string;
    lag_seconds: number | null;
  }>`
    select task_identifier as task,
      count(*) filter (where locked_at is null and attempts < max_attempts and run_at <= now()) as due,
      count(*) filter (where locked_at is null and attempts < max_attempts and run_at > now()) as scheduled,
      count(*) filter (where locked_at is not null) as running,
      count(*) filter (where locked_at is null and attempts >= max_attempts) as failed,
      extract(epoch from now() - min(run_at) filter (
        where locked_at is null and attempts < max_attempts and run_at <= now()
      ))::float8 as lag_seconds
    from graphile_worker.jobs
    group by task_identifier
    order by task_identifier`.execute(db);
  return rows.map((r) => ({
    task: r.task,
    due: Number(r.due),
    scheduled: Number(r.scheduled),
    running: Number(r.running),
    failed: Number(r.failed),
    lagSeconds: Math.max(0, r.lag_seconds ?? 0),
  }));
}

export interface PrintBacklog {
  /** Letters queued for print longer than the limit, and the oldest one's age in minutes. */
  overdueLetters: number;
  oldestQueuedMinutes: number;
  /** Batches ready for the provider for longer than the limit, without its confirmation. */
  unconfirmedBatches: number;
}

export async function printBacklog(db: Db, queuedMinutes: number, unconfirmedHours: number): Promise<PrintBacklog> {
  const { rows } = await sql<{ overdue: string; oldest_minutes: number | null; unconfirmed: string }>`
    select
      (select count(*) from print_job
        where state = 'queued' and queued_at < now() - make_interval(mins => ${queuedMinutes})) as overdue,
      (select extract(epoch from now() - min(queued_at))::float8 / 60 from print_job where state = 'queued')
        as oldest_minutes,
      (select count(*) from print_batch
        where state = 'ready' and ready_at < now() - make_interval(hours => ${unconfirmedHours})) as unconfirmed`.execute(
    db,
  );
  const row = rows[0];
  return {
    overdueLetters: Number(row?.overdue ?? 0),
    oldestQueuedMinutes: Math.max(0, Math.floor(row?.oldest_minutes ?? 0)),
    unconfirmedBatches: Number(row?.unconfirmed ?? 0),
  };
}

export interface DeliveryCount {
  channel: string;
  state: string;
  count: number;
}

/**
 * Deliveries per channel, counted in the database (so they survive restarts and add up across processes):
 * letters by status (the mailbox channel), print letters by state, and notifications by channel and state once
 * the `notification` table exists.
 */
export async function deliveryCounts(db: Db): Promise<DeliveryCount[]> {
  const { rows } = await sql<{ channel: string; state: string; count: string }>`
    select 'mailbox' as channel, status as state, count(*) as count from message where not test group by status
    union all
    select 'print', state, count(*) from print_job group by state`.execute(db);
  const counts = rows.map((r) => ({ channel: r.channel, state: r.state, count: Number(r.count) }));
  const exists = await sql<{ present: boolean }>`
    select to_regclass('public.notification') is not null as present`.execute(db);
  if (exists.rows[0]?.present) {
    const notifications = await sql<{ channel: string; state: string; count: string }>`
      select channel, state, count(*) as count from notification group by channel, state`.execute(db);
    for (const r of notifications.rows) counts.push({ channel: r.channel, state: r.state, count: Number(r.count) });
  }
  return counts;
}
