import { BackLink, PageHeader } from '../../web/components/index.ts';
import { formatDay, formatMonth } from '../../web/dates.ts';
import type { Lang } from '../../web/i18n.ts';
import { formatDateTime, t } from '../../web/i18n.ts';
import type { Figure } from './figure.ts';
import { DemoNotice, Downloads, FigureView, formatCell } from './figure.views.tsx';
import type { StatisticsKey } from './statistics.i18n.ts';

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
      <PageHeader title={live ? t(lang, 'stats.todayHeading') : t(lang, 'stats.title')} lead={t(lang, 'stats.intro')} />
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
          {takenAt ? <span safe>{t(lang, 'stats.asOfTaken', { time: formatDateTime(lang, takenAt) })}</span> : ''}
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
              <div class="kuvert-figure-grid">
                {section.figures.map((id) => {
                  const figure = byId.get(id);
                  return figure ? <FigureView lang={lang} figure={figure} /> : '';
                })}
              </div>
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
      <BackLink href="/statistik" text={t(lang, 'stats.title')} />
      <PageHeader title={t(lang, 'scorecard.title')} lead={t(lang, 'scorecard.intro')} />
      {result ? (
        <p safe>
          {t(lang, 'scorecard.period', {
            from: formatMonth(lang, result.period.from),
            to: formatMonth(lang, result.period.to),
          })}
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
      <div class="kuvert-figure-grid">
        {['scorecard-areas', 'scorecard-top', 'scorecard-trend'].map((id) => {
          const figure = byId.get(id);
          return figure ? <FigureView lang={lang} figure={figure} headingLevel={2} /> : '';
        })}
      </div>
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
      <BackLink href="/statistik/selvbetjening" text={t(lang, 'scorecard.back')} />
      <PageHeader title={t(lang, 'scorecard.municipality.title', { name })} />
      {figures.length === 0 ? <p safe>{t(lang, 'scorecard.none')}</p> : ''}
      {figures.some((figure) => figure.demo) ? <DemoNotice lang={lang} /> : ''}
      <div class="kuvert-figure-grid">
        {figures.map((figure) => (
          <FigureView lang={lang} figure={figure} headingLevel={2} />
        ))}
      </div>
    </div>
  );
}
