import * as echarts from 'echarts';
import { formatMonthShort } from '../../web/dates.ts';
import { formatCompact, formatNumber, formatPercent } from '../../web/format-number.ts';
import type { Lang } from '../../web/i18n.ts';
import type { Figure } from './figure.ts';

/** Series colours: distinguishable, each with at least 4.5:1 contrast on white (statistics.css repeats them). */
export const palette = ['#0059b3', '#2f7d00', '#b0005e', '#6b3fa0', '#9a5800', '#333333'];

/**
 * Each chart is drawn twice: `wide` for a column of 560 CSS px (a desktop, two charts side by side), `narrow` for a
 * phone's 328 px (a 360 px screen less the page's margins). The page shows the one that fits (statistics.css), and
 * never draws it smaller than its own width, so the 12 px text is at least 12 px on the screen.
 */
export type ChartVariant = 'wide' | 'narrow';
export const chartWidths: Record<ChartVariant, number> = { wide: 560, narrow: 328 };
const FONT_SIZE = 12;

const escapeXml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/**
 * Makes ECharts' SVG fit a strict Content-Security-Policy and assistive technology: inline `style` attributes become
 * presentation attributes, the hover <style> block goes, and the root gets role="img", a title and a label.
 */
function finishSvg(svg: string, label: string, variant: ChartVariant): string {
  const withoutStyleBlock = svg.replace(/<style[^>]*>[\s\S]*?<\/style>/g, '');
  const presentational = withoutStyleBlock.replace(/ style="([^"]*)"/g, (_whole, css: string) =>
    css
      .split(';')
      .map((declaration) => declaration.trim())
      .filter((declaration) => /^[a-z-]+:[^:]+$/.test(declaration))
      .map((declaration) => {
        const [property, value] = declaration.split(':') as [string, string];
        return ` ${property.trim()}="${value.trim().replaceAll('"', '&quot;')}"`;
      })
      .join(''),
  );
  const title = escapeXml(label);
  return presentational
    .replace(/^<svg width="\d+" height="\d+"/, '<svg')
    .replace(
      /^<svg/,
      `<svg role="img" aria-label="${title}" focusable="false" class="kuvert-chart-svg kuvert-chart-${variant}"`,
    )
    .replace(/(<svg[^>]*>)/, `$1<title>${title}</title>`);
}

/** The names of a chart's series with their colours, for the legend the page writes as text above the chart. */
export function chartLegend(figure: Figure): { label: string; colour: number }[] {
  const spec = figure.chart;
  if (!spec || spec.series.length < 2) return [];
  return spec.series.map((key, index) => ({
    label: figure.columns.find((c) => c.key === key)?.label ?? key,
    colour: index % palette.length,
  }));
}

/** Renders a figure's chart as a self-contained SVG string on the server (no JavaScript in the browser). */
export function renderChart(figure: Figure, lang: Lang, rows = figure.rows, variant: ChartVariant = 'wide'): string {
  const spec = figure.chart;
  if (!spec) return '';
  const narrow = variant === 'narrow';
  const categoryColumn = figure.columns.find((c) => c.key === spec.category);
  const categories = rows.map((row) => String(row[spec.category] ?? ''));
  const categoryLabel = (value: string) =>
    categoryColumn?.format === 'month' || categoryColumn?.format === 'day' ? formatMonthShort(lang, value) : value;
  const horizontal = spec.type === 'horizontal-bar' || spec.type === 'horizontal-stacked-bar';
  const stacked = spec.type === 'stacked-bar' || spec.type === 'horizontal-stacked-bar';
  const series = spec.series.map((key, index) => ({
    name: figure.columns.find((c) => c.key === key)?.label ?? key,
    type: spec.type === 'line' ? ('line' as const) : ('bar' as const),
    stack: stacked ? 'total' : undefined,
    data: rows.map((row) => {
      const value = row[key];
      return typeof value === 'number' ? value : null;
    }),
    symbolSize: 4,
    barMaxWidth: horizontal ? 24 : 48,
    itemStyle: { color: palette[index % palette.length] },
    lineStyle: { width: 2 },
    markLine:
      index === 0 && spec.target
        ? {
            silent: true,
            symbol: 'none',
            lineStyle: { color: '#000000', type: 'dashed' as const, width: 1.5 },
            label: {
              formatter: spec.target.label,
              color: '#000000',
              fontSize: FONT_SIZE,
              // Above the bars (the category axis runs top down, so its start is at the top).
              position: horizontal ? ('start' as const) : ('insideEndTop' as const),
            },
            data: [horizontal ? { xAxis: spec.target.value } : { yAxis: spec.target.value }],
          }
        : undefined,
  }));
  // Horizontal bars: one row per category, tall enough for a label wrapped onto two lines on a phone.
  const rowHeight = narrow ? 40 : 32;
  const top = spec.target && horizontal ? 28 : 12;
  const height = horizontal ? top + 36 + categories.length * rowHeight : narrow ? 240 : 280;
  const width = chartWidths[variant];
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  const valueAxis = {
    type: 'value' as const,
    max: spec.percent ? 100 : undefined,
    // Shares step by 20 points, on a phone by 25 (50 beside the names of horizontal bars), so 100 % is a tick; counts
    // get 3 or 5 round steps.
    interval: spec.percent ? (narrow ? (horizontal ? 50 : 25) : 20) : undefined,
    splitNumber: narrow ? 3 : 5,
    axisLabel: {
      color: '#333333',
      fontSize: FONT_SIZE,
      hideOverlap: true,
      formatter: (v: number) =>
        spec.percent ? formatPercent(lang, v, 0) : narrow ? formatCompact(lang, v) : formatNumber(lang, v),
    },
  };
  const categoryAxis = {
    type: 'category' as const,
    data: categories,
    axisLabel: {
      color: '#333333',
      fontSize: FONT_SIZE,
      formatter: categoryLabel,
      // Every category named: a long name breaks onto a second line; only time series thin out their labels.
      ...(horizontal
        ? { interval: 0, width: narrow ? 128 : 180, overflow: 'break' as const, lineHeight: 15 }
        : { hideOverlap: true }),
    },
    inverse: horizontal,
  };
  chart.setOption({
    animation: false,
    textStyle: { fontFamily: 'IBM Plex Sans, Arial, sans-serif', fontSize: FONT_SIZE },
    grid: {
      left: 4,
      right: 24,
      top,
      bottom: 4,
      outerBoundsMode: 'same',
      outerBoundsContain: 'axisLabel',
    },
    xAxis: horizontal ? valueAxis : categoryAxis,
    yAxis: horizontal ? categoryAxis : valueAxis,
    series,
  });
  try {
    return finishSvg(chart.renderToSVGString(), `${figure.title}. ${figure.summary}`, variant);
  } finally {
    chart.dispose();
  }
}
