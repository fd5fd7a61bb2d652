import { textProblem } from '../../http/input.ts';
import { AppError } from '../../http/problem.ts';
import { characterCount, FormTextError } from '../../web/form-text.ts';
import { type ComponentId, isComponentId } from './components.ts';
import type { IncidentState } from './status.tables.ts';

/** Input rules shared by the incident and maintenance use cases. Each failure names its form field. */

export const TITLE_MAX = 200;
export const TEXT_MAX = 4000;
export const incidentStates: readonly IncidentState[] = ['investigating', 'identified', 'monitoring', 'resolved'];

/** Control characters and lone surrogates are refused as typed (line breaks only in multi-line texts). */
function checkCharacters(raw: unknown, field: string, max: number, multiline: boolean): void {
  const problem = typeof raw === 'string' ? textProblem(raw, { multiline, allowBlank: true }) : null;
  if (problem) throw new FormTextError(field, problem, max, multiline);
}

export function checkTitle(raw: unknown): string {
  checkCharacters(raw, 'title', TITLE_MAX, false);
  const title = typeof raw === 'string' ? raw.trim() : '';
  if (!title) throw new AppError(400, 'title_required', 'Give a title.', 'title');
  if (characterCount(title) > TITLE_MAX) {
    throw new AppError(400, 'title_too_long', `The title can be at most ${TITLE_MAX} characters.`, 'title');
  }
  return title;
}

export function checkText(raw: unknown, field: string, required: boolean): string {
  checkCharacters(raw, field, TEXT_MAX, true);
  const text = typeof raw === 'string' ? raw.replace(/\r\n/g, '\n').trim() : '';
  if (required && !text) throw new AppError(400, 'message_required', 'Write a message.', field);
  if (characterCount(text) > TEXT_MAX) {
    throw new AppError(400, 'message_too_long', `The text can be at most ${TEXT_MAX} characters.`, field);
  }
  return text;
}

export function checkComponents(raw: unknown): ComponentId[] {
  const list = (Array.isArray(raw) ? raw : raw === undefined || raw === '' ? [] : [raw]).map(String);
  if (list.length === 0) {
    throw new AppError(400, 'components_required', 'Choose at least one affected component.', 'components');
  }
  const unknown = list.find((c) => !isComponentId(c));
  if (unknown !== undefined) throw new AppError(400, 'invalid_component', 'Unknown component.', 'components');
  return [...new Set(list as ComponentId[])];
}

export function checkSeverity(raw: unknown): 'minor' | 'major' {
  if (raw === 'minor' || raw === 'major') return raw;
  throw new AppError(400, 'invalid_severity', 'Choose the severity.', 'severity');
}

export function checkIncidentState(raw: unknown): IncidentState {
  if (incidentStates.includes(raw as IncidentState)) return raw as IncidentState;
  throw new AppError(400, 'invalid_state', 'Choose the state.', 'state');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string) => UUID.test(value);

/** Minutes to add to UTC to get Copenhagen wall-clock time at this instant. */
function copenhagenOffsetMinutes(at: Date): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Copenhagen',
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return Math.round((wall - Math.floor(at.getTime() / 60_000) * 60_000) / 60_000);
}

/** A `datetime-local` value ("2026-12-05T22:00") read as Copenhagen time. */
export function parseCopenhagenTime(raw: unknown, field: string): Date {
  const match =
    typeof raw === 'string' ? /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2})?$/.exec(raw.trim()) : null;
  if (!match) throw new AppError(400, 'invalid_time', 'Give a date and time.', field);
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  const check = new Date(wall);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59) {
    throw new AppError(400, 'invalid_time', 'Give a date and time.', field);
  }
  // Two passes find the offset in force at that wall-clock time, also next to a daylight-saving change.
  let instant = wall - copenhagenOffsetMinutes(new Date(wall)) * 60_000;
  instant = wall - copenhagenOffsetMinutes(new Date(instant)) * 60_000;
  return new Date(instant);
}

/** The Copenhagen wall-clock value for a `datetime-local` field. */
export function toCopenhagenInput(at: Date): string {
  const local = new Date(at.getTime() + copenhagenOffsetMinutes(at) * 60_000);
  return local.toISOString().slice(0, 16);
}

/** The Copenhagen calendar date of an instant, 'YYYY-MM-DD'. */
export function copenhagenDay(at: Date): string {
  return toCopenhagenInput(at).slice(0, 10);
}
