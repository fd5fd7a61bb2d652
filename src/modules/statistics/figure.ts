import { csvField } from '../../kernel/csv.ts';
import type { StatisticsKey } from './statistics.i18n.ts';

/**
 * A figure is one published table of numbers: what the page shows as a chart with its data table, and what
 * /api/v1/stats/{id} serves as CSV and JSON. One object feeds all three, so they can never disagree.
 */
export type Cell = string | number | boolean | null;

/** The statistics strings in the page's language (t bound to it): labels, titles and summaries of the figures. */
export type Tr = (key: StatisticsKey, params?: Record<string, string | number>) => string;

export interface Column {
  /** Stable machine name: the CSV header and the JSON key. */
  key: string;
  /** Heading in the page's language. */
  label: string;
  kind: 'text' | 'count' | 'percent' | 'number';
  /** How the page writes a text column's values (the downloads keep the ISO form): a day or a month as a date. */
  format?: 'day' | 'month';
}

export interface ChartSpec {
  /** Categories with names (regions, grounds) are drawn as horizontal bars, so that every name has room. */
  type: 'bar' | 'stacked-bar' | 'line' | 'horizontal-bar' | 'horizontal-stacked-bar';
  /** The column whose values name the categories (x axis). */
  category: string;
  /** The columns drawn as series. */
  series: string[];
  /** A horizontal target line (e.g. the 80% self-service goal), in the series' unit. */
  target?: { value: number; label: string };
  /** The values are percentages (axis 0–100). */
  percent?: boolean;
}

export interface Figure {
  id: string;
  title: string;
  /** One sentence that says what the chart shows (the chart's accessible description). */
  summary: string;
  columns: Column[];
  rows: Record<string, Cell>[];
  /** Whether any row is demo data. */
  demo: boolean;
  /** The day the figures describe (null: reported data, see the rows). */
  asOf: string | null;
  chart?: ChartSpec;
  /** Only the last N rows are shown on the page (the downloads hold them all). */
  pageRows?: number;
}

/** A share in percent with one decimal (0 when there is nothing to share). */
export function percent(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0;
}

/** RFC 4180 CSV with the stable column keys as header. */
export function figureToCsv(figure: Figure): string {
  const lines = [figure.columns.map((c) => c.key).join(',')];
  for (const row of figure.rows) lines.push(figure.columns.map((c) => csvField(row[c.key] ?? null)).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** The JSON download: the figure's metadata and rows keyed by the stable column keys. */
export function figureToJson(figure: Figure) {
  return {
    id: figure.id,
    title: figure.title,
    asOf: figure.asOf,
    demo: figure.demo,
    columns: figure.columns.map(({ key, label, kind }) => ({ key, label, kind })),
    rows: figure.rows,
  };
}
