import { Alert } from '../../web/components/index.ts';
import type { Lang } from '../../web/i18n.ts';
import { t } from '../../web/i18n.ts';
import { renderChart } from './charts.ts';
import type { Cell, Column, Figure } from './figure.ts';

export const locale = (lang: Lang) => (lang === 'da' ? 'da-DK' : 'en-GB');

export function formatCell(lang: Lang, column: Column, value: Cell): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'boolean') return t(lang, value ? 'scorecard.yes' : 'scorecard.no');
  if (typeof value === 'number') {
    const text = new Intl.NumberFormat(locale(lang), { maximumFractionDigits: column.kind === 'count' ? 0 : 1 }).format(
      value,
    );
    return column.kind === 'percent' ? `${text} %` : text;
  }
  return value;
}

export function formatDay(lang: Lang, day: string): string {
  return new Intl.DateTimeFormat(locale(lang), { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(`${day}T00:00:00Z`),
  );
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
                  <th scope="row" safe>
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

/** One figure: heading, demo label, the chart (server-rendered SVG) beside its data table, and the downloads. */
export function FigureView({ lang, figure, headingLevel = 3 }: { lang: Lang; figure: Figure; headingLevel?: 2 | 3 }) {
  const rows = figure.pageRows ? figure.rows.slice(-figure.pageRows) : figure.rows;
  const safeSvg = figure.chart ? renderChart(figure, lang, rows) : '';
  const heading = headingLevel === 2 ? <h2 safe>{figure.title}</h2> : <h3 safe>{figure.title}</h3>;
  return (
    <section class="kuvert-figure" aria-labelledby={`fig-${figure.id.replaceAll('/', '-')}`}>
      <div id={`fig-${figure.id.replaceAll('/', '-')}`} class="kuvert-figure-heading">
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
      <div class={figure.chart ? 'kuvert-figure-body' : 'kuvert-figure-body kuvert-figure-table-only'}>
        {safeSvg ? <div class="kuvert-chart">{safeSvg}</div> : ''}
        <FigureTable lang={lang} figure={figure} rows={rows} />
      </div>
      {figure.pageRows && figure.rows.length > figure.pageRows ? (
        <p class="form-hint" safe>
          {t(lang, 'stats.table.lastRows', { count: figure.pageRows })}
        </p>
      ) : (
        ''
      )}
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
