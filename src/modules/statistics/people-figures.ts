/**
 * The published figures about people, from the newest snapshot: enrolment (overall, over time, by region, age, sex
 * and municipality), exemption grounds and contact details.
 */
import { formatCount, formatPercent } from '../../web/format-number.ts';
import type { Lang } from '../../web/i18n.ts';
import { type Cell, type Column, type Figure, percent, type Tr } from './figure.ts';
import type {
  EnrolmentRow,
  listMunicipalities,
  readContact,
  readEnrolmentHistory,
  readExemptions,
  SnapshotRef,
} from './statistics.repository.ts';

const states = ['voluntary', 'automatic', 'exempted'] as const;
const ageBands = ['0-14', '15-17', '18-29', '30-49', '50-64', '65-79', '80+', 'unknown'];

function byState(rows: EnrolmentRow[], dimension: EnrolmentRow['dimension']) {
  const out = new Map<string, Record<(typeof states)[number], number>>();
  for (const row of rows) {
    if (row.dimension !== dimension) continue;
    const entry = out.get(row.value) ?? { voluntary: 0, automatic: 0, exempted: 0 };
    entry[row.enrolment] += row.people;
    out.set(row.value, entry);
  }
  return out;
}

function stateColumns(tr: Tr): Column[] {
  return [
    { key: 'voluntary', label: tr('stats.state.voluntary'), kind: 'count' },
    { key: 'automatic', label: tr('stats.state.automatic'), kind: 'count' },
    { key: 'exempted', label: tr('stats.state.exempted'), kind: 'count' },
    { key: 'total', label: tr('stats.col.total'), kind: 'count' },
    { key: 'voluntary_share', label: tr('stats.col.voluntaryShare'), kind: 'percent' },
    { key: 'automatic_share', label: tr('stats.col.automaticShare'), kind: 'percent' },
    { key: 'exempted_share', label: tr('stats.col.exemptedShare'), kind: 'percent' },
  ];
}

function stateCells(counts: Record<(typeof states)[number], number>): Record<string, Cell> {
  const total = counts.voluntary + counts.automatic + counts.exempted;
  return {
    ...counts,
    total,
    voluntary_share: percent(counts.voluntary, total),
    automatic_share: percent(counts.automatic, total),
    exempted_share: percent(counts.exempted, total),
  };
}

const shareChart = (category: string) => ({
  type: 'horizontal-stacked-bar' as const,
  category,
  series: ['voluntary_share', 'automatic_share', 'exempted_share'],
  percent: true,
});

export interface PeopleInputs {
  enrolment: EnrolmentRow[];
  exemptions: Awaited<ReturnType<typeof readExemptions>>;
  contact: Awaited<ReturnType<typeof readContact>>;
  history: Awaited<ReturnType<typeof readEnrolmentHistory>>;
  municipalities: Awaited<ReturnType<typeof listMunicipalities>>;
}

export function peopleFigures(lang: Lang, tr: Tr, snapshot: SnapshotRef, input: PeopleInputs): Figure[] {
  const demo = snapshot.demo;
  const asOf = snapshot.asOf;
  const figures: Figure[] = [];

  const total = byState(input.enrolment, 'total').get('') ?? { voluntary: 0, automatic: 0, exempted: 0 };
  const people = total.voluntary + total.automatic + total.exempted;
  figures.push({
    id: 'enrolment',
    title: tr('stats.fig.enrolment'),
    summary: tr('stats.fig.enrolment.summary', {
      people: formatCount(lang, people),
      share: formatPercent(lang, percent(total.voluntary + total.automatic, people)),
    }),
    columns: [
      { key: 'enrolment', label: tr('stats.col.code'), kind: 'text' },
      { key: 'state', label: tr('stats.col.state'), kind: 'text' },
      { key: 'people', label: tr('stats.col.people'), kind: 'count' },
      { key: 'share', label: tr('stats.col.share'), kind: 'percent' },
    ],
    rows: states.map((state) => ({
      enrolment: state,
      state: tr(`stats.state.${state}`),
      people: total[state],
      share: percent(total[state], people),
    })),
    chart: { type: 'horizontal-bar', category: 'state', series: ['share'], percent: true },
    demo,
    asOf,
  });

  figures.push({
    id: 'enrolment-history',
    title: tr('stats.fig.history'),
    summary: tr('stats.fig.history.summary'),
    columns: [
      { key: 'date', label: tr('stats.col.date'), kind: 'text', format: 'day' },
      { key: 'people', label: tr('stats.col.people'), kind: 'count' },
      { key: 'voluntary_share', label: tr('stats.col.voluntaryShare'), kind: 'percent' },
      { key: 'automatic_share', label: tr('stats.col.automaticShare'), kind: 'percent' },
      { key: 'exempted_share', label: tr('stats.col.exemptedShare'), kind: 'percent' },
      { key: 'demo', label: tr('stats.col.demo'), kind: 'text' },
    ],
    rows: input.history.map((row) => {
      const sum = row.voluntary + row.automatic + row.exempted;
      return {
        date: row.asOf,
        people: sum,
        voluntary_share: percent(row.voluntary, sum),
        automatic_share: percent(row.automatic, sum),
        exempted_share: percent(row.exempted, sum),
        demo: row.demo,
      };
    }),
    chart: {
      type: 'line',
      category: 'date',
      series: ['voluntary_share', 'automatic_share', 'exempted_share'],
      percent: true,
    },
    pageRows: 24,
    demo: input.history.some((row) => row.demo),
    asOf,
  });

  const regions = byState(input.enrolment, 'region');
  const regionNames = new Map(input.municipalities.map((m) => [m.regionCode, m.regionName]));
  figures.push({
    id: 'enrolment-by-region',
    title: tr('stats.fig.region'),
    summary: tr('stats.fig.shares.summary'),
    columns: [
      { key: 'region_code', label: tr('stats.col.code'), kind: 'text' },
      { key: 'region', label: tr('stats.col.region'), kind: 'text' },
      ...stateColumns(tr),
    ],
    rows: [...regions.entries()]
      .map(([code, counts]) => ({ region_code: code, region: regionNames.get(code) ?? code, ...stateCells(counts) }))
      .sort((a, b) => String(a.region).localeCompare(String(b.region), 'da')),
    chart: shareChart('region'),
    demo,
    asOf,
  });

  const ages = byState(input.enrolment, 'age_band');
  figures.push({
    id: 'enrolment-by-age',
    title: tr('stats.fig.age'),
    summary: tr('stats.fig.shares.summary'),
    columns: [{ key: 'age_band', label: tr('stats.col.ageBand'), kind: 'text' }, ...stateColumns(tr)],
    rows: ageBands
      .filter((band) => ages.has(band))
      .map((band) => ({
        age_band: band === 'unknown' ? tr('stats.unknown') : band,
        ...stateCells(ages.get(band) ?? { voluntary: 0, automatic: 0, exempted: 0 }),
      })),
    chart: shareChart('age_band'),
    demo,
    asOf,
  });

  const sexes = byState(input.enrolment, 'sex');
  figures.push({
    id: 'enrolment-by-sex',
    title: tr('stats.fig.sex'),
    summary: tr('stats.fig.shares.summary'),
    columns: [
      { key: 'sex', label: tr('stats.col.code'), kind: 'text' },
      { key: 'label', label: tr('stats.col.sex'), kind: 'text' },
      ...stateColumns(tr),
    ],
    rows: ['F', 'M', 'unknown']
      .filter((sex) => sexes.has(sex))
      .map((sex) => ({
        sex,
        label: tr(sex === 'F' ? 'stats.sex.F' : sex === 'M' ? 'stats.sex.M' : 'stats.unknown'),
        ...stateCells(sexes.get(sex) ?? { voluntary: 0, automatic: 0, exempted: 0 }),
      })),
    chart: shareChart('label'),
    demo,
    asOf,
  });

  const byMunicipality = byState(input.enrolment, 'municipality');
  figures.push({
    id: 'enrolment-by-municipality',
    title: tr('stats.fig.municipality'),
    summary: tr('stats.fig.shares.summary'),
    columns: [
      { key: 'municipality_code', label: tr('stats.col.code'), kind: 'text' },
      { key: 'municipality', label: tr('stats.col.municipality'), kind: 'text' },
      { key: 'region', label: tr('stats.col.region'), kind: 'text' },
      ...stateColumns(tr),
    ],
    rows: input.municipalities
      .filter((m) => byMunicipality.has(m.code))
      .map((m) => ({
        municipality_code: m.code,
        municipality: m.name,
        region: m.regionName,
        ...stateCells(byMunicipality.get(m.code) ?? { voluntary: 0, automatic: 0, exempted: 0 }),
      })),
    demo,
    asOf,
  });

  const exempted = input.exemptions.reduce((sum, row) => sum + row.people, 0);
  figures.push({
    id: 'exemptions',
    title: tr('stats.fig.exemptions'),
    summary: tr('stats.fig.exemptions.summary', { people: formatCount(lang, exempted) }),
    columns: [
      { key: 'ground', label: tr('stats.col.code'), kind: 'text' },
      { key: 'label', label: tr('stats.col.ground'), kind: 'text' },
      { key: 'people', label: tr('stats.col.people'), kind: 'count' },
      { key: 'share', label: tr('stats.col.shareOfExempted'), kind: 'percent' },
    ],
    rows: input.exemptions.map((row) => ({
      ground: row.ground,
      label: groundLabel(tr, row.ground),
      people: row.people,
      share: percent(row.people, exempted),
    })),
    chart: { type: 'horizontal-bar', category: 'label', series: ['people'] },
    demo,
    asOf,
  });

  const contactTotal = input.contact.reduce((sum, row) => sum + row.people, 0);
  const count = (test: (row: (typeof input.contact)[number]) => boolean) =>
    input.contact.filter(test).reduce((sum, row) => sum + row.people, 0);
  const contactRows = [
    ['email', count((r) => r.hasEmail)],
    ['mobile', count((r) => r.hasMobile)],
    ['both', count((r) => r.hasEmail && r.hasMobile)],
    ['neither', count((r) => !r.hasEmail && !r.hasMobile)],
  ] as const;
  figures.push({
    id: 'contact-details',
    title: tr('stats.fig.contact'),
    summary: tr('stats.fig.contact.summary'),
    columns: [
      { key: 'category', label: tr('stats.col.code'), kind: 'text' },
      { key: 'label', label: tr('stats.col.contact'), kind: 'text' },
      { key: 'people', label: tr('stats.col.people'), kind: 'count' },
      { key: 'share', label: tr('stats.col.share'), kind: 'percent' },
    ],
    rows: contactRows.map(([category, n]) => ({
      category,
      label: tr(`stats.contact.${category}`),
      people: n,
      share: percent(n, contactTotal),
    })),
    chart: { type: 'horizontal-bar', category: 'label', series: ['share'], percent: true },
    demo,
    asOf,
  });
  return figures;
}

function groundLabel(tr: Tr, ground: string): string {
  switch (ground) {
    case 'disability':
    case 'no_internet':
    case 'emigrated':
    case 'homeless':
    case 'language':
    case 'no_mitid':
    case 'other':
      return tr(`stats.ground.${ground}`);
    default:
      return ground;
  }
}
