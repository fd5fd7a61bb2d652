import type { ColumnType, Generated } from 'kysely';
import type { NullableTimestamp, Timestamp } from '../../db/columns.ts';

type Count = ColumnType<string, number | string | bigint, number | string | bigint>;
type Day = ColumnType<string, string, string>;

export interface StatsSnapshotTable {
  id: Generated<string>;
  as_of: Day;
  taken_at: Timestamp;
  demo: ColumnType<boolean, boolean | undefined, boolean>;
  duration_ms: number | null;
}

export type EnrolmentDimension = 'total' | 'municipality' | 'region' | 'age_band' | 'sex';
export type CountedEnrolment = 'voluntary' | 'automatic' | 'exempted';

export interface StatsEnrolmentTable {
  snapshot_id: string | number;
  dimension: EnrolmentDimension;
  value: string;
  enrolment: CountedEnrolment;
  people: Count;
}

export interface StatsExemptionTable {
  snapshot_id: string | number;
  ground: string;
  people: Count;
}

export interface StatsContactTable {
  snapshot_id: string | number;
  has_email: boolean;
  has_mobile: boolean;
  people: Count;
}

export type VolumeChannel = 'letter' | 'digital' | 'print' | 'email' | 'sms' | 'nemsms';

export interface StatsVolumeTable {
  snapshot_id: string | number;
  month: Day;
  sender_kind: string;
  channel: VolumeChannel;
  count: Count;
}

export interface StatsReadTimeTable {
  snapshot_id: string | number;
  month: Day;
  within_1h: Count;
  within_1d: Count;
  within_7d: Count;
  within_30d: Count;
  later: Count;
  unread: Count;
  median_hours: ColumnType<string | null, number | string | null, number | string | null>;
}

export interface ScorecardServiceAreaTable {
  code: string;
  name_da: string;
  name_en: string;
  position: number;
}

export interface ScorecardReporterTable {
  id: Generated<string>;
  name: string;
  municipality_code: string | null;
  token_prefix: string;
  token_hash: string;
  created_at: Timestamp;
  revoked_at: NullableTimestamp;
}

export interface ScorecardReportTable {
  municipality_code: string;
  service_area: string;
  month: Day;
  digital: number;
  total: number;
  demo: ColumnType<boolean, boolean | undefined, boolean>;
  reported_by: string;
  updated_at: Timestamp;
}

/** The statistics module's tables (migration in src/db/migrations); merged into Database in src/db/schema.ts. */
export type StatisticsTables = {
  stats_snapshot: StatsSnapshotTable;
  stats_enrolment: StatsEnrolmentTable;
  stats_exemption: StatsExemptionTable;
  stats_contact: StatsContactTable;
  stats_volume: StatsVolumeTable;
  stats_read_time: StatsReadTimeTable;
  scorecard_service_area: ScorecardServiceAreaTable;
  scorecard_reporter: ScorecardReporterTable;
  scorecard_report: ScorecardReportTable;
};
