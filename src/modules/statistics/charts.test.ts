import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chartWidths, renderChart } from './charts.ts';
import type { Figure } from './figure.ts';

const regions = [
  'Region Hovedstaden',
  'Region Midtjylland',
  'Region Nordjylland',
  'Region Sjælland',
  'Region Syddanmark',
];

const figure: Figure = {
  id: 'enrolment-by-region',
  title: 'Tilmelding pr. region',
  summary: 'Andelene.',
  columns: [
    { key: 'region', label: 'Region', kind: 'text' },
    { key: 'voluntary_share', label: 'Frivilligt (%)', kind: 'percent' },
    { key: 'automatic_share', label: 'Automatisk (%)', kind: 'percent' },
    { key: 'exempted_share', label: 'Fritaget (%)', kind: 'percent' },
  ],
  rows: regions.map((region, index) => ({
    region,
    voluntary_share: 70 + index / 10,
    automatic_share: 24.4,
    exempted_share: 5.6 - index / 10,
  })),
  chart: {
    type: 'horizontal-stacked-bar',
    category: 'region',
    series: ['voluntary_share', 'automatic_share', 'exempted_share'],
    percent: true,
  },
  demo: false,
  asOf: '2026-12-06',
};

const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1] as string);

for (const variant of ['wide', 'narrow'] as const) {
  test(`the ${variant} region chart names all five regions, in 12 px text, with Danish per cent ticks`, () => {
    const svg = renderChart(figure, 'da', figure.rows, variant);
    assert.match(svg, new RegExp(`viewBox="0 0 ${chartWidths[variant]} \\d+"`));
    assert.match(svg, /^<svg role="img" aria-label="Tilmelding pr\. region\. Andelene\."/);
    const all = texts(svg).join(' ');
    // A long name may break onto two lines (two text elements), so the words are looked for one by one.
    for (const region of regions) {
      for (const word of region.split(' ')) assert.ok(all.includes(word), `${word} of ${region} in ${variant}`);
    }
    assert.equal(all.match(/Region/g)?.length, 5, 'each region once');
    assert.match(all, /100\u00a0%/);
    assert.doesNotMatch(all, /\d\.\d/, 'no English decimals');
    for (const size of svg.matchAll(/font-size="(\d+)px"/g)) assert.ok(Number(size[1]) >= 12);
    assert.doesNotMatch(svg, / style="/, 'no inline styles (the CSP forbids them)');
  });
}

test('a monthly series is labelled with Danish months on its axis', () => {
  const monthly: Figure = {
    ...figure,
    columns: [
      { key: 'month', label: 'Måned', kind: 'text', format: 'month' },
      { key: 'letters', label: 'Breve', kind: 'count' },
    ],
    rows: ['2026-01', '2026-02', '2026-03'].map((month) => ({ month, letters: 1_250_000 })),
    chart: { type: 'line', category: 'month', series: ['letters'] },
  };
  const all = texts(renderChart(monthly, 'da', monthly.rows, 'narrow')).join(' ');
  assert.match(all, /jan\. 26/);
  assert.match(all, /mio\./);
  assert.doesNotMatch(all, /2026-0/);
});
