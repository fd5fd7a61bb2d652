import { AppError } from '../../http/problem.ts';
import type { AccessLevel } from './mailbox.policy.ts';

/** Today's date in Copenhagen (YYYY-MM-DD). */
export function copenhagenDay(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen' }).format(at);
}

/**
 * An optional last day of access from a form: YYYY-MM-DD (a date input) or DD-MM-YYYY / DD.MM.YYYY (typed). Empty
 * means no end. Must be a real date, today or later.
 */
export function parseEndDate(input: string | undefined, now: Date, field = 'endDate'): string | null {
  const value = input?.trim() ?? '';
  if (!value) return null;
  let day: string | null = null;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const danish = /^(\d{1,2})[.-](\d{1,2})[.-](\d{4})$/.exec(value);
  if (iso) day = `${iso[1]}-${iso[2]}-${iso[3]}`;
  else if (danish) day = `${danish[3]}-${danish[2]?.padStart(2, '0')}-${danish[1]?.padStart(2, '0')}`;
  const parsed = day ? new Date(`${day}T00:00:00Z`) : null;
  if (!day || !parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== day) {
    throw new AppError(422, 'invalid_end_date', 'The end date is not a valid date (DD-MM-ÅÅÅÅ).', field);
  }
  if (day < copenhagenDay(now)) {
    throw new AppError(422, 'end_date_in_past', 'The end date must be today or later.', field);
  }
  if (Number(day.slice(0, 4)) > Number(copenhagenDay(now).slice(0, 4)) + 100) {
    throw new AppError(422, 'invalid_end_date', 'The end date is not a valid date (DD-MM-ÅÅÅÅ).', field);
  }
  return day;
}

/** Read or read/write, from a form; ownership is never granted. */
export function parseLevel(input: string | undefined): Exclude<AccessLevel, 'owner'> {
  if (input === 'read' || input === 'read_write') return input;
  throw new AppError(422, 'invalid_level', 'Choose read access or read/write access.', 'level');
}

/** Names compared as people type them: case, accents as typed, and spacing do not matter. */
export const normaliseName = (name: string) =>
  name.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('da');

/** Whether a typed name is the registered one: the full name, or first and last name. */
export function nameMatches(typed: string, registered: string): boolean {
  const a = normaliseName(typed);
  const words = normaliseName(registered).split(' ');
  return a.length > 0 && (a === words.join(' ') || a === `${words[0]} ${words[words.length - 1]}`);
}
