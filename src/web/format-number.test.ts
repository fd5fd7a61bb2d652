import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDay, formatMonth, formatMonthShort } from './dates.ts';
import { formatCompact, formatCount, formatNumber, formatPercent } from './format-number.ts';

const NBSP = '\u00a0';

test('numbers in Danish have a decimal comma and thousands dots; in English the other way round', () => {
  assert.equal(formatNumber('da', 94.44), '94,4');
  assert.equal(formatNumber('en', 94.44), '94.4');
  assert.equal(formatNumber('da', 1234567.25, 2), '1.234.567,25');
  assert.equal(formatCount('da', 4949948), '4.949.948');
  assert.equal(formatCount('en', 4949948), '4,949,948');
  assert.equal(formatCount('da', 1234), '1.234', 'four digits are grouped too');
  assert.equal(formatCount('da', 0.6), '1');
});

test('a percentage is "94,4 %" in Danish (no-break space) and "94.4%" in English', () => {
  assert.equal(formatPercent('da', 94.4), `94,4${NBSP}%`);
  assert.equal(formatPercent('en', 94.4), '94.4%');
  assert.equal(formatPercent('da', 70), `70${NBSP}%`);
  assert.equal(formatPercent('da', 12.345, 2), `12,35${NBSP}%`);
  assert.equal(formatPercent('da', 100, 0), `100${NBSP}%`);
});

test('large numbers shorten on an axis, small ones do not', () => {
  assert.equal(formatCompact('da', 9999), '9.999');
  assert.equal(formatCompact('da', 250_000), '250.000');
  assert.equal(formatCompact('da', 1081128), `1,1${NBSP}mio.`);
  assert.match(formatCompact('en', 1081128), /^1\.1[mM]$/);
  assert.match(formatCompact('en', 13_000_000), /^13[mM]$/);
});

test('days and months read as Danish dates, not ISO', () => {
  assert.equal(formatDay('da', '2026-12-06'), '6. dec. 2026');
  assert.equal(formatDay('en', '2026-12-06'), '6 Dec 2026');
  assert.equal(formatDay('da', '2026-05-31'), '31. maj 2026', 'a calendar day, not shifted by a time zone');
  assert.equal(formatDay('da', new Date('2026-01-01T00:00:00Z')), '1. jan. 2026');
  assert.equal(formatMonth('da', '2026-09'), 'sep. 2026');
  assert.equal(formatMonth('da', '2026-05-01'), 'maj 2026');
  assert.equal(formatMonth('en', '2026-09'), 'Sept 2026');
  assert.equal(formatMonthShort('da', '2026-12'), 'dec. 26');
  assert.equal(formatDay('da', 'not a day'), 'not a day');
  assert.equal(formatMonth('da', ''), '');
});
