import type { ColumnType, Generated } from 'kysely';
import type { Json, NullableTimestamp, Timestamp } from '../../db/columns.ts';

/** The status module's tables (migration 2026-12-01-0018-status); merged into Database in src/db/schema.ts. */
export interface StatusTables {
  status_day: StatusDayTable;
  status_component: StatusComponentTable;
  status_incident: StatusIncidentTable;
  status_incident_update: StatusIncidentUpdateTable;
  status_maintenance: StatusMaintenanceTable;
}

export interface StatusDayTable {
  component: string;
  /** Copenhagen date, 'YYYY-MM-DD'. */
  day: ColumnType<string, string, string>;
  operational: ColumnType<number, number | undefined, number>;
  degraded: ColumnType<number, number | undefined, number>;
  down: ColumnType<number, number | undefined, number>;
}

export interface StatusComponentTable {
  component: string;
  state: 'operational' | 'degraded' | 'down';
  since: Timestamp;
  checked_at: Timestamp;
  reasons: Json<unknown[]>;
}

export interface StatusIncidentTable {
  id: Generated<string>;
  title: string;
  severity: 'minor' | 'major';
  components: ColumnType<string[], string[], string[]>;
  state: ColumnType<IncidentState, IncidentState | undefined, IncidentState>;
  started_at: Timestamp;
  resolved_at: NullableTimestamp;
  created_by: string;
}

export type IncidentState = 'investigating' | 'identified' | 'monitoring' | 'resolved';

export interface StatusIncidentUpdateTable {
  id: Generated<string>;
  incident_id: string;
  posted_at: Timestamp;
  state: IncidentState;
  body: string;
  posted_by: string;
}

export interface StatusMaintenanceTable {
  id: Generated<string>;
  title: string;
  description: string;
  components: ColumnType<string[], string[], string[]>;
  starts_at: Timestamp;
  ends_at: Timestamp;
  created_by: string;
  created_at: Timestamp;
  cancelled_at: NullableTimestamp;
}
