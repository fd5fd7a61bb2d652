import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { type Lang, t } from '../../web/i18n.ts';
import { type Figure, percent } from './figure.ts';

export const SELF_SERVICE_TARGET = 80;

export interface ScorecardPeriod {
  /** YYYY-MM-01 */
  from: string;
  to: string;
}

interface Sums {
  digital: number;
  total: number;
  demo: boolean;
}

const sums = (row: { digital: string; total: string; demo: boolean }): Sums => ({
  digital: Number(row.digital),
  total: Number(row.total),
  demo: row.demo,
});

/** The latest 12 months with reports (ending with the newest reported month); null when nothing is reported. */
export async function scorecardPeriod(db: Db): Promise<ScorecardPeriod | null> {
  const { rows } = await sql<{ to: string | null; from: string | null }>`
    select max(month) as to, (max(month) - interval '11 months')::date as from from scorecard_report`.execute(db);
  const row = rows[0];
  return row?.to && row.from ? { from: row.from, to: row.to } : null;
}

export async function serviceAreas(db: Db, lang: Lang): Promise<{ code: string; name: string }[]> {
  const rows = await db.selectFrom('scorecard_service_area').selectAll().orderBy('position').execute();
  return rows.map((row) => ({ code: row.code, name: lang === 'da' ? row.name_da : row.name_en }));
}

/** The national scorecard: share per area against the target, top 5 against the average, trend per area, all 98. */
export async function loadScorecardFigures(
  db: Db,
  lang: Lang,
): Promise<{ period: ScorecardPeriod; figures: Figure[] } | null> {
  const period = await scorecardPeriod(db);
  if (!period) return null;
  const tr = (key: Parameters<typeof t>[1], params?: Record<string, string | number>) => t(lang, key, params);
  const areas = await serviceAreas(db, lang);
  const [byArea, byMunicipality, byYear] = await Promise.all([
    sql<{ service_area: string; digital: string; total: string; demo: boolean }>`
      select service_area, sum(digital) as digital, sum(total) as total, bool_or(demo) as demo from scorecard_report
      where month between ${period.from}::date and ${period.to}::date group by service_area`.execute(db),
    sql<{ code: string; name: string; digital: string; total: string; demo: boolean }>`
      select m.code, m.name, coalesce(sum(r.digital), 0) as digital, coalesce(sum(r.total), 0) as total,
        coalesce(bool_or(r.demo), false) as demo
      from municipality m
      left join scorecard_report r on r.municipality_code = m.code
        and r.month between ${period.from}::date and ${period.to}::date
      group by m.code, m.name order by m.name`.execute(db),
    sql<{ year: string; service_area: string; digital: string; total: string; demo: boolean }>`
      select extract(year from month)::int::text as year, service_area, sum(digital) as digital, sum(total) as total,
        bool_or(demo) as demo
      from scorecard_report group by 1, 2 order by 1`.execute(db),
  ]);
  const areaSums = new Map(byArea.rows.map((row) => [row.service_area, sums(row)]));
  const demo = byArea.rows.some((row) => row.demo);
  const national = byArea.rows.reduce(
    (acc, row) => ({ digital: acc.digital + Number(row.digital), total: acc.total + Number(row.total) }),
    { digital: 0, total: 0 },
  );
  const asOf = period.to;
  const figures: Figure[] = [];

  figures.push({
    id: 'scorecard-areas',
    title: tr('scorecard.fig.areas'),
    summary: tr('scorecard.fig.areas.summary'),
    columns: [
      { key: 'service_area', label: tr('stats.col.code'), kind: 'text' },
      { key: 'area', label: tr('scorecard.col.area'), kind: 'text' },
      { key: 'digital', label: tr('scorecard.col.digital'), kind: 'count' },
      { key: 'total', label: tr('scorecard.col.total'), kind: 'count' },
      { key: 'share', label: tr('scorecard.col.share'), kind: 'percent' },
      { key: 'target', label: tr('scorecard.col.target'), kind: 'percent' },
      { key: 'target_met', label: tr('scorecard.col.met'), kind: 'text' },
    ],
    rows: areas
      .filter((area) => areaSums.has(area.code))
      .map((area) => {
        const s = areaSums.get(area.code) as Sums;
        const share = percent(s.digital, s.total);
        return {
          service_area: area.code,
          area: area.name,
          digital: s.digital,
          total: s.total,
          share,
          target: SELF_SERVICE_TARGET,
          target_met: share >= SELF_SERVICE_TARGET,
        };
      }),
    chart: {
      type: 'horizontal-bar',
      category: 'area',
      series: ['share'],
      percent: true,
      target: { value: SELF_SERVICE_TARGET, label: tr('scorecard.target') },
    },
    demo,
    asOf,
  });

  const ranked = byMunicipality.rows
    .map((row) => ({ code: row.code, name: row.name, ...sums(row) }))
    .filter((row) => row.total > 0)
    .map((row) => ({ ...row, share: percent(row.digital, row.total) }))
    .sort((a, b) => b.share - a.share || a.name.localeCompare(b.name, 'da'));
  const averageShare = percent(national.digital, national.total);
  figures.push({
    id: 'scorecard-top',
    title: tr('scorecard.fig.top'),
    summary: tr('scorecard.fig.top.summary'),
    columns: [
      { key: 'municipality_code', label: tr('stats.col.code'), kind: 'text' },
      { key: 'municipality', label: tr('stats.col.municipality'), kind: 'text' },
      { key: 'rank', label: tr('scorecard.col.rank'), kind: 'number' },
      { key: 'digital', label: tr('scorecard.col.digital'), kind: 'count' },
      { key: 'total', label: tr('scorecard.col.total'), kind: 'count' },
      { key: 'share', label: tr('scorecard.col.share'), kind: 'percent' },
    ],
    rows: [
      ...ranked.slice(0, 5).map((row, index) => ({
        rank: index + 1,
        municipality_code: row.code,
        municipality: row.name,
        digital: row.digital,
        total: row.total,
        share: row.share,
      })),
      {
        rank: null,
        municipality_code: '',
        municipality: tr('scorecard.average'),
        digital: national.digital,
        total: national.total,
        share: averageShare,
      },
    ],
    chart: {
      type: 'horizontal-bar',
      category: 'municipality',
      series: ['share'],
      percent: true,
      target: { value: SELF_SERVICE_TARGET, label: tr('scorecard.target') },
    },
    demo,
    asOf,
  });

  const years = [...new Set(byYear.rows.map((row) => row.year))];
  const yearly = new Map(byYear.rows.map((row) => [`${row.year}|${row.service_area}`, sums(row)]));
  figures.push({
    id: 'scorecard-trend',
    title: tr('scorecard.fig.trend'),
    summary: tr('scorecard.fig.trend.summary'),
    columns: [
      { key: 'year', label: tr('stats.col.year'), kind: 'text' },
      ...areas.map((area) => ({ key: area.code, label: `${area.name} (%)`, kind: 'percent' as const })),
    ],
    rows: years.map((year) => ({
      year,
      ...Object.fromEntries(
        areas.map((area) => {
          const s = yearly.get(`${year}|${area.code}`);
          return [area.code, s && s.total > 0 ? percent(s.digital, s.total) : null];
        }),
      ),
    })),
    chart: {
      type: 'line',
      category: 'year',
      series: areas.map((area) => area.code),
      percent: true,
      target: { value: SELF_SERVICE_TARGET, label: tr('scorecard.target') },
    },
    demo: byYear.rows.some((row) => row.demo),
    asOf,
  });

  figures.push({
    id: 'scorecard-municipalities',
    title: tr('scorecard.fig.municipalities'),
    summary: tr('scorecard.fig.municipalities.summary'),
    columns: [
      { key: 'municipality_code', label: tr('stats.col.code'), kind: 'text' },
      { key: 'municipality', label: tr('stats.col.municipality'), kind: 'text' },
      { key: 'digital', label: tr('scorecard.col.digital'), kind: 'count' },
      { key: 'total', label: tr('scorecard.col.total'), kind: 'count' },
      { key: 'share', label: tr('scorecard.col.share'), kind: 'percent' },
      { key: 'target_met', label: tr('scorecard.col.met'), kind: 'text' },
    ],
    rows: byMunicipality.rows.map((row) => {
      const s = sums(row);
      const share = s.total > 0 ? percent(s.digital, s.total) : null;
      return {
        municipality_code: row.code,
        municipality: row.name,
        digital: s.digital,
        total: s.total,
        share,
        target_met: share === null ? null : share >= SELF_SERVICE_TARGET,
      };
    }),
    demo,
    asOf,
  });
  return { period, figures };
}

/** One municipality's scorecard: its share per area against the whole country, and its trend. Null: unknown code. */
export async function loadMunicipalityScorecard(
  db: Db,
  lang: Lang,
  code: string,
): Promise<{ name: string; period: ScorecardPeriod | null; figures: Figure[] } | null> {
  const municipality = await db.selectFrom('municipality').select('name').where('code', '=', code).executeTakeFirst();
  if (!municipality) return null;
  const period = await scorecardPeriod(db);
  if (!period) return { name: municipality.name, period: null, figures: [] };
  const tr = (key: Parameters<typeof t>[1], params?: Record<string, string | number>) => t(lang, key, params);
  const areas = await serviceAreas(db, lang);
  const [byArea, byYear] = await Promise.all([
    sql<{
      service_area: string;
      mine_digital: string;
      mine_total: string;
      digital: string;
      total: string;
      demo: boolean;
    }>`
      select service_area,
        coalesce(sum(digital) filter (where municipality_code = ${code}), 0) as mine_digital,
        coalesce(sum(total) filter (where municipality_code = ${code}), 0) as mine_total,
        sum(digital) as digital, sum(total) as total, bool_or(demo) as demo
      from scorecard_report where month between ${period.from}::date and ${period.to}::date
      group by service_area`.execute(db),
    sql<{ year: string; mine_digital: string; mine_total: string; digital: string; total: string; demo: boolean }>`
      select extract(year from month)::int::text as year,
        coalesce(sum(digital) filter (where municipality_code = ${code}), 0) as mine_digital,
        coalesce(sum(total) filter (where municipality_code = ${code}), 0) as mine_total,
        sum(digital) as digital, sum(total) as total, bool_or(demo) as demo
      from scorecard_report group by 1 order by 1`.execute(db),
  ]);
  const areaRows = new Map(byArea.rows.map((row) => [row.service_area, row]));
  const share = (d: string, n: string) => (Number(n) > 0 ? percent(Number(d), Number(n)) : null);
  const figures: Figure[] = [
    {
      id: `scorecard-municipalities/${code}`,
      title: tr('scorecard.fig.municipality', { name: municipality.name }),
      summary: tr('scorecard.fig.municipality.summary'),
      columns: [
        { key: 'service_area', label: tr('stats.col.code'), kind: 'text' },
        { key: 'area', label: tr('scorecard.col.area'), kind: 'text' },
        { key: 'digital', label: tr('scorecard.col.digital'), kind: 'count' },
        { key: 'total', label: tr('scorecard.col.total'), kind: 'count' },
        { key: 'share', label: tr('scorecard.col.municipalityShare'), kind: 'percent' },
        { key: 'national_share', label: tr('scorecard.col.national'), kind: 'percent' },
      ],
      rows: areas
        .filter((area) => areaRows.has(area.code))
        .map((area) => {
          const row = areaRows.get(area.code) as (typeof byArea.rows)[number];
          return {
            service_area: area.code,
            area: area.name,
            digital: Number(row.mine_digital),
            total: Number(row.mine_total),
            share: share(row.mine_digital, row.mine_total),
            national_share: share(row.digital, row.total),
          };
        }),
      chart: {
        type: 'horizontal-bar',
        category: 'area',
        series: ['share', 'national_share'],
        percent: true,
        target: { value: SELF_SERVICE_TARGET, label: tr('scorecard.target') },
      },
      demo: byArea.rows.some((row) => row.demo),
      asOf: period.to,
    },
    {
      id: `scorecard-municipalities/${code}/trend`,
      title: tr('scorecard.fig.municipalityTrend', { name: municipality.name }),
      summary: tr('scorecard.fig.municipalityTrend.summary'),
      columns: [
        { key: 'year', label: tr('stats.col.year'), kind: 'text' },
        { key: 'share', label: tr('scorecard.col.municipalityShare'), kind: 'percent' },
        { key: 'national_share', label: tr('scorecard.col.national'), kind: 'percent' },
      ],
      rows: byYear.rows.map((row) => ({
        year: row.year,
        share: share(row.mine_digital, row.mine_total),
        national_share: share(row.digital, row.total),
      })),
      chart: {
        type: 'line',
        category: 'year',
        series: ['share', 'national_share'],
        percent: true,
        target: { value: SELF_SERVICE_TARGET, label: tr('scorecard.target') },
      },
      demo: byYear.rows.some((row) => row.demo),
      asOf: period.to,
    },
  ];
  return { name: municipality.name, period, figures };
}
