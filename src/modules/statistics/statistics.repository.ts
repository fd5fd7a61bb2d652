import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { CountedEnrolment, EnrolmentDimension, VolumeChannel } from './statistics.tables.ts';

export interface SnapshotRef {
  id: number;
  asOf: string;
  demo: boolean;
  takenAt: Date;
}

/** The newest snapshot, and the newest demo snapshot (demo history fills the months before real figures begin). */
export async function latestSnapshots(db: Db): Promise<{ latest: SnapshotRef | null; latestDemo: SnapshotRef | null }> {
  const { rows } = await sql<{ id: string; as_of: string; demo: boolean; taken_at: Date }>`
    (select id, as_of, demo, taken_at from stats_snapshot order by as_of desc, demo, id desc limit 1)
    union all
    (select id, as_of, demo, taken_at from stats_snapshot where demo order by as_of desc, id desc limit 1)
  `.execute(db);
  const ref = (row: (typeof rows)[number] | undefined): SnapshotRef | null =>
    row ? { id: Number(row.id), asOf: row.as_of, demo: row.demo, takenAt: row.taken_at } : null;
  return { latest: ref(rows[0]), latestDemo: ref(rows.find((row) => row.demo)) };
}

export interface EnrolmentRow {
  dimension: EnrolmentDimension;
  value: string;
  enrolment: CountedEnrolment;
  people: number;
}

export async function readEnrolment(db: Db, snapshotId: number): Promise<EnrolmentRow[]> {
  const rows = await db
    .selectFrom('stats_enrolment')
    .select(['dimension', 'value', 'enrolment', 'people'])
    .where('snapshot_id', '=', snapshotId)
    .execute();
  return rows.map((row) => ({ ...row, people: Number(row.people) }));
}

export async function readExemptions(db: Db, snapshotId: number): Promise<{ ground: string; people: number }[]> {
  const rows = await db
    .selectFrom('stats_exemption')
    .select(['ground', 'people'])
    .where('snapshot_id', '=', snapshotId)
    .orderBy('people', 'desc')
    .orderBy('ground')
    .execute();
  return rows.map((row) => ({ ground: row.ground, people: Number(row.people) }));
}

export async function readContact(
  db: Db,
  snapshotId: number,
): Promise<{ hasEmail: boolean; hasMobile: boolean; people: number }[]> {
  const rows = await db
    .selectFrom('stats_contact')
    .select(['has_email', 'has_mobile', 'people'])
    .where('snapshot_id', '=', snapshotId)
    .execute();
  return rows.map((row) => ({ hasEmail: row.has_email, hasMobile: row.has_mobile, people: Number(row.people) }));
}

export interface VolumeRow {
  month: string;
  senderKind: string;
  channel: VolumeChannel;
  count: number;
  demo: boolean;
}

/**
 * Monthly volumes: every month of the newest snapshot, and before its first month the newest demo snapshot's
 * months (demo history), each row marked with whether it is demo data.
 */
export async function readVolumes(db: Db, latest: SnapshotRef, latestDemo: SnapshotRef | null): Promise<VolumeRow[]> {
  const { rows } = await sql<{
    month: string;
    sender_kind: string;
    channel: VolumeChannel;
    count: string;
    demo: boolean;
  }>`
    with current as (select month, sender_kind, channel, count from stats_volume where snapshot_id = ${latest.id})
    select month, sender_kind, channel, count, ${latest.demo}::boolean as demo from current
    union all
    select month, sender_kind, channel, count, true from stats_volume
    where snapshot_id = ${latestDemo && latestDemo.id !== latest.id ? latestDemo.id : -1}
      and month < coalesce((select min(month) from current), 'infinity'::date)
    order by 1, 2, 3
  `.execute(db);
  return rows.map((row) => ({
    month: row.month,
    senderKind: row.sender_kind,
    channel: row.channel,
    count: Number(row.count),
    demo: row.demo,
  }));
}

export interface ReadTimeRow {
  month: string;
  within1h: number;
  within1d: number;
  within7d: number;
  within30d: number;
  later: number;
  unread: number;
  medianHours: number | null;
}

export async function readReadTime(db: Db, snapshotId: number): Promise<ReadTimeRow[]> {
  const rows = await db
    .selectFrom('stats_read_time')
    .selectAll()
    .where('snapshot_id', '=', snapshotId)
    .orderBy('month')
    .execute();
  return rows.map((row) => ({
    month: row.month,
    within1h: Number(row.within_1h),
    within1d: Number(row.within_1d),
    within7d: Number(row.within_7d),
    within30d: Number(row.within_30d),
    later: Number(row.later),
    unread: Number(row.unread),
    medianHours: row.median_hours === null ? null : Number(row.median_hours),
  }));
}

export interface EnrolmentHistoryRow {
  asOf: string;
  demo: boolean;
  voluntary: number;
  automatic: number;
  exempted: number;
}

/** National enrolment over time: the last snapshot of each month (real figures before demo ones on the same day). */
export async function readEnrolmentHistory(db: Db): Promise<EnrolmentHistoryRow[]> {
  const { rows } = await sql<{ as_of: string; demo: boolean; voluntary: string; automatic: string; exempted: string }>`
    with monthly as (
      select distinct on (date_trunc('month', as_of)) id, as_of, demo
      from stats_snapshot order by date_trunc('month', as_of), as_of desc, demo, id desc
    )
    select m.as_of, m.demo,
      coalesce(sum(e.people) filter (where e.enrolment = 'voluntary'), 0) as voluntary,
      coalesce(sum(e.people) filter (where e.enrolment = 'automatic'), 0) as automatic,
      coalesce(sum(e.people) filter (where e.enrolment = 'exempted'), 0) as exempted
    from monthly m join stats_enrolment e on e.snapshot_id = m.id and e.dimension = 'total'
    group by m.as_of, m.demo
    order by m.as_of
  `.execute(db);
  return rows.map((row) => ({
    asOf: row.as_of,
    demo: row.demo,
    voluntary: Number(row.voluntary),
    automatic: Number(row.automatic),
    exempted: Number(row.exempted),
  }));
}

export async function listMunicipalities(
  db: Db,
): Promise<{ code: string; name: string; regionCode: string; regionName: string }[]> {
  const rows = await db.selectFrom('municipality').selectAll().orderBy('name').execute();
  return rows.map((row) => ({
    code: row.code,
    name: row.name,
    regionCode: row.region_code,
    regionName: row.region_name,
  }));
}
