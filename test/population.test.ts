/**
 * `kuvert import population FILE` as an operator runs it: a real child process on a real database.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { loadConfig } from '../src/config.ts';
import { loadMunicipalities } from '../src/db/municipalities.ts';
import { importPopulationFile } from '../src/modules/registry/population-import.ts';
import { writeSamplePopulation } from '../src/modules/registry/population-sample.ts';
import { createServices } from '../src/services.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { populationSnapshot } from './support/population.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'kuvert-population-'));
const databases: TestDatabase[] = [];
const children: ChildProcess[] = [];

after(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  for (const database of databases) await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

async function freshDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase();
  databases.push(database);
  await loadMunicipalities(database.db);
  return database;
}

function kuvertImport(database: TestDatabase, args: string[]) {
  const child = spawn(process.execPath, ['bin/kuvert.js', 'import', 'population', ...args], {
    env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'warn', KUVERT_DATA_DIR: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const output = { stdout: '', stderr: '' };
  child.stdout?.on('data', (chunk) => {
    output.stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output.stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output, exited };
}

async function run(database: TestDatabase, args: string[]) {
  const { output, exited } = kuvertImport(database, args);
  const code = await exited;
  return { code, ...output };
}

const stateOf = (database: TestDatabase) => populationSnapshot(database.db, { timestamps: false, actors: false });

test('3 bad lines among 1,000: 997 applied, the 3 reported with their line numbers, exit code 1', async () => {
  const database = await freshDatabase();
  const file = path.join(dir, 'thousand.csv');
  // Data lines 100, 500 and 900 (0-based 99, 499, 899) are spoilt; the header is line 1.
  await writeSamplePopulation(file, 1000, { seed: 7, invalid: [99, 499, 899], onlyNewPeople: true });
  const first = await run(database, [file]);
  assert.equal(first.code, 1, first.stderr);
  const reported = first.stderr.split('\n').filter((l) => l.startsWith('line '));
  assert.deepEqual(
    reported.map((l) => l.split(':')[0]),
    ['line 101', 'line 501', 'line 901'],
  );
  assert.match(first.stderr, /1,000 lines, 997 applied, 3 rejected/);
  assert.doesNotMatch(first.stderr, /\r/, 'no progress bar when stderr is not a terminal');
  const people = await database.db
    .selectFrom('recipient')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  assert.equal(Number(people.n), 997, 'one person per valid line (the file has only new people)');
  const row = await database.db.selectFrom('population_import').selectAll().executeTakeFirstOrThrow();
  assert.equal(row.lines_applied, 997);
  assert.equal(row.lines_rejected, 3);
  assert.equal(row.resume_line, 1001);
  assert.ok(row.finished_at);

  // The same file again: recognised by its content, nothing to do, nothing changes.
  const before = await stateOf(database);
  const second = await run(database, [file]);
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stderr, /imported completely before/);
  assert.deepEqual(await stateOf(database), before);

  // Applied again on purpose: every line is re-applied, and still nothing changes.
  const third = await run(database, [file, '--again']);
  assert.equal(third.code, 1, third.stderr);
  assert.match(third.stderr, /997 applied, 3 rejected \(0 created, 0 enrolled, 0 reopened, 0 closed, 0 updated/);
  assert.deepEqual(await stateOf(database), before);
});

test('an unclosed quote on line 3 of a 103-line CSV: line 3 reported, every person after it applied', async () => {
  const database = await freshDatabase();
  const file = path.join(dir, 'quote.csv');
  await writeSamplePopulation(file, 102, { seed: 5, onlyNewPeople: true });
  const { readFileSync, writeFileSync } = await import('node:fs');
  const lines = readFileSync(file, 'utf8').split('\n');
  assert.equal(lines.length, 104, 'header, 102 people and the final newline');
  const fields = (lines[2] as string).split(',');
  fields[1] = `"${fields[1]}`; // the name's quote is never closed
  lines[2] = fields.join(',');
  writeFileSync(file, lines.join('\n'));

  const result = await run(database, [file]);
  assert.equal(result.code, 1, result.stderr);
  const reported = result.stderr.split('\n').filter((l) => l.startsWith('line '));
  assert.deepEqual(reported, ['line 3: unreadable CSV: the quote opened in field 2 is not closed on this line']);
  assert.match(result.stderr, /102 lines, 101 applied, 1 rejected \(101 created/);
  const people = await database.db
    .selectFrom('recipient')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  assert.equal(Number(people.n), 101, 'line 2 and the 100 people after line 3');
});

test("blank lines and a byte order mark: the summary still adds up to the file's lines", async () => {
  const database = await freshDatabase();
  const file = path.join(dir, 'blank.csv');
  await writeSamplePopulation(file, 10, { seed: 6, onlyNewPeople: true });
  const { readFileSync, writeFileSync } = await import('node:fs');
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.splice(5, 0, '', '  ');
  writeFileSync(file, `\uFEFF${lines.join('\r\n')}`);
  const result = await run(database, [file]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /12 lines, 10 applied, 0 rejected, 2 blank \(10 created/);
});

test('usage errors exit with 2', async () => {
  const database = await freshDatabase();
  const missing = await run(database, [path.join(dir, 'no-such-file.csv')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no such file/);
  const noFile = await run(database, []);
  assert.equal(noFile.code, 2);
  const notPopulation = path.join(dir, 'other.csv');
  (await import('node:fs')).writeFileSync(notPopulation, 'a,b\n1,2\n');
  const wrong = await run(database, [notPopulation]);
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /header/);
});

test('NDJSON gives the same state as CSV', async () => {
  const csv = path.join(dir, 'same.csv');
  const ndjson = path.join(dir, 'same.ndjson');
  await writeSamplePopulation(csv, 800, { seed: 11, invalid: [3, 400] });
  await writeSamplePopulation(ndjson, 800, { seed: 11, invalid: [3, 400], format: 'ndjson' });
  const a = await freshDatabase();
  const b = await freshDatabase();
  const fromCsv = await run(a, [csv]);
  const fromNdjson = await run(b, [ndjson]);
  assert.equal(fromCsv.code, 1);
  assert.equal(fromNdjson.code, 1);
  // CSV line numbers count the header; NDJSON has none.
  assert.match(fromCsv.stderr, /^line 5: /m);
  assert.match(fromNdjson.stderr, /^line 4: /m);
  assert.deepEqual(await stateOf(b), await stateOf(a));
});

test('a killed import, run again, finishes without duplicates and equals a clean import', async () => {
  const file = path.join(dir, 'large.csv');
  await writeSamplePopulation(file, 60_000, { seed: 3 });

  const clean = await freshDatabase();
  await importPopulationFile(
    createServices(loadConfig({ NODE_ENV: 'test', KUVERT_DATA_DIR: dir }), clean.db, clean.pool),
    { file, batchSize: 1000 },
  );

  const database = await freshDatabase();
  const first = kuvertImport(database, [file, '--batch-size', '1000']);
  // Kill it as soon as some batches have committed.
  for (;;) {
    const row = await database.db.selectFrom('population_import').select('resume_line').executeTakeFirst();
    if (row && row.resume_line > 0) break;
    if (first.child.exitCode !== null)
      assert.fail(`the import ended before it could be killed: ${first.output.stderr}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  first.child.kill('SIGKILL');
  await first.exited;
  const killed = await database.db.selectFrom('population_import').selectAll().executeTakeFirstOrThrow();
  assert.equal(killed.finished_at, null);
  assert.ok(killed.resume_line < 60_001, `killed part-way (at line ${killed.resume_line})`);

  const second = await run(database, [file, '--batch-size', '1000']);
  // The sample has lines the rules refuse (a move-in of someone who died earlier in the file): exit code 1.
  assert.equal(second.code, 1, second.stderr);
  assert.match(second.stderr, new RegExp(`resumed after line ${killed.resume_line.toLocaleString('en-GB')}`));
  const done = await database.db.selectFrom('population_import').selectAll().execute();
  assert.equal(done.length, 1, 'the same import was resumed');
  assert.equal(done[0]?.lines_total, 60_000);
  assert.ok(done[0]?.finished_at);

  const duplicates = await database.db
    .selectFrom('enrolment_change')
    .select(['recipient_id', 'kind', (eb) => eb.fn.countAll<string>().as('n')])
    .where('kind', '=', 'created')
    .groupBy(['recipient_id', 'kind'])
    .having((eb) => eb.fn.countAll(), '>', 1)
    .execute();
  assert.deepEqual(duplicates, [], 'nobody created twice');
  assert.deepEqual(await stateOf(database), await stateOf(clean));
});
