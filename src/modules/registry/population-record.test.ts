import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePopulationLine, type RawPopulationLine } from './population-record.ts';

const municipalities = new Set(['0101', '0751']);
const good: RawPopulationLine = {
  cpr: '170590-1231',
  name: ' Anna Jensen ',
  birth_date: '1990-05-17',
  address_lines: 'Nørregade 1| 2. th.',
  postcode: '8000',
  city: 'Aarhus C',
  municipality_code: '751',
  event: 'move-in',
};
const reason = (overrides: RawPopulationLine) => {
  const parsed = parsePopulationLine({ ...good, ...overrides }, 9, municipalities, '2026-11-24');
  return parsed.ok ? null : parsed.reason;
};

test('a valid line is normalised: compact CPR, 4-digit municipality, event name, sex from the last digit', () => {
  const parsed = parsePopulationLine(good, 9, municipalities, '2026-11-24');
  assert.deepEqual(parsed, {
    ok: true,
    record: {
      line: 9,
      cpr: '1705901231',
      name: 'Anna Jensen',
      birthDate: '1990-05-17',
      sex: 'M',
      addressLines: ['Nørregade 1', '2. th.'],
      postcode: '8000',
      city: 'Aarhus C',
      municipalityCode: '0751',
      event: 'move_in',
    },
  });
  const ndjson = parsePopulationLine(
    { ...good, address_lines: ['Vej 2'], cpr: '1705901232' },
    1,
    municipalities,
    '2026-11-24',
  );
  assert.ok(ndjson.ok);
  assert.equal(ndjson.record.sex, 'F');
  assert.deepEqual(ndjson.record.addressLines, ['Vej 2']);
});

test('invalid lines say why', () => {
  assert.equal(reason({ cpr: '3213901231' }), 'invalid CPR number');
  assert.equal(reason({ cpr: undefined }), 'invalid CPR number');
  assert.equal(reason({ name: '  ' }), 'name is empty');
  assert.equal(reason({ birth_date: '17-05-1990' }), 'birth_date is not a date (YYYY-MM-DD)');
  assert.equal(reason({ birth_date: '1990-05-18' }), 'birth_date does not match the CPR number');
  assert.equal(reason({ municipality_code: '0999' }), 'unknown municipality_code');
  assert.equal(reason({ postcode: '80000' }), 'postcode must be 4 digits');
  assert.match(reason({ event: 'wedding' }) ?? '', /^unknown event/);
  assert.equal(reason({ address_lines: ['ok', 3] }), 'address_lines must be strings');
  assert.equal(reason({ name: 'Anna\u0000' }), 'control characters in name or address');
});
