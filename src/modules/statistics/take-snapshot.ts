import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

export interface SnapshotResult {
  snapshotId: number;
  asOf: string;
  durationMs: number;
  notificationsCounted: boolean;
}

/** The day (Europe/Copenhagen) a moment falls on, as YYYY-MM-DD. */
export function copenhagenDay(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen' }).format(at);
}

/** Whether the notifications table (created by the notify module) exists in this database yet. */
export async function notificationTableExists(db: Db): Promise<boolean> {
  const { rows } = await sql<{ present: boolean }>`
    select to_regclass('notification') is not null as present`.execute(db);
  return rows[0]?.present === true;
}

/**
 * Computes the day's statistics from the live tables and stores them as the snapshot of `asOf` (a second run the
 * same day replaces that day's snapshot; earlier days are kept as history). All in one transaction, set-based.
 */
export async function takeSnapshot(db: Db, options: { at?: Date } = {}): Promise<SnapshotResult> {
  const at = options.at ?? new Date();
  const asOf = copenhagenDay(at);
  const started = performance.now();
  const withNotifications = await notificationTableExists(db);
  const snapshotId = await db.transaction().execute(async (trx) => {
    await sql`set local work_mem = '128MB'`.execute(trx);
    await sql`delete from stats_snapshot where as_of = ${asOf}::date and not demo`.execute(trx);
    const { rows } = await sql<{ id: string }>`
      insert into stats_snapshot (as_of, taken_at) values (${asOf}::date, ${at}) returning id`.execute(trx);
    const id = Number(rows[0]?.id);
    await insertSnapshotFigures(trx, id, asOf, withNotifications);
    await sql`update stats_snapshot set duration_ms = ${Math.round(performance.now() - started)} where id = ${id}`.execute(
      trx,
    );
    return id;
  });
  return {
    snapshotId,
    asOf,
    durationMs: Math.round(performance.now() - started),
    notificationsCounted: withNotifications,
  };
}

/** The figures themselves, written into the snapshot `id`. Exported for the benchmark's EXPLAIN runs. */
export async function insertSnapshotFigures(trx: Db, id: number, asOf: string, withNotifications: boolean) {
  // People by state with every dimension at once: one pass over the covering index recipient_registry_counts into a
  // small temporary table, then grouping sets per dimension.
  await sql`
    create temporary table stats_people on commit drop as
    select r.municipality_code, r.enrolment, r.exemption_ground, coalesce(r.sex, 'unknown') as sex,
      case
        when r.birth_date is null then 'unknown'
        when r.birth_date > ${asOf}::date - interval '15 years' then '0-14'
        when r.birth_date > ${asOf}::date - interval '18 years' then '15-17'
        when r.birth_date > ${asOf}::date - interval '30 years' then '18-29'
        when r.birth_date > ${asOf}::date - interval '50 years' then '30-49'
        when r.birth_date > ${asOf}::date - interval '65 years' then '50-64'
        when r.birth_date > ${asOf}::date - interval '80 years' then '65-79'
        else '80+' end as age_band,
      count(*) as people
    from recipient r
    where r.kind = 'person' and r.enrolment in ('voluntary', 'automatic', 'exempted')
    group by 1, 2, 3, 4, 5
  `.execute(trx);
  await sql`
    insert into stats_enrolment (snapshot_id, dimension, value, enrolment, people)
    select ${id}::bigint,
      case
        when grouping(p.municipality_code) = 0 then 'municipality'
        when grouping(m.region_code) = 0 then 'region'
        when grouping(p.age_band) = 0 then 'age_band'
        when grouping(p.sex) = 0 then 'sex'
        else 'total' end,
      coalesce(p.municipality_code, m.region_code, p.age_band, p.sex, ''),
      p.enrolment, sum(p.people)
    from stats_people p left join municipality m on m.code = p.municipality_code
    group by grouping sets (
      (p.enrolment), (p.municipality_code, p.enrolment), (m.region_code, p.enrolment), (p.age_band, p.enrolment),
      (p.sex, p.enrolment))
    having not (grouping(p.municipality_code) = 0 and p.municipality_code is null)
       and not (grouping(m.region_code) = 0 and m.region_code is null)
  `.execute(trx);
  await sql`
    insert into stats_exemption (snapshot_id, ground, people)
    select ${id}::bigint, exemption_ground, sum(people) from stats_people
    where enrolment = 'exempted' group by exemption_ground
  `.execute(trx);

  // Confirmed contact details of people with a mailbox; those with neither are everyone else.
  await sql`
    insert into stats_contact (snapshot_id, has_email, has_mobile, people)
    with detail as (
      select c.recipient_id, bool_or(c.kind = 'email') as has_email, bool_or(c.kind = 'mobile') as has_mobile
      from contact_detail c
      where c.confirmed_at is not null
      group by c.recipient_id
    ), counted as (
      select d.has_email, d.has_mobile, count(*) as people
      from detail d join recipient r on r.id = d.recipient_id
      where r.kind = 'person' and r.enrolment in ('voluntary', 'automatic', 'exempted')
      group by 1, 2
    )
    select ${id}::bigint, has_email, has_mobile, people from counted
    union all
    select ${id}::bigint, false, false,
      (select coalesce(sum(people), 0) from stats_people) - (select coalesce(sum(people), 0) from counted)
  `.execute(trx);

  // Monthly volumes (months in Copenhagen time). Letters by the month received; digital by the month made available.
  await sql`
    insert into stats_volume (snapshot_id, month, sender_kind, channel, count)
    select ${id}::bigint, v.month, s.kind, v.channel, sum(v.count)
    from (
      select m.sender_id, date_trunc('month', m.received_at at time zone 'Europe/Copenhagen')::date as month,
        'letter' as channel, count(*) as count
      from message m
      -- Test letters (sent with a test credential, messages/test-mode.ts) are no real volume.
      where m.message_type = 'DIGITALPOST' and m.status <> 'rejected' and m.forwarded_from is null and not m.test
      group by 1, 2
      union all
      select m.sender_id, date_trunc('month', m.available_at at time zone 'Europe/Copenhagen')::date,
        'digital', count(*)
      from message m
      where m.available_at is not null and m.message_type = 'DIGITALPOST' and m.forwarded_from is null
      group by 1, 2
      union all
      select p.sender_id, date_trunc('month', p.sent_at at time zone 'Europe/Copenhagen')::date, 'print', count(*)
      from print_job p
      where p.state = 'sent' and p.sent_at is not null
      group by 1, 2
    ) v join sender s on s.id = v.sender_id
    group by v.month, s.kind, v.channel
  `.execute(trx);
  if (withNotifications) {
    await sql`
      insert into stats_volume (snapshot_id, month, sender_kind, channel, count)
      select ${id}::bigint, date_trunc('month', n.sent_at at time zone 'Europe/Copenhagen')::date,
        coalesce(s.kind, 'other'), n.channel, count(*)
      from notification n left join sender s on s.id = n.sender_id
      where n.state in ('sent', 'delivered') and n.sent_at is not null and n.channel in ('email', 'sms', 'nemsms')
      group by 2, 3, 4
    `.execute(trx);
  }

  // Time to first read, by the month letters became available.
  await sql`
    insert into stats_read_time
      (snapshot_id, month, within_1h, within_1d, within_7d, within_30d, later, unread, median_hours)
    select ${id}::bigint, month,
      count(*) filter (where delay <= 1),
      count(*) filter (where delay > 1 and delay <= 24),
      count(*) filter (where delay > 24 and delay <= 168),
      count(*) filter (where delay > 168 and delay <= 720),
      count(*) filter (where delay > 720),
      count(*) filter (where delay is null),
      round((percentile_cont(0.5) within group (order by delay))::numeric, 2)
    from (
      select date_trunc('month', m.available_at at time zone 'Europe/Copenhagen')::date as month,
        extract(epoch from m.first_read_at - m.available_at) / 3600 as delay
      from message m
      where m.available_at is not null and m.message_type = 'DIGITALPOST' and m.recalled_at is null
        and m.forwarded_from is null
    ) d
    group by month
  `.execute(trx);
}
