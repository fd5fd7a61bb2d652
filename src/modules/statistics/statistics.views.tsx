import type { Lang } from '../../web/i18n.ts';
import { t } from '../../web/i18n.ts';
import { renderChart } from './charts.ts';
import type { Cell, Column, Figure } from './figure.ts';
import type { ScorecardLineError } from './report-scorecard.ts';
import type { StatisticsKey } from './statistics.i18n.ts';

const locale = (lang: Lang) => (lang === 'da' ? 'da-DK' : 'en-GB');

function formatCell(lang: Lang, column: Column, value: Cell): string {
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

function formatDay(lang: Lang, day: string): string {
  return new Intl.DateTimeFormat(locale(lang), { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(`${day}T00:00:00Z`),
  );
}

/** The downloads of one figure (CSV and JSON from /api/v1/stats/...). */
function Downloads({ lang, figure }: { lang: Lang; figure: Figure }) {
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

const sections: { key: StatisticsKey; id: string; figures: string[] }[] = [
  {
    key: 'stats.section.enrolment',
    id: 'tilmelding',
    figures: [
      'enrolment',
      'enrolment-history',
      'enrolment-by-region',
      'enrolment-by-age',
      'enrolment-by-sex',
      'enrolment-by-municipality',
      'exemptions',
    ],
  },
  { key: 'stats.section.contact', id: 'kontakt', figures: ['contact-details'] },
  {
    key: 'stats.section.volumes',
    id: 'maengder',
    figures: ['letters-by-year', 'letters-by-sender-kind', 'volumes-by-channel', 'digital-share'],
  },
  { key: 'stats.section.reading', id: 'laesning', figures: ['read-time'] },
];

export function DemoNotice({ lang }: { lang: Lang }) {
  return (
    <div class="alert alert-info kuvert-demo-notice-box" role="note">
      <div class="alert-body">
        <p class="alert-text" safe>
          {t(lang, 'stats.demo.notice')}
        </p>
      </div>
    </div>
  );
}

/** /statistik: the public statistics from the newest snapshot (or counted now, when `live`). */
export function StatisticsPage({
  lang,
  figures,
  asOf,
  takenAt,
  live,
}: {
  lang: Lang;
  figures: Figure[] | null;
  asOf: string | null;
  takenAt: Date | null;
  live: boolean;
}) {
  const byId = new Map((figures ?? []).map((figure) => [figure.id, figure]));
  return (
    <div class="kuvert-stats">
      <h1 safe>{live ? t(lang, 'stats.todayHeading') : t(lang, 'stats.title')}</h1>
      <p class="font-lead" safe>
        {t(lang, 'stats.intro')}
      </p>
      {live ? (
        <p>
          <span safe>{t(lang, 'stats.todayNote')} </span>
          <a href="/statistik" safe>
            {t(lang, 'stats.backToSnapshot')}
          </a>
        </p>
      ) : (
        ''
      )}
      {asOf ? (
        <p>
          <strong safe>{t(lang, 'stats.asOf', { date: formatDay(lang, asOf) })}</strong>{' '}
          {takenAt ? (
            <span safe>
              {t(lang, 'stats.asOfTaken', {
                time: new Intl.DateTimeFormat(locale(lang), {
                  dateStyle: 'short',
                  timeStyle: 'short',
                  timeZone: 'Europe/Copenhagen',
                }).format(takenAt),
              })}
            </span>
          ) : (
            ''
          )}
        </p>
      ) : (
        <p safe>{t(lang, 'stats.none')}</p>
      )}
      {(figures ?? []).some((figure) => figure.demo) ? <DemoNotice lang={lang} /> : ''}
      <ul class="kuvert-stats-links">
        {live ? (
          ''
        ) : (
          <li>
            <a href="/statistik/i-dag" safe>
              {t(lang, 'stats.today')}
            </a>
          </li>
        )}
        <li>
          <a href="/statistik/selvbetjening" safe>
            {t(lang, 'stats.scorecardLink')}
          </a>
        </li>
      </ul>
      {figures ? (
        <nav aria-label={t(lang, 'stats.contents')}>
          <h2 class="h4" safe>
            {t(lang, 'stats.contents')}
          </h2>
          <ul>
            {sections.map((section) => (
              <li>
                <a href={`#${section.id}`} safe>
                  {t(lang, section.key)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      ) : (
        ''
      )}
      {figures
        ? sections.map((section) => (
            <section aria-labelledby={section.id}>
              <h2 id={section.id} safe>
                {t(lang, section.key)}
              </h2>
              {section.figures.map((id) => {
                const figure = byId.get(id);
                return figure ? <FigureView lang={lang} figure={figure} /> : '';
              })}
            </section>
          ))
        : ''}
      <h2 safe>{t(lang, 'stats.openData')}</h2>
      <p>
        <span safe>{t(lang, 'stats.openData.text')} </span>
        <a href="/api/docs" safe>
          {t(lang, 'layout.footer.apiDocs')}
        </a>
      </p>
    </div>
  );
}

/** /statistik/selvbetjening: the national self-service scorecard and a way to each municipality's page. */
export function ScorecardPage({
  lang,
  result,
  municipalities,
  canUpload,
}: {
  lang: Lang;
  result: { period: { from: string; to: string }; figures: Figure[] } | null;
  municipalities: { code: string; name: string }[];
  canUpload: boolean;
}) {
  const byId = new Map((result?.figures ?? []).map((figure) => [figure.id, figure]));
  const all = byId.get('scorecard-municipalities');
  return (
    <div class="kuvert-stats">
      <p>
        <a href="/statistik" class="back-link" safe>
          {t(lang, 'stats.title')}
        </a>
      </p>
      <h1 safe>{t(lang, 'scorecard.title')}</h1>
      <p class="font-lead" safe>
        {t(lang, 'scorecard.intro')}
      </p>
      {result ? (
        <p safe>
          {t(lang, 'scorecard.period', { from: result.period.from.slice(0, 7), to: result.period.to.slice(0, 7) })}
        </p>
      ) : (
        <p safe>{t(lang, 'scorecard.none')}</p>
      )}
      {result?.figures.some((figure) => figure.demo) ? <DemoNotice lang={lang} /> : ''}
      {canUpload ? (
        <p>
          <a href="/statistik/selvbetjening/indberet" class="button button-secondary" safe>
            {t(lang, 'scorecard.report')}
          </a>
        </p>
      ) : (
        ''
      )}
      <form method="get" action="/statistik/selvbetjening/kommune" class="kuvert-municipality-picker">
        <div class="form-group">
          <label class="form-label" for="kommune" safe>
            {t(lang, 'scorecard.municipality.choose')}
          </label>
          <select class="form-select" id="kommune" name="kode">
            {municipalities.map((m) => (
              <option value={m.code} safe>
                {m.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="button button-secondary" safe>
          {t(lang, 'scorecard.municipality.show')}
        </button>
      </form>
      {['scorecard-areas', 'scorecard-top', 'scorecard-trend'].map((id) => {
        const figure = byId.get(id);
        return figure ? <FigureView lang={lang} figure={figure} headingLevel={2} /> : '';
      })}
      {all ? (
        <section class="kuvert-figure" aria-labelledby="fig-scorecard-municipalities">
          <h2 id="fig-scorecard-municipalities" safe>
            {all.title}
          </h2>
          <section class="table--responsive-scroll kuvert-stats-table" tabindex="0" aria-label={all.title}>
            <table class="table table--compact">
              <caption safe>{t(lang, 'stats.table.caption', { title: all.title })}</caption>
              <thead>
                <tr>
                  <th scope="col" safe>
                    {t(lang, 'stats.col.municipality')}
                  </th>
                  <th scope="col" class="kuvert-num" safe>
                    {t(lang, 'scorecard.col.share')}
                  </th>
                  <th scope="col" safe>
                    {t(lang, 'scorecard.col.met')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {all.rows.map((row) => (
                  <tr>
                    <th scope="row">
                      <a href={`/statistik/selvbetjening/kommuner/${String(row.municipality_code)}`} safe>
                        {String(row.municipality)}
                      </a>
                    </th>
                    <td class="kuvert-num" safe>
                      {formatCell(lang, { key: 'share', label: '', kind: 'percent' }, row.share ?? null)}
                    </td>
                    <td safe>{formatCell(lang, { key: 'met', label: '', kind: 'text' }, row.target_met ?? null)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <Downloads lang={lang} figure={all} />
        </section>
      ) : (
        ''
      )}
    </div>
  );
}

/** /statistik/selvbetjening/kommuner/:code */
export function MunicipalityScorecardPage({ lang, name, figures }: { lang: Lang; name: string; figures: Figure[] }) {
  return (
    <div class="kuvert-stats">
      <p>
        <a href="/statistik/selvbetjening" class="back-link" safe>
          {t(lang, 'scorecard.back')}
        </a>
      </p>
      <h1 safe>{t(lang, 'scorecard.municipality.title', { name })}</h1>
      {figures.length === 0 ? <p safe>{t(lang, 'scorecard.none')}</p> : ''}
      {figures.some((figure) => figure.demo) ? <DemoNotice lang={lang} /> : ''}
      {figures.map((figure) => (
        <FigureView lang={lang} figure={figure} headingLevel={2} />
      ))}
    </div>
  );
}

/** The readable text of one CSV line error. */
export function lineErrorText(lang: Lang, error: ScorecardLineError): string {
  const code = error.code === 'not_your_municipality' ? 'unknown_municipality' : error.code;
  return t(lang, `upload.error.${code}`, { field: error.field, value: error.value });
}

/** /statistik/selvbetjening/indberet: the operator's CSV upload, with every error of a refused file by line. */
export function UploadPage({
  lang,
  csrf,
  areas,
  done,
  fileError,
  lineErrors,
}: {
  lang: Lang;
  csrf: JSX.Element;
  areas: { code: string; name: string }[];
  done?: { inserted: number; updated: number; unchanged: number };
  fileError?: string;
  lineErrors?: ScorecardLineError[];
}) {
  const failed = Boolean(fileError || lineErrors?.length);
  return (
    <div class="kuvert-stats">
      <p>
        <a href="/statistik/selvbetjening" class="back-link" safe>
          {t(lang, 'scorecard.back')}
        </a>
      </p>
      <h1 safe>{t(lang, 'upload.title')}</h1>
      {done ? (
        <div class="alert alert-success" role="status">
          <div class="alert-body">
            <p class="alert-text" safe>
              {t(lang, 'upload.done', done)}
            </p>
          </div>
        </div>
      ) : (
        ''
      )}
      {failed ? (
        <div class="alert alert-error" role="alert" tabindex="-1" id="upload-errors">
          <div class="alert-body">
            <p class="alert-heading" safe>
              {t(lang, 'upload.failed')}
            </p>
            {fileError ? (
              <p class="alert-text" safe>
                {fileError}
              </p>
            ) : (
              ''
            )}
            {lineErrors?.length ? (
              <ul class="alert-text">
                {lineErrors.slice(0, 200).map((error) => (
                  <li>
                    <strong safe>{t(lang, 'upload.line', { line: error.line })}</strong>
                    <span safe>: {lineErrorText(lang, error)}</span>
                  </li>
                ))}
              </ul>
            ) : (
              ''
            )}
          </div>
        </div>
      ) : (
        ''
      )}
      <p safe>{t(lang, 'upload.intro')}</p>
      <p safe>{t(lang, 'upload.areas')}</p>
      <ul>
        {areas.map((area) => (
          <li>
            <code safe>{area.code}</code>
            <span safe> – {area.name}</span>
          </li>
        ))}
      </ul>
      <form method="post" action="/statistik/selvbetjening/indberet" enctype="multipart/form-data">
        {csrf}
        <div class={failed ? 'form-group form-error' : 'form-group'}>
          <label class="form-label" for="file" safe>
            {t(lang, 'upload.file')}
          </label>
          <span class="form-hint" id="file-hint" safe>
            {t(lang, 'upload.file.hint')}
          </span>
          <input
            class="form-input"
            type="file"
            id="file"
            name="file"
            accept=".csv,text/csv"
            aria-describedby="file-hint"
            required
          />
        </div>
        <button type="submit" class="button button-primary" safe>
          {t(lang, 'upload.submit')}
        </button>
      </form>
    </div>
  );
}
