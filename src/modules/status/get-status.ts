import type { ReadWith } from '../../db/replica-router.ts';
import type { Services } from '../../services.ts';
import { type ComponentId, type ComponentState, componentIds, severityState, worst } from './components.ts';
import type { Reason, StatusChecker } from './run-status-checks.ts';
import {
  type DayCounts,
  type IncidentRow,
  incidentsSince,
  listDays,
  listIncidents,
  listMaintenance,
  type MaintenanceRow,
} from './status.repository.ts';
import { copenhagenDay } from './status-input.ts';

export const HISTORY_DAYS = 90;
/** Resolved incidents stay on the page this long. */
const RECENT_DAYS = 14;

export type DayState = ComponentState | 'none';

export interface HistoryDay {
  date: string;
  state: DayState;
  /** Minutes the checks found each state (one check a minute). */
  operational: number;
  degraded: number;
  down: number;
  /** An incident affected the component that day. */
  incident: boolean;
}

export interface ComponentStatus {
  id: ComponentId;
  /** The live checks and open incidents together. */
  state: ComponentState;
  /** What the live checks found. */
  reasons: Reason[];
  /** Open incidents affecting it (their severity counts in `state`). */
  incidentIds: string[];
  /** A maintenance window is in progress. */
  maintenance: boolean;
  history: HistoryDay[];
  /** Share of checks that found it operational in the history period; null without any checks. */
  uptimePercent: number | null;
}

export interface StatusView {
  state: ComponentState;
  checkedAt: Date;
  components: ComponentStatus[];
  /** Open incidents, then recently resolved ones, newest first. */
  incidents: IncidentRow[];
  /** In progress and planned maintenance, soonest first. */
  maintenance: (MaintenanceRow & { inProgress: boolean })[];
  /** False when incidents and history could not be read (the database is down): the page says so. */
  recordsAvailable: boolean;
}

/** The days shown, oldest first, ending with today (Copenhagen). */
export function historyDates(now: Date, days = HISTORY_DAYS): string[] {
  const today = Date.parse(`${copenhagenDay(now)}T00:00:00Z`);
  return Array.from({ length: days }, (_, i) =>
    new Date(today - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10),
  );
}

/** One component's bar: check counts per day, raised to the severity of any incident that touched the day. */
export function buildHistory(
  id: ComponentId,
  dates: string[],
  counts: DayCounts[],
  incidents: { severity: 'minor' | 'major'; components: ComponentId[]; startedAt: Date; resolvedAt: Date | null }[],
  now: Date,
): HistoryDay[] {
  const byDay = new Map(counts.filter((c) => c.component === id).map((c) => [c.day, c]));
  const touching = incidents
    .filter((i) => i.components.includes(id))
    .map((i) => ({
      state: severityState(i.severity),
      from: copenhagenDay(i.startedAt),
      to: copenhagenDay(i.resolvedAt ?? now),
    }));
  return dates.map((date) => {
    const c = byDay.get(date);
    const operational = c?.operational ?? 0;
    const degraded = c?.degraded ?? 0;
    const down = c?.down ?? 0;
    const fromIncidents = touching.filter((i) => i.from <= date && date <= i.to).map((i) => i.state);
    const fromChecks: ComponentState[] = down > 0 ? ['down'] : degraded > 0 ? ['degraded'] : [];
    const any = operational + degraded + down > 0 || fromIncidents.length > 0;
    return {
      date,
      state: any ? worst(...fromChecks, ...fromIncidents) : 'none',
      operational,
      degraded,
      down,
      incident: fromIncidents.length > 0,
    };
  });
}

/**
 * Everything /drift and /api/v1/status show: live state, incidents, maintenance and 90 days of history. The records
 * tolerate lag: `read` may take them from the replica (a request's `reads.lagTolerant`).
 */
export async function getStatus(
  services: Services,
  checker: StatusChecker,
  now = new Date(),
  read: ReadWith = (work) => work(services.db),
): Promise<StatusView> {
  const snapshot = await checker.current();
  const dates = historyDates(now);
  let incidents: IncidentRow[] = [];
  let maintenance: MaintenanceRow[] = [];
  let counts: DayCounts[] = [];
  let overlapping: Awaited<ReturnType<typeof incidentsSince>> = [];
  let recordsAvailable = true;
  try {
    const since = new Date(`${dates[0]}T00:00:00Z`);
    since.setUTCDate(since.getUTCDate() - 1);
    [incidents, maintenance, counts, overlapping] = await read((db) =>
      Promise.all([
        listIncidents(db, new Date(now.getTime() - RECENT_DAYS * 86_400_000)),
        listMaintenance(db, now),
        listDays(db, dates[0] as string),
        incidentsSince(db, since),
      ]),
    );
  } catch {
    recordsAvailable = false;
  }
  const open = incidents.filter((i) => i.resolvedAt === null);
  const windows = maintenance.map((m) => ({ ...m, inProgress: m.startsAt <= now && now < m.endsAt }));
  const components = componentIds.map((id): ComponentStatus => {
    const live = snapshot.components.find((c) => c.id === id);
    const affecting = open.filter((i) => i.components.includes(id));
    const history = buildHistory(id, dates, counts, overlapping, now);
    const total = history.reduce((n, d) => n + d.operational + d.degraded + d.down, 0);
    const up = history.reduce((n, d) => n + d.operational, 0);
    return {
      id,
      state: worst(live?.state ?? 'operational', ...affecting.map((i) => severityState(i.severity))),
      reasons: live?.reasons ?? [],
      incidentIds: affecting.map((i) => i.id),
      maintenance: windows.some((m) => m.inProgress && m.components.includes(id)),
      history,
      uptimePercent: total === 0 ? null : Math.floor((up / total) * 10_000) / 100,
    };
  });
  return {
    state: worst(...components.map((c) => c.state)),
    checkedAt: snapshot.checkedAt,
    components,
    incidents,
    maintenance: windows,
    recordsAvailable,
  };
}
