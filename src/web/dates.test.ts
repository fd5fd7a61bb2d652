import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDate, formatDateTime, formatDateTimeRange, formatTime, isoDate } from './dates.ts';

test('a time in Danish: day, abbreviated month, year, "kl." and a dotted 24-hour time, in Copenhagen time', () => {
  // 08:30 UTC in December is 09:30 in Copenhagen (CET, UTC+1).
  assert.equal(formatDateTime('da', new Date('2026-12-15T08:30:00Z')), '15. dec. 2026 kl. 09.30');
  assert.equal(formatDateTime('da', '2026-12-03T13:02:00Z'), '3. dec. 2026 kl. 14.02');
  assert.equal(formatDate('da', '2026-12-15T08:30:00Z'), '15. dec. 2026');
  assert.equal(formatTime('da', '2026-12-15T22:05:00Z'), '23.05');
  // Midnight is 00, not 24; May is written out (three letters, no dot).
  assert.equal(formatDateTime('da', '2026-05-14T22:00:00Z'), '15. maj 2026 kl. 00.00');
});

test('an appointment on one day reads as one date with a span of times', () => {
  assert.equal(
    formatDateTimeRange('da', '2026-12-15T08:30:00Z', '2026-12-15T09:15:00Z'),
    '15. dec. 2026 kl. 09.30–10.15',
  );
  assert.equal(formatDateTimeRange('en', '2026-12-15T08:30:00Z', '2026-12-15T09:15:00Z'), '15 Dec 2026, 09:30–10:15');
  assert.equal(formatDateTimeRange('da', '2026-12-15T08:30:00Z', null), '15. dec. 2026 kl. 09.30');
});

test("a span across days gives both ends in full; the day is Copenhagen's, not UTC's", () => {
  assert.equal(
    formatDateTimeRange('da', '2026-12-15T08:30:00Z', '2026-12-16T09:15:00Z'),
    '15. dec. 2026 kl. 09.30 – 16. dec. 2026 kl. 10.15',
  );
  // 22:30 and 23:30 UTC on 15 December are 23:30 on the 15th and 00:30 on the 16th in Copenhagen: two days.
  assert.equal(
    formatDateTimeRange('da', '2026-12-15T22:30:00Z', '2026-12-15T23:30:00Z'),
    '15. dec. 2026 kl. 23.30 – 16. dec. 2026 kl. 00.30',
  );
  // 23:30 UTC on the 14th and 00:15 UTC on the 15th are both on the 15th in Copenhagen: one day.
  assert.equal(
    formatDateTimeRange('da', '2026-12-14T23:30:00Z', '2026-12-15T00:15:00Z'),
    '15. dec. 2026 kl. 00.30–01.15',
  );
});

test('summer time: the same UTC hour is an hour later in Copenhagen, and the switch nights count right', () => {
  // June: CEST, UTC+2.
  assert.equal(formatDateTime('da', '2026-06-15T08:30:00Z'), '15. jun. 2026 kl. 10.30');
  // 29 March 2026: clocks go from 02:00 to 03:00. 00:30 UTC is 01:30 CET, 01:30 UTC is 03:30 CEST.
  assert.equal(
    formatDateTimeRange('da', '2026-03-29T00:30:00Z', '2026-03-29T01:30:00Z'),
    '29. mar. 2026 kl. 01.30–03.30',
  );
  // 25 October 2026: clocks go back from 03:00 to 02:00; 00:30 and 01:30 UTC are both 02:30 local.
  assert.equal(formatTime('da', '2026-10-25T00:30:00Z'), '02.30');
  assert.equal(formatTime('da', '2026-10-25T01:30:00Z'), '02.30');
});

test('English pages get the English form', () => {
  assert.equal(formatDateTime('en', '2026-12-15T08:30:00Z'), '15 Dec 2026, 09:30');
  assert.equal(formatDate('en', '2026-12-03T13:02:00Z'), '3 Dec 2026');
  assert.equal(
    formatDateTimeRange('en', '2026-12-15T08:30:00Z', '2026-12-16T09:15:00Z'),
    '15 Dec 2026, 09:30 – 16 Dec 2026, 10:15',
  );
  assert.equal(isoDate('2026-12-15T08:30:00Z'), '2026-12-15T08:30:00.000Z');
});
