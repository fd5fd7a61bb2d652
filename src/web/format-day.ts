/**
 * Calendar days and months (the "2026-12-06" and "2026-12" of reports and statistics, not moments in time) as people
 * in Denmark read them: "6. dec. 2026" and "dec. 2026" in Danish, "6 Dec 2026" and "Dec 2026" in English.
 */
import type { Lang } from './i18n.ts';

const locales: Record<Lang, string> = { da: 'da-DK', en: 'en-GB' };

function formats(options: Intl.DateTimeFormatOptions): Record<Lang, Intl.DateTimeFormat> {
  return {
    da: new Intl.DateTimeFormat(locales.da, { ...options, timeZone: 'UTC' }),
    en: new Intl.DateTimeFormat(locales.en, { ...options, timeZone: 'UTC' }),
  };
}
const dayFormats = formats({ day: 'numeric', month: 'short', year: 'numeric' });
const monthFormats = formats({ month: 'short', year: 'numeric' });
const shortMonthFormats = formats({ month: 'short', year: '2-digit' });

/** A day or month written as YYYY-MM-DD or YYYY-MM (a Date: its UTC day), as the first moment of it in UTC. */
function calendar(value: string | Date): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  const match = /^(\d{4})-(\d{2})(?:-(\d{2}))?/.exec(value);
  if (!match) return null;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3] ?? 1)));
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "6. dec. 2026" / "6 Dec 2026". Text that is not a date is returned as it is. */
export function formatDay(lang: Lang, day: string | Date): string {
  const date = calendar(day);
  return date ? dayFormats[lang].format(date) : String(day);
}

/** "dec. 2026" / "Dec 2026". Text that is not a month is returned as it is. */
export function formatMonth(lang: Lang, month: string | Date): string {
  const date = calendar(month);
  return date ? monthFormats[lang].format(date) : String(month);
}

/** "dec. 26" / "Dec 26": a month on a chart's axis. */
export function formatMonthShort(lang: Lang, month: string | Date): string {
  const date = calendar(month);
  return date ? shortMonthFormats[lang].format(date) : String(month);
}
