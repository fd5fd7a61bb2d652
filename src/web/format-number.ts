/**
 * Numbers as people in Denmark read them: "1.234.567", "94,4 %" in Danish; "1,234,567", "94.4%" in English. Every
 * page that shows a count, a share or a measurement formats it here, so one rule decides how a number looks.
 */
import type { Lang } from './i18n.ts';

const locales: Record<Lang, string> = { da: 'da-DK', en: 'en-GB' };

// Building an Intl formatter costs ~50 times more than using one: they are built once per language and precision.
const cache = new Map<string, Intl.NumberFormat>();
function formatter(lang: Lang, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${lang}:${JSON.stringify(options)}`;
  let format = cache.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locales[lang], options);
    cache.set(key, format);
  }
  return format;
}

/** A number with at most `digits` decimals: "1.234,5" / "1,234.5". */
export function formatNumber(lang: Lang, value: number, digits = 1): string {
  return formatter(lang, { maximumFractionDigits: digits }).format(value);
}

/** A whole count: "4.949.948" / "4,949,948". */
export function formatCount(lang: Lang, value: number): string {
  return formatter(lang, { maximumFractionDigits: 0 }).format(value);
}

/**
 * A share given in percent (94.4 means 94.4 %): "94,4 %" (a no-break space before the sign, as Danish writes it) /
 * "94.4%".
 */
export function formatPercent(lang: Lang, percent: number, digits = 1): string {
  return formatter(lang, { style: 'percent', maximumFractionDigits: digits }).format(percent / 100);
}

/** A large number shortened for a chart's axis: "1,1 mio." / "1.1M"; below a million in full ("t." for thousands is
 *  rare in Danish). */
export function formatCompact(lang: Lang, value: number): string {
  if (Math.abs(value) < 1_000_000) return formatNumber(lang, value);
  return formatter(lang, { notation: 'compact', maximumFractionDigits: 1 }).format(value);
}
