import type { ColumnType, Generated } from 'kysely';
import type { NullableTimestamp, Timestamp } from '../../db/columns.ts';

export type Enrolment = 'not_enrolled' | 'automatic' | 'voluntary' | 'exempted' | 'closed';
export type ExemptionGround =
  | 'disability'
  | 'no_internet'
  | 'emigrated'
  | 'homeless'
  | 'language'
  | 'no_mitid'
  | 'other';
export type EnrolmentChangeKind =
  | 'created'
  | 'enrolled_automatically'
  | 'enrolled_voluntarily'
  | 'exempted'
  | 're_enrolled'
  | 'closed'
  | 'reopened';

/** Why a mailbox is closed: the person died or emigrated, or the company ceased (business register). */
export type ClosedReason = 'death' | 'emigration' | 'ceased';
export type BusinessStatus = 'active' | 'ceased';

export interface MunicipalityTable {
  code: string;
  name: string;
  region_code: string;
  region_name: string;
}

export interface RecipientTable {
  id: Generated<string>;
  kind: 'person' | 'business';
  cpr: string | null;
  cvr: string | null;
  name: string;
  birth_date: ColumnType<Date | null, string | null | undefined, string | null>;
  municipality_code: string | null;
  enrolment: ColumnType<Enrolment, Enrolment | undefined, Enrolment>;
  created_at: Timestamp;
  sex: 'F' | 'M' | null;
  address_lines: ColumnType<string[], string[] | undefined, string[]>;
  postcode: string | null;
  city: string | null;
  exemption_ground: ExemptionGround | null;
  enrolment_changed_at: Timestamp;
  closed_reason: ClosedReason | null;
  delete_after: ColumnType<string | null, string | null | undefined, string | null>;
  /** A closed mailbox whose letters were purged once its delete_after passed (migration 0040). */
  purged_at: NullableTimestamp;
  population_updated_at: NullableTimestamp;
  /** A business's status in the CVR register (null for people, and for businesses never imported). */
  business_status: BusinessStatus | null;
  ceased_on: ColumnType<string | null, string | null | undefined, string | null>;
  register_updated_at: NullableTimestamp;
  /** Post to this address came back (print provider's return report); cleared when an import brings a new address. */
  address_doubtful_since: NullableTimestamp;
  address_doubt_reason: string | null;
}

export interface EnrolmentChangeTable {
  id: Generated<string>;
  recipient_id: string;
  occurred_at: Timestamp;
  kind: EnrolmentChangeKind;
  from_state: Enrolment | null;
  to_state: Enrolment;
  exemption_ground: ExemptionGround | null;
  note: string | null;
  send_unopened_as_paper: ColumnType<boolean, boolean | undefined, boolean>;
  actor_kind: string;
  actor_id: string;
  actor_name: string | null;
}

export interface PopulationImportTable {
  id: Generated<string>;
  file_sha256: string;
  file_name: string;
  started_at: Timestamp;
  finished_at: NullableTimestamp;
  lines_total: ColumnType<number, number | undefined, number>;
  lines_applied: ColumnType<number, number | undefined, number>;
  lines_rejected: ColumnType<number, number | undefined, number>;
  resume_line: ColumnType<number, number | undefined, number>;
  parts: ColumnType<number, number | undefined, number>;
}

export interface PopulationImportPartTable {
  import_id: string;
  part: number;
  resume_line: ColumnType<number, number | undefined, number>;
}

/** A production unit (P-number) of a business, from the CVR register; its post goes to the business's mailbox. */
export interface PUnitTable {
  p_number: string;
  business_id: string;
  name: string;
  address_lines: ColumnType<string[], string[] | undefined, string[]>;
  postcode: string | null;
  city: string | null;
  municipality_code: string | null;
  ceased_on: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface BusinessImportTable {
  id: Generated<string>;
  file_sha256: string;
  file_name: string;
  started_at: Timestamp;
  finished_at: NullableTimestamp;
  lines_total: ColumnType<number, number | undefined, number>;
  lines_applied: ColumnType<number, number | undefined, number>;
  lines_rejected: ColumnType<number, number | undefined, number>;
  resume_line: ColumnType<number, number | undefined, number>;
}

/** The registry module's tables (merged into Database in src/db/schema.ts). */
export interface RegistryTables {
  municipality: MunicipalityTable;
  recipient: RecipientTable;
  enrolment_change: EnrolmentChangeTable;
  population_import_part: PopulationImportPartTable;
  population_import: PopulationImportTable;
  p_unit: PUnitTable;
  business_import: BusinessImportTable;
}
