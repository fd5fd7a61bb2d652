/**
 * The published figures about letters: volumes by year, sender kind and channel, the digital share, and how soon
 * letters are read.
 */
import { type Figure, percent, type Tr } from './figure.ts';
import type { readReadTime, SnapshotRef, VolumeRow } from './statistics.repository.ts';

const senderKinds = ['municipality', 'region', 'state', 'other'] as const;
const channels = ['letter', 'digital', 'print', 'email', 'sms', 'nemsms'] as const;

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

export interface LetterInputs {
  volumes: VolumeRow[];
  readTime: Awaited<ReturnType<typeof readReadTime>>;
}

export function letterFigures(tr: Tr, snapshot: SnapshotRef, input: LetterInputs): Figure[] {
  const demo = snapshot.demo;
  const asOf = snapshot.asOf;
  const figures: Figure[] = [];

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
      { key: 'month', label: tr('stats.col.month'), kind: 'text', format: 'month' },
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
      { key: 'month', label: tr('stats.col.month'), kind: 'text', format: 'month' },
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
      { key: 'month', label: tr('stats.col.month'), kind: 'text', format: 'month' },
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
      { key: 'month', label: tr('stats.col.month'), kind: 'text', format: 'month' },
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
      { key: 'month', label: tr('stats.col.month'), kind: 'text', format: 'month' },
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
