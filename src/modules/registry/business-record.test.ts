import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deleteAfterCeased } from './business-line.ts';
import { parseBusinessLine, type RawBusinessLine } from './business-record.ts';

const municipalities = new Set(['0101', '0751']);
const base = { cvr: '96454287', name: 'Nordlys Bageri ApS', status: 'NORMAL' };
const parse = (raw: RawBusinessLine) => parseBusinessLine(raw, 7, municipalities, '2026-12-06');
const reason = (raw: RawBusinessLine) => {
  const parsed = parse(raw);
  return parsed.ok ? 'ok' : parsed.reason;
};

test('the register’s statuses, Danish or English, any case; bankruptcy and liquidation are still active', () => {
  for (const status of ['NORMAL', 'aktiv', 'Active', 'UNDER KONKURS', 'under  frivillig likvidation']) {
    const parsed = parse({ ...base, status });
    assert.ok(parsed.ok && parsed.record.status === 'active', status);
  }
  for (const status of ['OPHØRT', 'ophoert', 'ceased', 'TVANGSOPLØST', 'Opløst efter konkurs']) {
    const parsed = parse({ ...base, status, ceased_date: '2025-01-31' });
    assert.ok(parsed.ok && parsed.record.status === 'ceased' && parsed.record.ceasedOn === '2025-01-31', status);
  }
  assert.match(reason({ ...base, status: 'SLUMRENDE' }), /unknown status/);
});

test('a ceased date exactly when ceased: a real day, not in the future', () => {
  assert.equal(reason({ ...base, status: 'OPHØRT' }), 'ceased_date is required when the status is ceased');
  assert.equal(
    reason({ ...base, status: 'OPHØRT', ceased_date: '2026-02-30' }),
    'ceased_date is not a date (YYYY-MM-DD)',
  );
  assert.equal(reason({ ...base, status: 'OPHØRT', ceased_date: '2026-12-07' }), 'ceased_date is in the future');
  assert.equal(reason({ ...base, ceased_date: '2025-01-01' }), 'ceased_date given for an active company or unit');
});

test('CVR by modulus 11, P-number 10 digits, municipality optional but known, address lines split on "|"', () => {
  assert.equal(reason({ ...base, cvr: '96454288' }), 'invalid CVR number');
  assert.equal(reason({ ...base, cvr: 96454287 }), 'ok', 'a number in NDJSON is read as its digits');
  assert.equal(reason({ ...base, p_number: '100338839' }), 'p_number must be 10 digits');
  assert.equal(reason({ ...base, municipality_code: '9999' }), 'unknown municipality_code');
  const parsed = parse({
    ...base,
    p_number: '1003388394',
    municipality_code: '751',
    address_lines: 'Vestergade 12| 1. sal |',
  });
  assert.ok(parsed.ok);
  assert.deepEqual(
    [parsed.record.pNumber, parsed.record.municipalityCode, parsed.record.addressLines],
    ['1003388394', '0751', ['Vestergade 12', '1. sal']],
  );
  assert.equal(reason({ ...base, name: ' ' }), 'name is empty');
});

test('delete_after is the ceased day plus the retention period (a leap day carries to 1 March)', () => {
  assert.equal(deleteAfterCeased('2024-03-31', 5), '2029-03-31');
  assert.equal(deleteAfterCeased('2024-02-29', 5), '2029-03-01');
});
