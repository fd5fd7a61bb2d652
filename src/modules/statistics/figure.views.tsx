import { Alert } from '../../web/components/index.ts';
import { formatDay, formatMonth } from '../../web/dates.ts';
import { formatCount, formatNumber, formatPercent } from '../../web/format-number.ts';
import type { Lang } from '../../web/i18n.ts';
import { t } from '../../web/i18n.ts';
import { chartLegend, renderChart } from './charts.ts';
import type { Cell, Column, Figure } from './figure.ts';

/** A table cell as the page shows it: Danish numbers, shares with a per cent sign, days and months as dates. */
export function formatCell(lang: Lang, column: Column, value: Cell): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'boolean') return t(lang, value ? 'scorecard.yes' : 'scorecard.no');
  if (typeof value === 'number') {
    if (column.kind === 'percent') return formatPercent(lang, value);
    return column.kind === 'count' ? formatCount(lang, value) : formatNumber(lang, value);
  }
  if (column.format === 'day') return formatDay(lang, value);
  if (column.format === 'month') return formatMonth(lang, value);
  return value;
}

/** The downloads of one figure (CSV and JSON from /api/v1/stats/...). */
export function Downloads({ lang, figure }: { lang: Lang; figure: Figure }) {
  const base = `/api/v1/stats/${figure.id}`;
  return (
    <p class="kuvert-stats-downloads">
      <span safe>{t(lang, 'stats.download')}: </span>
      {(['csv', 'json'] as const).map((format) => (
        <a
          href={`${base}?format=${format}&lang=${lang}`}
          aria-label={t(lang, 'stats.downloadLabel', { title: figure.title, format: format.toUpperCase() })}
          download={`${figure.id.replaceAll('/', '-')}.${format}`}
          safe
        >
          {t(lang, format === 'csv' ? 'stats.download.csv' : 'stats.download.json')}
        </a>
      ))}
    </p>
  );
}

/** A figure's data table: caption, column headers, the first column as row headers. */
function FigureTable({ lang, figure, rows }: { lang: Lang; figure: Figure; rows: Figure['rows'] }) {
  // Machine codes are for the downloads; the page shows the readable columns.
  const columns = figure.columns.filter((c) => c.label !== t(lang, 'stats.col.code'));
  return (
    <section class="table--responsive-scroll kuvert-stats-table" tabindex="0" aria-label={figure.title}>
      <table class="table table--compact">
        <caption safe>{t(lang, 'stats.table.caption', { title: figure.title })}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th scope="col" class={column.kind === 'text' ? undefined : 'kuvert-num'} safe>
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr>
              {columns.map((column, index) =>
                index === 0 ? (
                  <th scope="row" class="kuvert-nowrap" safe>
                    {formatCell(lang, column, row[column.key] ?? null)}
                  </th>
                ) : (
                  <td class={column.kind === 'text' ? undefined : 'kuvert-num'} safe>
                    {column.key === 'demo' && row[column.key] === false
                      ? ''
                      : formatCell(lang, column, row[column.key] ?? null)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/**
 * A chart drawn for a desktop column and for a phone (the page shows the one that fits), with its legend as text.
 */
function Chart({ lang, figure, rows }: { lang: Lang; figure: Figure; rows: Figure['rows'] }) {
  const legend = chartLegend(figure);
  const safeWide = renderChart(figure, lang, rows, 'wide');
  const safeNarrow = renderChart(figure, lang, rows, 'narrow');
  return (
    <div class="kuvert-chart">
      {legend.length > 0 ? (
        <ul class="unstyled-list kuvert-chart-legend" aria-label={t(lang, 'stats.legend')}>
          {legend.map((entry) => (
            <li>
              <span class={`kuvert-swatch kuvert-swatch-${entry.colour}`} aria-hidden="true" />
              <span safe>{entry.label}</span>
            </li>
          ))}
        </ul>
      ) : (
        ''
      )}
      {safeWide}
      {safeNarrow}
    </div>
  );
}

/**
 * One figure: heading, demo label, the chart (server-rendered SVG), its data table behind a disclosure, and the
 * downloads.
 */
export function FigureView({ lang, figure, headingLevel = 3 }: { lang: Lang; figure: Figure; headingLevel?: 2 | 3 }) {
  const rows = figure.pageRows ? figure.rows.slice(-figure.pageRows) : figure.rows;
  const id = `fig-${figure.id.replaceAll('/', '-')}`;
  const heading = headingLevel === 2 ? <h2 safe>{figure.title}</h2> : <h3 safe>{figure.title}</h3>;
  return (
    <section class="kuvert-figure" aria-labelledby={id}>
      <div id={id} class="kuvert-figure-heading">
        {heading}
        {figure.demo ? (
          <span class="kuvert-demo-badge" safe>
            {t(lang, 'stats.demo.badge')}
          </span>
        ) : (
          ''
        )}
      </div>
      <p safe>{figure.summary}</p>
      {figure.chart ? <Chart lang={lang} figure={figure} rows={rows} /> : ''}
      <details class="details kuvert-figure-details">
        <summary class="details-summary">
          <span class="details-summary-text" safe>
            {t(lang, 'stats.table.show')}
          </span>
          <span class="sr-only" safe>
            {`: ${figure.title}`}
          </span>
        </summary>
        <div class="details-text">
          <FigureTable lang={lang} figure={figure} rows={rows} />
          {figure.pageRows && figure.rows.length > figure.pageRows ? (
            <p class="form-hint" safe>
              {t(lang, 'stats.table.lastRows', { count: figure.pageRows })}
            </p>
          ) : (
            ''
          )}
        </div>
      </details>
      <Downloads lang={lang} figure={figure} />
    </section>
  );
}

export function DemoNotice({ lang }: { lang: Lang }) {
  return (
    <Alert kind="info" class="kuvert-demo-notice-box" role="note">
      <p class="alert-text" safe>
        {t(lang, 'stats.demo.notice')}
      </p>
    </Alert>
  );
}
