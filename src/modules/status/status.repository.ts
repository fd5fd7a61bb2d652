import { type Kysely, sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import type { ComponentId, ComponentState } from './components.ts';
import type { StatusSnapshot } from './run-status-checks.ts';
import type { IncidentState, StatusTables } from './status.tables.ts';

/** SQL for the status module's own tables: daily check counts, incidents and maintenance windows. */
type StatusDb = Kysely<Database & StatusTables>;
const tables = (db: Db) => db as unknown as StatusDb;

/** Days of history kept (90 are shown). */
const KEEP_DAYS = 400;

/** Counts one round of checks into each component's Copenhagen day and remembers the latest state per component. */
export async function recordStatusSample(db: Db, snapshot: StatusSnapshot): Promise<void> {
  const at = snapshot.checkedAt.toISOString();
  await db.transaction().execute(async (trx) => {
    for (const c of snapshot.components) {
      const one = (state: ComponentState) => (c.state === state ? 1 : 0);
      await sql`
        insert into status_day (component, day, operational, degraded, down)
        values (${c.id}, (${at}::timestamptz at time zone 'Europe/Copenhagen')::date,
                ${one('operational')}, ${one('degraded')}, ${one('down')})
        on conflict (component, day) do update set
          operational = status_day.operational + excluded.operational,
          degraded = status_day.degraded + excluded.degraded,
          down = status_day.down + excluded.down`.execute(trx);
      await sql`
        insert into status_component (component, state, since, checked_at, reasons)
        values (${c.id}, ${c.state}, ${at}, ${at}, ${JSON.stringify(c.reasons)}::jsonb)
        on conflict (component) do update set
          since = case when status_component.state = excluded.state then status_component.since else excluded.since end,
          state = excluded.state, checked_at = excluded.checked_at, reasons = excluded.reasons`.execute(trx);
    }
    await sql`delete from status_day where day < current_date - ${KEEP_DAYS}::int`.execute(trx);
  });
}

export interface DayCounts {
  component: ComponentId;
  day: string;
  operational: number;
  degraded: number;
  down: number;
}

/** Check counts per component and day from `fromDay` (a Copenhagen date, inclusive). */
export async function listDays(db: Db, fromDay: string): Promise<DayCounts[]> {
  const rows = await tables(db)
    .selectFrom('status_day')
    .select(['component', 'day', 'operational', 'degraded', 'down'])
    .where('day', '>=', fromDay)
    .execute();
  return rows as DayCounts[];
}

/** When each component's current state (as the status job saw it) began. */
export async function componentSince(db: Db): Promise<Map<string, { state: ComponentState; since: Date }>> {
  const rows = await tables(db).selectFrom('status_component').select(['component', 'state', 'since']).execute();
  return new Map(rows.map((r) => [r.component, { state: r.state, since: r.since }]));
}

export interface IncidentRow {
  id: string;
  title: string;
  severity: 'minor' | 'major';
  components: ComponentId[];
  state: IncidentState;
  startedAt: Date;
  resolvedAt: Date | null;
  updates: { postedAt: Date; state: IncidentState; body: string }[];
}

async function withUpdates(
  db: Db,
  rows: {
    id: string;
    title: string;
    severity: 'minor' | 'major';
    components: string[];
    state: IncidentState;
    started_at: Date;
    resolved_at: Date | null;
  }[],
): Promise<IncidentRow[]> {
  if (rows.length === 0) return [];
  const updates = await tables(db)
    .selectFrom('status_incident_update')
    .select(['incident_id', 'posted_at', 'state', 'body'])
    .where(
      'incident_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('posted_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    severity: r.severity,
    components: r.components as ComponentId[],
    state: r.state,
    startedAt: r.started_at,
    resolvedAt: r.resolved_at,
    updates: updates
      .filter((u) => u.incident_id === r.id)
      .map((u) => ({ postedAt: u.posted_at, state: u.state, body: u.body })),
  }));
}

const incidentColumns = ['id', 'title', 'severity', 'components', 'state', 'started_at', 'resolved_at'] as const;

/** Open incidents, and incidents resolved since `resolvedSince`, newest first. */
export async function listIncidents(db: Db, resolvedSince: Date): Promise<IncidentRow[]> {
  const rows = await tables(db)
    .selectFrom('status_incident')
    .select(incidentColumns)
    .where((eb) => eb.or([eb('resolved_at', 'is', null), eb('resolved_at', '>=', resolvedSince)]))
    .orderBy('started_at', 'desc')
    .limit(200)
    .execute();
  return withUpdates(db, rows);
}

/** Incidents that overlap the time from `from` until now (for the history bars). */
export async function incidentsSince(
  db: Db,
  from: Date,
): Promise<{ severity: 'minor' | 'major'; components: ComponentId[]; startedAt: Date; resolvedAt: Date | null }[]> {
  const rows = await tables(db)
    .selectFrom('status_incident')
    .select(['severity', 'components', 'started_at', 'resolved_at'])
    .where((eb) => eb.or([eb('resolved_at', 'is', null), eb('resolved_at', '>=', from)]))
    .execute();
  return rows.map((r) => ({
    severity: r.severity,
    components: r.components as ComponentId[],
    startedAt: r.started_at,
    resolvedAt: r.resolved_at,
  }));
}

export async function findIncident(db: Db, id: string): Promise<IncidentRow | null> {
  const row = await tables(db)
    .selectFrom('status_incident')
    .select(incidentColumns)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? ((await withUpdates(db, [row]))[0] ?? null) : null;
}

/** The incident row, locked for an update in the caller's transaction. */
export async function lockIncident(trx: Db, id: string) {
  return tables(trx)
    .selectFrom('status_incident')
    .select(['id', 'state', 'resolved_at'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function insertIncident(
  trx: Db,
  incident: { title: string; severity: 'minor' | 'major'; components: ComponentId[]; createdBy: string },
): Promise<string> {
  const row = await tables(trx)
    .insertInto('status_incident')
    .values({
      title: incident.title,
      severity: incident.severity,
      components: incident.components,
      created_by: incident.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertIncidentUpdate(
  trx: Db,
  update: { incidentId: string; state: IncidentState; body: string; postedBy: string },
): Promise<void> {
  await tables(trx)
    .insertInto('status_incident_update')
    .values({ incident_id: update.incidentId, state: update.state, body: update.body, posted_by: update.postedBy })
    .execute();
  await tables(trx)
    .updateTable('status_incident')
    .set({ state: update.state, resolved_at: update.state === 'resolved' ? new Date() : null })
    .where('id', '=', update.incidentId)
    .execute();
}

export interface MaintenanceRow {
  id: string;
  title: string;
  description: string;
  components: ComponentId[];
  startsAt: Date;
  endsAt: Date;
}

/** Maintenance windows not cancelled that end after `endsAfter`, soonest first. */
export async function listMaintenance(db: Db, endsAfter: Date): Promise<MaintenanceRow[]> {
  const rows = await tables(db)
    .selectFrom('status_maintenance')
    .select(['id', 'title', 'description', 'components', 'starts_at', 'ends_at'])
    .where('cancelled_at', 'is', null)
    .where('ends_at', '>', endsAfter)
    .orderBy('starts_at')
    .limit(100)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    description: r.description,
    components: r.components as ComponentId[],
    startsAt: r.starts_at,
    endsAt: r.ends_at,
  }));
}

export async function insertMaintenance(
  trx: Db,
  window: {
    title: string;
    description: string;
    components: ComponentId[];
    startsAt: Date;
    endsAt: Date;
    createdBy: string;
  },
): Promise<string> {
  const row = await tables(trx)
    .insertInto('status_maintenance')
    .values({
      title: window.title,
      description: window.description,
      components: window.components,
      starts_at: window.startsAt,
      ends_at: window.endsAt,
      created_by: window.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Cancels a maintenance window that has not ended; false when there is none such. */
export async function cancelMaintenanceRow(trx: Db, id: string): Promise<boolean> {
  const row = await tables(trx)
    .updateTable('status_maintenance')
    .set({ cancelled_at: new Date() })
    .where('id', '=', id)
    .where('cancelled_at', 'is', null)
    .where('ends_at', '>', new Date())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}
