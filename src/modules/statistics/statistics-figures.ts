import type { Db } from '../../db/database.ts';
import { type Lang, t } from '../../web/i18n.ts';
import { type Cell, type Column, type Figure, percent } from './figure.ts';
import type { StatisticsKey } from './statistics.i18n.ts';
import {
  type EnrolmentRow,
  latestSnapshots,
  listMunicipalities,
  readContact,
  readEnrolment,
  readEnrolmentHistory,
  readExemptions,
  readReadTime,
  readVolumes,
  type SnapshotRef,
  type VolumeRow,
} from './statistics.repository.ts';

const states = ['voluntary', 'automatic', 'exempted'] as const;
const ageBands = ['0-14', '15-17', '18-29', '30-49', '50-64', '65-79', '80+', 'unknown'];
const senderKinds = ['municipality', 'region', 'state', 'other'] as const;
const channels = ['letter', 'digital', 'print', 'email', 'sms', 'nemsms'] as const;

export interface StatisticsFigures {
  snapshot: SnapshotRef;
  figures: Figure[];
}

/** The ids of the public statistics figures, in page order (also the /api/v1/stats/{id} names). */
export const statisticsFigureIds = [
  'enrolment',
  'enrolment-history',
  'enrolment-by-region',
  'enrolment-by-age',
  'enrolment-by-sex',
  'enrolment-by-municipality',
  'exemptions',
  'contact-details',
  'letters-by-year',
  'letters-by-sender-kind',
  'volumes-by-channel',
  'digital-share',
  'read-time',
  'volumes',
] as const;
export type StatisticsFigureId = (typeof statisticsFigureIds)[number];

type Tr = (key: StatisticsKey, params?: Record<string, string | number>) => string;

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
  type: 'stacked-bar' as const,
  category,
  series: ['voluntary_share', 'automatic_share', 'exempted_share'],
  percent: true,
});

function monthly(volumes: VolumeRow[]) {
  const months = new Map<string, { demo: boolean; counts: Map<string, number> }>();
  for (const row of volumes) {
    const entry = months.get(row.month) ?? { demo: false, counts: new Map<string, number>() };
    entry.demo ||= row.demo;
    for (const key of [`${row.channel}:${row.senderKind}`, row.channel]) {
      entry.counts.set(key, (entry.counts.get(key) ?? 0) + row.count);
    }
    months.set(row.month, entry);
  }
  return [...months.entries()].sort(([a], [b]) => a.localeCompare(b));
}

/** Reads the newest snapshot and turns it into the published figures, labelled in `lang`. Null: no snapshot yet. */
export async function loadStatisticsFigures(db: Db, lang: Lang): Promise<StatisticsFigures | null> {
  const { latest, latestDemo } = await latestSnapshots(db);
  if (!latest) return null;
  const [enrolment, exemptions, contact, volumes, readTime, history, municipalities] = await Promise.all([
    readEnrolment(db, latest.id),
    readExemptions(db, latest.id),
    readContact(db, latest.id),
    readVolumes(db, latest, latestDemo),
    readReadTime(db, latest.id),
    readEnrolmentHistory(db),
    listMunicipalities(db),
  ]);
  return {
    snapshot: latest,
    figures: buildFigures(lang, latest, { enrolment, exemptions, contact, volumes, readTime, history, municipalities }),
  };
}

interface Inputs {
  enrolment: EnrolmentRow[];
  exemptions: Awaited<ReturnType<typeof readExemptions>>;
  contact: Awaited<ReturnType<typeof readContact>>;
  volumes: VolumeRow[];
  readTime: Awaited<ReturnType<typeof readReadTime>>;
  history: Awaited<ReturnType<typeof readEnrolmentHistory>>;
  municipalities: Awaited<ReturnType<typeof listMunicipalities>>;
}

function buildFigures(lang: Lang, snapshot: SnapshotRef, input: Inputs): Figure[] {
  const tr: Tr = (key, params) => t(lang, key, params);
  const demo = snapshot.demo;
  const asOf = snapshot.asOf;
  const figures: Figure[] = [];

  const total = byState(input.enrolment, 'total').get('') ?? { voluntary: 0, automatic: 0, exempted: 0 };
  const people = total.voluntary + total.automatic + total.exempted;
  figures.push({
    id: 'enrolment',
    title: tr('stats.fig.enrolment'),
    summary: tr('stats.fig.enrolment.summary', {
      people: people.toLocaleString(lang === 'da' ? 'da-DK' : 'en-GB'),
      share: percent(total.voluntary + total.automatic, people),
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
    chart: { type: 'bar', category: 'state', series: ['share'], percent: true },
    demo,
    asOf,
  });

  figures.push({
    id: 'enrolment-history',
    title: tr('stats.fig.history'),
    summary: tr('stats.fig.history.summary'),
    columns: [
      { key: 'date', label: tr('stats.col.date'), kind: 'text' },
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
    summary: tr('stats.fig.exemptions.summary', { people: exempted.toLocaleString(lang === 'da' ? 'da-DK' : 'en-GB') }),
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
    chart: { type: 'bar', category: 'label', series: ['share'], percent: true },
    demo,
    asOf,
  });

  const months = monthly(input.volumes);
  const volumesDemo = input.volumes.some((row) => row.demo);
  const years = new Map<string, { letters: number; demo: boolean }>();
  for (const [month, entry] of months) {
    const year = month.slice(0, 4);
    const y = years.get(year) ?? { letters: 0, demo: false };
    y.letters += entry.counts.get('letter') ?? 0;
    y.demo ||= entry.demo;
    years.set(year, y);
  }
  figures.push({
    id: 'letters-by-year',
    title: tr('stats.fig.lettersByYear'),
    summary: tr('stats.fig.lettersByYear.summary'),
    columns: [
      { key: 'year', label: tr('stats.col.year'), kind: 'text' },
      { key: 'letters', label: tr('stats.channel.letter'), kind: 'count' },
      { key: 'demo', label: tr('stats.col.demo'), kind: 'text' },
    ],
    rows: [...years.entries()].map(([year, y]) => ({ year, letters: y.letters, demo: y.demo })),
    chart: { type: 'bar', category: 'year', series: ['letters'] },
    demo: volumesDemo,
    asOf,
  });

  figures.push({
    id: 'letters-by-sender-kind',
    title: tr('stats.fig.lettersBySender'),
    summary: tr('stats.fig.lettersBySender.summary'),
    columns: [
      { key: 'month', label: tr('stats.col.month'), kind: 'text' },
      ...senderKinds.map((kind) => ({ key: kind, label: tr(`stats.senderKind.${kind}`), kind: 'count' as const })),
      { key: 'total', label: tr('stats.col.total'), kind: 'count' },
      { key: 'demo', label: tr('stats.col.demo'), kind: 'text' },
    ],
    rows: months.map(([month, entry]) => ({
      month: month.slice(0, 7),
      ...Object.fromEntries(senderKinds.map((kind) => [kind, entry.counts.get(`letter:${kind}`) ?? 0])),
      total: entry.counts.get('letter') ?? 0,
      demo: entry.demo,
    })),
    chart: { type: 'stacked-bar', category: 'month', series: [...senderKinds] },
    pageRows: 24,
    demo: volumesDemo,
    asOf,
  });

  figures.push({
    id: 'volumes-by-channel',
    title: tr('stats.fig.channels'),
    summary: tr('stats.fig.channels.summary'),
    columns: [
      { key: 'month', label: tr('stats.col.month'), kind: 'text' },
      ...channels.map((channel) => ({ key: channel, label: tr(`stats.channel.${channel}`), kind: 'count' as const })),
      { key: 'demo', label: tr('stats.col.demo'), kind: 'text' },
    ],
    rows: months.map(([month, entry]) => ({
      month: month.slice(0, 7),
      ...Object.fromEntries(channels.map((channel) => [channel, entry.counts.get(channel) ?? 0])),
      demo: entry.demo,
    })),
    chart: { type: 'line', category: 'month', series: ['letter', 'email', 'sms', 'nemsms', 'print'] },
    pageRows: 24,
    demo: volumesDemo,
    asOf,
  });

  figures.push({
    id: 'digital-share',
    title: tr('stats.fig.digitalShare'),
    summary: tr('stats.fig.digitalShare.summary'),
    columns: [
      { key: 'month', label: tr('stats.col.month'), kind: 'text' },
      { key: 'digital', label: tr('stats.channel.digital'), kind: 'count' },
      { key: 'print', label: tr('stats.channel.print'), kind: 'count' },
      { key: 'digital_share', label: tr('stats.col.digitalShare'), kind: 'percent' },
      { key: 'demo', label: tr('stats.col.demo'), kind: 'text' },
    ],
    rows: months.map(([month, entry]) => {
      const digital = entry.counts.get('digital') ?? 0;
      const print = entry.counts.get('print') ?? 0;
      return {
        month: month.slice(0, 7),
        digital,
        print,
        digital_share: percent(digital, digital + print),
        demo: entry.demo,
      };
    }),
    chart: { type: 'line', category: 'month', series: ['digital_share'], percent: true },
    pageRows: 24,
    demo: volumesDemo,
    asOf,
  });

  figures.push({
    id: 'read-time',
    title: tr('stats.fig.readTime'),
    summary: tr('stats.fig.readTime.summary'),
    columns: [
      { key: 'month', label: tr('stats.col.month'), kind: 'text' },
      { key: 'within_1h', label: tr('stats.read.within1h'), kind: 'percent' },
      { key: 'within_1d', label: tr('stats.read.within1d'), kind: 'percent' },
      { key: 'within_7d', label: tr('stats.read.within7d'), kind: 'percent' },
      { key: 'within_30d', label: tr('stats.read.within30d'), kind: 'percent' },
      { key: 'later', label: tr('stats.read.later'), kind: 'percent' },
      { key: 'unread', label: tr('stats.read.unread'), kind: 'percent' },
      { key: 'letters', label: tr('stats.col.letters'), kind: 'count' },
      { key: 'median_hours', label: tr('stats.col.medianHours'), kind: 'number' },
    ],
    rows: input.readTime.map((row) => {
      const n = row.within1h + row.within1d + row.within7d + row.within30d + row.later + row.unread;
      return {
        month: row.month.slice(0, 7),
        within_1h: percent(row.within1h, n),
        within_1d: percent(row.within1d, n),
        within_7d: percent(row.within7d, n),
        within_30d: percent(row.within30d, n),
        later: percent(row.later, n),
        unread: percent(row.unread, n),
        letters: n,
        median_hours: row.medianHours,
      };
    }),
    chart: {
      type: 'stacked-bar',
      category: 'month',
      series: ['within_1h', 'within_1d', 'within_7d', 'within_30d', 'later', 'unread'],
      percent: true,
    },
    pageRows: 12,
    demo,
    asOf,
  });

  figures.push({
    id: 'volumes',
    title: tr('stats.fig.volumes'),
    summary: tr('stats.fig.volumes.summary'),
    columns: [
      { key: 'month', label: tr('stats.col.month'), kind: 'text' },
      { key: 'sender_kind', label: tr('stats.col.senderKind'), kind: 'text' },
      { key: 'channel', label: tr('stats.col.channel'), kind: 'text' },
      { key: 'count', label: tr('stats.col.count'), kind: 'count' },
      { key: 'demo', label: tr('stats.col.demo'), kind: 'text' },
    ],
    rows: input.volumes.map((row) => ({
      month: row.month.slice(0, 7),
      sender_kind: row.senderKind,
      channel: row.channel,
      count: row.count,
      demo: row.demo,
    })),
    demo: volumesDemo,
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
