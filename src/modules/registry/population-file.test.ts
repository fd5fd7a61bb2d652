import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { csvFields, type FileLine, type FileTally, readPopulationFile } from './population-file.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'kuvert-population-file-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const HEADER = 'cpr,name,birth_date,address_lines,postcode,city,municipality_code,event';
const person = (cpr: string, name = 'Anna Jensen') =>
  `${cpr},${name},1990-05-17,Nørregade 1,8000,Aarhus C,0751,move_in`;

async function readAll(text: string, format: 'csv' | 'ndjson' = 'csv') {
  const file = path.join(dir, `f.${format}`);
  writeFileSync(file, text);
  const tally: FileTally = { lines: 0, blank: 0 };
  const lines: FileLine[] = [];
  for await (const line of readPopulationFile(file, format, () => {}, tally)) lines.push(line);
  return { lines, tally };
}

test('csvFields reads RFC 4180 quoting on one line and names what is wrong', () => {
  assert.deepEqual(csvFields('a,"b, c","say ""hi""",'), ['a', 'b, c', 'say "hi"', '']);
  assert.deepEqual(csvFields('""'), ['']);
  assert.match(csvFields('a,"Anna Jensen,1990') as string, /quote opened in field 2 is not closed/);
  assert.match(csvFields('a,"b"c,d') as string, /field 2 goes on after its closing quote/);
  assert.match(csvFields('a,b"c') as string, /field 2 has a quote but does not start with one/);
});

test('an unclosed quote costs its own line only: the lines after it are read, and reported by their numbers', async () => {
  const { lines, tally } = await readAll(
    [HEADER, person('1705901231'), person('1705901232', '"Anna Jensen'), person('1705901233'), ''].join('\n'),
  );
  assert.deepEqual(
    lines.map((l) => [l.line, 'error' in l ? 'error' : l.raw.cpr]),
    [
      [2, '1705901231'],
      [3, 'error'],
      [4, '1705901233'],
    ],
  );
  assert.deepEqual(tally, { lines: 3, blank: 0 });
});

test('a byte order mark before the CSV header or the first NDJSON line is accepted; blank lines are counted', async () => {
  const csv = await readAll(`\uFEFF${HEADER}\r\n${person('1705901231')}\r\n\r\n${person('1705901233')}\r\n`);
  assert.deepEqual(
    csv.lines.map((l) => l.line),
    [2, 4],
  );
  assert.ok(csv.lines.every((l) => 'raw' in l));
  assert.deepEqual(csv.tally, { lines: 3, blank: 1 });
  const ndjson = await readAll(`\uFEFF${JSON.stringify({ cpr: '1705901231' })}\n\n{broken\n`, 'ndjson');
  assert.deepEqual(
    ndjson.lines.map((l) => [l.line, 'error' in l ? l.error : l.raw.cpr]),
    [
      [1, '1705901231'],
      [3, 'not valid JSON'],
    ],
  );
  assert.deepEqual(ndjson.tally, { lines: 3, blank: 1 });
});
