import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { AppError } from '../../http/problem.ts';
import { type AuditEntry, recordAudit } from '../audit/index.ts';
import { canReportFor, type ScorecardReporter } from './statistics.policy.ts';

/** One reported count: applications in one service area of one municipality in one month. */
export interface ScorecardLine {
  municipalityCode: string;
  serviceArea: string;
  /** YYYY-MM */
  month: string;
  digital: number;
  total: number;
}

/** What is wrong with one line; `line` is the 1-based line (API: 1-based position in `reports`). */
export interface ScorecardLineError {
  line: number;
  field: 'municipality_code' | 'service_area' | 'month' | 'digital' | 'total' | 'file';
  code:
    | 'unknown_municipality'
    | 'not_your_municipality'
    | 'unknown_service_area'
    | 'invalid_month'
    | 'invalid_count'
    | 'digital_exceeds_total'
    | 'duplicate_row';
  value: string;
}

export const MAX_SCORECARD_LINES = 20_000;

export interface ScorecardResult {
  inserted: number;
  updated: number;
  unchanged: number;
}

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Checks every line (all errors, not just the first) against the municipalities, the service areas and the clock. */
export async function validateScorecardLines(
  db: Db,
  lines: ScorecardLine[],
  options: { now?: Date; reporter?: ScorecardReporter } = {},
): Promise<ScorecardLineError[]> {
  const now = options.now ?? new Date();
  const currentMonth = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
  const [municipalities, areas] = await Promise.all([
    db.selectFrom('municipality').select('code').execute(),
    db.selectFrom('scorecard_service_area').select('code').execute(),
  ]);
  const knownMunicipalities = new Set(municipalities.map((m) => m.code));
  const knownAreas = new Set(areas.map((a) => a.code));
  const errors: ScorecardLineError[] = [];
  const seen = new Map<string, number>();
  lines.forEach((entry, index) => {
    const line = index + 1;
    const before = errors.length;
    if (!knownMunicipalities.has(entry.municipalityCode)) {
      errors.push({ line, field: 'municipality_code', code: 'unknown_municipality', value: entry.municipalityCode });
    } else if (options.reporter && !canReportFor(options.reporter, entry.municipalityCode)) {
      errors.push({ line, field: 'municipality_code', code: 'not_your_municipality', value: entry.municipalityCode });
    }
    if (!knownAreas.has(entry.serviceArea)) {
      errors.push({ line, field: 'service_area', code: 'unknown_service_area', value: entry.serviceArea });
    }
    if (!MONTH_RE.test(entry.month) || entry.month > currentMonth || entry.month < '2000-01') {
      errors.push({ line, field: 'month', code: 'invalid_month', value: entry.month });
    }
    for (const field of ['digital', 'total'] as const) {
      const value = entry[field];
      if (!Number.isSafeInteger(value) || value < 0 || value > 2_000_000_000) {
        errors.push({ line, field, code: 'invalid_count', value: String(value) });
      }
    }
    if (errors.length === before && entry.digital > entry.total) {
      errors.push({ line, field: 'digital', code: 'digital_exceeds_total', value: String(entry.digital) });
    }
    const key = `${entry.municipalityCode}|${entry.serviceArea}|${entry.month}`;
    const first = seen.get(key);
    if (first !== undefined) errors.push({ line, field: 'month', code: 'duplicate_row', value: String(first) });
    else seen.set(key, line);
  });
  return errors;
}

/**
 * Stores reported counts: an idempotent upsert keyed by municipality × service area × month (the same report twice
 * changes nothing; a corrected count replaces the old one). All lines or none: any invalid line refuses the whole
 * report with every error listed (422 `invalid_report`).
 */
export async function reportScorecard(
  db: Db,
  options: {
    lines: ScorecardLine[];
    reporter?: ScorecardReporter;
    audit: Pick<AuditEntry, 'actorKind' | 'actorId'>;
    reportedBy: string;
    now?: Date;
  },
): Promise<ScorecardResult> {
  const { lines } = options;
  if (lines.length === 0) throw new AppError(422, 'empty_report', 'The report holds no lines.', 'reports');
  if (lines.length > MAX_SCORECARD_LINES) {
    throw new AppError(422, 'too_many_lines', `A report holds at most ${MAX_SCORECARD_LINES} lines.`, 'reports');
  }
  const errors = await validateScorecardLines(db, lines, options);
  if (errors.length > 0) {
    throw new AppError(422, 'invalid_report', `${errors.length} line(s) are invalid; nothing was stored.`, undefined, {
      errors: errors.slice(0, 1000).map((e) => ({
        field: `/reports/${e.line - 1}/${e.field}`,
        code: e.code,
        detail: `line ${e.line}: ${e.field} ${e.code.replaceAll('_', ' ')} (${e.value})`,
      })),
      lineErrors: errors.slice(0, 1000),
    });
  }
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ inserted: string; updated: string }>`
      with input as (
        select * from unnest(
          ${lines.map((l) => l.municipalityCode)}::text[], ${lines.map((l) => l.serviceArea)}::text[],
          ${lines.map((l) => `${l.month}-01`)}::date[], ${lines.map((l) => l.digital)}::int[],
          ${lines.map((l) => l.total)}::int[]) as t(municipality_code, service_area, month, digital, total)
      ), upserted as (
        insert into scorecard_report (municipality_code, service_area, month, digital, total, demo, reported_by)
        select municipality_code, service_area, month, digital, total, false, ${options.reportedBy} from input
        on conflict (municipality_code, service_area, month) do update
          set digital = excluded.digital, total = excluded.total, demo = false,
              reported_by = excluded.reported_by, updated_at = now()
          where (scorecard_report.digital, scorecard_report.total, scorecard_report.demo)
            is distinct from (excluded.digital, excluded.total, false)
        returning (xmax = 0) as inserted
      )
      select count(*) filter (where inserted) as inserted, count(*) filter (where not inserted) as updated
      from upserted
    `.execute(trx);
    const inserted = Number(rows[0]?.inserted ?? 0);
    const updated = Number(rows[0]?.updated ?? 0);
    const result = { inserted, updated, unchanged: lines.length - inserted - updated };
    await recordAudit(trx, {
      ...options.audit,
      action: 'scorecard.reported',
      subjectType: 'scorecard_report',
      subjectId: options.reporter?.id ?? options.reportedBy,
      details: { lines: lines.length, ...result, reportedBy: options.reportedBy },
    });
    return result;
  });
}
