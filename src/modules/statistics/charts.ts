import * as echarts from 'echarts';
import type { Figure } from './figure.ts';

/** Series colours: distinguishable, each with at least 4.5:1 contrast on white. */
const palette = ['#0059b3', '#2f7d00', '#b0005e', '#6b3fa0', '#9a5800', '#333333'];

const escapeXml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/**
 * Makes ECharts' SVG fit a strict Content-Security-Policy and assistive technology: inline `style` attributes become
 * presentation attributes, the hover <style> block goes, and the root gets role="img", a title and a label.
 */
function finishSvg(svg: string, label: string): string {
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
    .replace(/^<svg/, `<svg role="img" aria-label="${title}" focusable="false" class="kuvert-chart-svg"`)
    .replace(/(<svg[^>]*>)/, `$1<title>${title}</title>`);
}

const formatNumber = (lang: 'da' | 'en') => (value: number) =>
  new Intl.NumberFormat(lang === 'da' ? 'da-DK' : 'en-GB', { maximumFractionDigits: 1 }).format(value);

/** Renders a figure's chart as a self-contained SVG string on the server (no JavaScript in the browser). */
export function renderChart(figure: Figure, lang: 'da' | 'en', rows = figure.rows): string {
  const spec = figure.chart;
  if (!spec) return '';
  const categories = rows.map((row) => String(row[spec.category] ?? ''));
  const horizontal = spec.type === 'horizontal-bar';
  const labelOf = (key: string) => figure.columns.find((c) => c.key === key)?.label ?? key;
  const fmt = formatNumber(lang);
  const series = spec.series.map((key, index) => ({
    name: labelOf(key),
    type: spec.type === 'line' ? ('line' as const) : ('bar' as const),
    stack: spec.type === 'stacked-bar' ? 'total' : undefined,
    data: rows.map((row) => {
      const value = row[key];
      return typeof value === 'number' ? value : null;
    }),
    symbolSize: 4,
    itemStyle: { color: palette[index % palette.length] },
    lineStyle: { width: 2 },
    markLine:
      index === 0 && spec.target
        ? {
            silent: true,
            symbol: 'none',
            lineStyle: { color: '#000000', type: 'dashed' as const, width: 1.5 },
            label: { formatter: spec.target.label, color: '#000000', position: 'insideEndTop' as const },
            data: [horizontal ? { xAxis: spec.target.value } : { yAxis: spec.target.value }],
          }
        : undefined,
  }));
  const height = horizontal ? Math.max(200, 60 + categories.length * 28) : 320;
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 640, height });
  const valueAxis = {
    type: 'value' as const,
    max: spec.percent ? 100 : undefined,
    axisLabel: { color: '#333333', formatter: (v: number) => (spec.percent ? `${fmt(v)} %` : fmt(v)) },
  };
  const categoryAxis = {
    type: 'category' as const,
    data: categories,
    axisLabel: { color: '#333333', hideOverlap: true },
    inverse: horizontal,
  };
  chart.setOption({
    animation: false,
    textStyle: { fontFamily: 'IBM Plex Sans, Arial, sans-serif', fontSize: 12 },
    grid: { left: horizontal ? 150 : 70, right: 24, top: spec.series.length > 1 ? 48 : 24, bottom: 40 },
    legend: spec.series.length > 1 ? { top: 0, textStyle: { color: '#333333' } } : undefined,
    xAxis: horizontal ? valueAxis : categoryAxis,
    yAxis: horizontal ? categoryAxis : valueAxis,
    series,
  });
  try {
    return finishSvg(chart.renderToSVGString(), `${figure.title}. ${figure.summary}`);
  } finally {
    chart.dispose();
  }
}
