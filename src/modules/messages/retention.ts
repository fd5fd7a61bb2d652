import { parseDate, parseDateTime } from '../../http/input.ts';
import { AppError } from '../../http/problem.ts';

/**
 * A letter's retention (issue 18): when it is deleted for good. The sender may give `deleteAfter` (a date or a
 * date-time) in JSON, MeMo (memo/kuvert-retention.ts) and batch lines; without it the sender's default
 * (sender.retention_years) applies, else none. Never later than the national maximum (config.retention.maxYears)
 * from sending, never in the past. mailbox/purge-letters.ts deletes letters whose time has come.
 */

/** The instant of a `deleteAfter` as written: a date means 00:00 Copenhagen time that day. Throws 422 on form. */
export function parseDeleteAfter(value: string, field: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return copenhagenMidnight(parseDate(value, field));
  return new Date(parseDateTime(value, field)).toISOString();
}

/** 00:00 in Copenhagen on a calendar day, as an ISO instant (the offset is +01:00 or +02:00 that day). */
export function copenhagenMidnight(day: string): string {
  const utcMidnight = new Date(`${day}T00:00:00Z`);
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Copenhagen',
    timeZoneName: 'longOffset',
  }).formatToParts(utcMidnight);
  const offset = /GMT([+-])(\d{2}):(\d{2})/.exec(parts.find((p) => p.type === 'timeZoneName')?.value ?? '');
  const minutes = offset ? (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) : 0;
  return new Date(utcMidnight.getTime() - minutes * 60_000).toISOString();
}

/** `years` calendar years after `from` (29 February → 28 February in common years). */
export function yearsAfter(from: Date, years: number): Date {
  const to = new Date(from);
  to.setUTCFullYear(from.getUTCFullYear() + years);
  if (to.getUTCDate() !== from.getUTCDate()) to.setUTCDate(0);
  return to;
}

/**
 * Refuses a `deleteAfter` that has passed or lies beyond the national maximum: 422 `retention_in_past` or
 * `retention_beyond_maximum`, naming the field.
 */
export function checkDeleteAfter(deleteAfter: string, now: Date, maxYears: number, field: string): void {
  const at = new Date(deleteAfter);
  if (at.getTime() <= now.getTime()) {
    throw new AppError(422, 'retention_in_past', 'deleteAfter has already passed.', field);
  }
  if (at.getTime() > yearsAfter(now, maxYears).getTime()) {
    throw new AppError(
      422,
      'retention_beyond_maximum',
      `deleteAfter may be at most ${maxYears} years from now (the national maximum).`,
      field,
    );
  }
}

/** When a letter sent now is purged: its own deleteAfter, else the sender's default, else never (null). */
export function effectiveDeleteAfter(deleteAfter: string | null, senderYears: number | null, now: Date): string | null {
  if (deleteAfter) return deleteAfter;
  return senderYears ? yearsAfter(now, senderYears).toISOString() : null;
}

/** The field of a draft's deleteAfter in each intake format. */
export const DELETE_AFTER_FIELD = { json: '/deleteAfter' } as const;
