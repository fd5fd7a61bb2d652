/**
 * `kuvert import businesses FILE`: the CVR register's companies and production units on a real database — line
 * numbers, idempotence, resuming after an interruption, and the enrolment rules for businesses.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { loadConfig } from '../src/config.ts';
import { loadMunicipalities } from '../src/db/municipalities.ts';
import { importBusinessFile } from '../src/modules/registry/business-import.ts';
import { changeEnrolmentNow } from '../src/modules/registry/enrolment.ts';
import { createServices, type Services } from '../src/services.ts';
import { runKuvertCli } from './support/cli.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'kuvert-businesses-'));
const databases: TestDatabase[] = [];
const HEADER = 'cvr,p_number,name,address_lines,postcode,city,municipality_code,status,ceased_date';
const fixture = path.join(import.meta.dirname, '..', 'data', 'demo-businesses.csv');

after(async () => {
  for (const database of databases) await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

async function fresh(): Promise<{ database: TestDatabase; services: Services }> {
  const database = await createTestDatabase();
  databases.push(database);
  await loadMunicipalities(database.db);
  return {
    database,
    services: createServices(loadConfig({ NODE_ENV: 'test', KUVERT_DATA_DIR: dir }), database.db, database.pool),
  };
}

function write(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

function run(database: TestDatabase, args: string[]) {
  return runKuvertCli(['import', ...args], { DATABASE_URL: database.url, KUVERT_DATA_DIR: dir });
}

/** Every business, its units and its history, without timestamps: equal snapshots mean nothing changed. */
async function snapshot(services: Services) {
  const businesses = await services.db
    .selectFrom('recipient')
    .select(['cvr', 'name', 'address_lines', 'postcode', 'city', 'municipality_code', 'enrolment', 'closed_reason'])
    .select(['delete_after', 'business_status', 'ceased_on'])
    .where('kind', '=', 'business')
    .orderBy('cvr')
    .execute();
  const units = await services.db
    .selectFrom('p_unit')
    .select(['p_number', 'business_id', 'name', 'ceased_on'])
    .orderBy('p_number')
    .execute();
  const history = await services.db
    .selectFrom('enrolment_change')
    .select(['recipient_id', 'kind', 'to_state'])
    .orderBy('id')
    .execute();
  return { businesses, units, history };
}

let shared: { database: TestDatabase; services: Services };
before(async () => {
  shared = await fresh();
});

test('the fixture: active companies enrolled, the ceased one closed with delete_after, P-units stored', async () => {
  const { services } = shared;
  const result = await importBusinessFile(services, { file: fixture, retentionYears: 5 });
  assert.equal(result.status, 'imported');
  assert.equal(result.rejected, 0);
  assert.deepEqual(result.counts, { created: 4, updated: 0, enrolled: 3, reopened: 0, closed: 1, units: 2 });
  const { businesses, units } = await snapshot(services);
  const by = Object.fromEntries(businesses.map((b) => [b.cvr, b]));
  assert.equal(by['96454287']?.enrolment, 'automatic');
  assert.equal(by['42883581']?.enrolment, 'automatic', 'in liquidation, the company still exists');
  assert.deepEqual(by['51036646']?.address_lines, ['Havnegade 3', '1. sal']);
  assert.deepEqual(
    [by['95628028']?.enrolment, by['95628028']?.closed_reason, by['95628028']?.delete_after, by['95628028']?.ceased_on],
    ['closed', 'ceased', '2029-03-31', '2024-03-31'],
  );
  assert.deepEqual(
    units.map((u) => u.p_number),
    ['1003388394', '1003388408'],
  );
  const history = await services.db
    .selectFrom('enrolment_change')
    .innerJoin('recipient', 'recipient.id', 'enrolment_change.recipient_id')
    .select(['recipient.cvr', 'enrolment_change.kind', 'enrolment_change.actor_kind'])
    .where('recipient.cvr', '=', '95628028')
    .orderBy('enrolment_change.id')
    .execute();
  assert.deepEqual(
    history.map((h) => [h.kind, h.actor_kind]),
    [
      ['created', 'business_register'],
      ['closed', 'business_register'],
    ],
  );
});

test('a business cannot be exempted (the existing exemption rule refuses it)', async () => {
  const { services } = shared;
  const business = await services.db
    .selectFrom('recipient')
    .select('id')
    .where('cvr', '=', '51036646')
    .executeTakeFirstOrThrow();
  await assert.rejects(
    changeEnrolmentNow(services.db, business.id, { type: 'exempt', ground: 'other' }, { kind: 'caseworker', id: 'x' }),
    (error: { code?: string }) => error.code === 'business_cannot_be_exempted',
  );
});

test('ceasing closes the mailbox and keeps its post; active again reopens it; the ceased day moves delete_after', async () => {
  const { services } = shared;
  const ceased = write('cease.csv', [
    HEADER,
    '51036646,,Havnens Tømrer I/S,Havnegade 3|1. sal,1058,København K,0101,ophørt,2026-06-30',
  ]);
  const first = await importBusinessFile(services, { file: ceased, retentionYears: 10 });
  assert.equal(first.counts.closed, 1);
  let row = await services.db
    .selectFrom('recipient')
    .selectAll()
    .where('cvr', '=', '51036646')
    .executeTakeFirstOrThrow();
  assert.deepEqual([row.enrolment, row.closed_reason, row.delete_after], ['closed', 'ceased', '2036-06-30']);

  const corrected = write('corrected.csv', [
    HEADER,
    '51036646,,Havnens Tømrer I/S,Havnegade 3|1. sal,1058,København K,0101,ceased,2026-05-31',
  ]);
  await importBusinessFile(services, { file: corrected, retentionYears: 10 });
  row = await services.db.selectFrom('recipient').selectAll().where('cvr', '=', '51036646').executeTakeFirstOrThrow();
  assert.equal(row.delete_after, '2036-05-31');

  const back = write('back.csv', [
    HEADER,
    '51036646,,Havnens Tømrer I/S,Havnegade 3|1. sal,1058,København K,0101,NORMAL,',
  ]);
  const reopened = await importBusinessFile(services, { file: back, retentionYears: 10 });
  assert.equal(reopened.counts.reopened, 1);
  row = await services.db.selectFrom('recipient').selectAll().where('cvr', '=', '51036646').executeTakeFirstOrThrow();
  assert.deepEqual(
    [row.enrolment, row.closed_reason, row.delete_after, row.ceased_on],
    ['automatic', null, null, null],
  );
  const kinds = await services.db
    .selectFrom('enrolment_change')
    .select('kind')
    .where('recipient_id', '=', row.id)
    .orderBy('id')
    .execute();
  assert.deepEqual(
    kinds.map((k) => k.kind),
    ['created', 'enrolled_automatically', 'closed', 'reopened'],
  );
});

test('good and bad lines: the bad ones reported by file line (header = line 1), exit code 1; twice changes nothing', async () => {
  const { database, services } = await fresh();
  const file = write('mixed.csv', [
    HEADER,
    '96454287,,Nordlys Bageri ApS,Vestergade 12,8000,Aarhus C,0751,NORMAL,', // 2
    '12345678,,Forkert CVR ApS,Vej 1,8000,Aarhus C,0751,NORMAL,', // 3: modulus 11
    '96454287,123,Butik,Vej 1,8000,Aarhus C,0751,NORMAL,', // 4: P-number
    '', // 5: blank
    '51036646,,Havnens Tømrer I/S,Havnegade 3,1058,København K,0101,SLUMRENDE,', // 6: status
    '95628028,,Gammel Handel A/S,Torvet 1,9800,Hjørring,0860,OPHØRT,', // 7: no ceased date
    '42883581,1003388394,Ukendt butik,Vej 2,2900,Hellerup,0157,NORMAL,', // 8: company unknown
    '96454287,1003388408,Butik,"Vej 3",8000,Aarhus C,0751,NORMAL,', // 9
    '96454287,,too,few', // 10
  ]);
  const once = await run(database, ['businesses', file]);
  assert.equal(once.code, 1, once.stderr);
  const reported = [...once.stderr.matchAll(/^line (\d+): (.*)$/gm)].map((m) => [Number(m[1]), m[2]]);
  assert.deepEqual(reported, [
    [3, 'invalid CVR number'],
    [4, 'p_number must be 10 digits'],
    [6, 'unknown status (expected NORMAL/active or OPHØRT/ceased)'],
    [7, 'ceased_date is required when the status is ceased'],
    [8, 'unknown CVR number for this production unit (its company line must come first)'],
    [10, 'expected 9 fields, found 4'],
  ]);
  assert.match(once.stderr, /Imported .*: 9 lines, 2 applied, 6 rejected, 1 blank \(1 created, 1 enrolled/);
  const state = await snapshot(services);
  assert.equal(state.businesses.length, 1);
  assert.equal(state.units.length, 1);

  const twice = await run(database, ['businesses', file]);
  assert.equal(twice.code, 0);
  assert.match(twice.stderr, /was imported completely before .* nothing to do/);
  const again = await run(database, ['businesses', file, '--again']);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /\(0 created, 0 enrolled, 0 reopened, 0 closed, 0 updated, 0 production units/);
  assert.deepEqual(await snapshot(services), state, 'applying the file again changed nothing');

  const usage = await run(database, ['businesses', path.join(dir, 'missing.csv')]);
  assert.equal(usage.code, 2);
  const notBusinesses = await run(database, ['businesses', write('people.csv', ['cpr,name', '1,2'])]);
  assert.equal(notBusinesses.code, 2);
  assert.match(notBusinesses.stderr, /the first line must be the header cvr,p_number/);
  const help = await run(database, ['--help']);
  assert.match(help.stdout, /kuvert import population FILE/);
  assert.match(help.stdout, /kuvert import businesses FILE/);
});

test('NDJSON, interrupted after a batch and resumed: the same outcome as a clean import', async () => {
  const cvrs = ['96454287', '51036646', '95628028', '42883581', '21461873'];
  const lines = cvrs.map((cvr, i) =>
    JSON.stringify({
      cvr,
      name: `Virksomhed ${i}`,
      address_lines: [`Gade ${i}`],
      postcode: '8000',
      city: 'Aarhus C',
      status: i === 2 ? 'OPHØRT' : 'NORMAL',
      ceased_date: i === 2 ? '2025-01-15' : undefined,
    }),
  );
  lines.splice(1, 0, JSON.stringify({ cvr: 96454287, p_number: '1003388394', name: 'Butik', status: 'active' }));
  const file = write('businesses.ndjson', lines);

  const clean = await fresh();
  await importBusinessFile(clean.services, { file, retentionYears: 5, batchSize: 2 });

  const { services } = await fresh();
  await assert.rejects(
    importBusinessFile(services, {
      file,
      retentionYears: 5,
      batchSize: 2,
      afterBatch: (line) => {
        if (line >= 4) throw new Error('power cut');
      },
    }),
    /power cut/,
  );
  const interrupted = await services.db.selectFrom('business_import').selectAll().executeTakeFirstOrThrow();
  assert.equal(interrupted.finished_at, null);
  assert.equal(interrupted.resume_line, 4);
  const resumed = await importBusinessFile(services, { file, retentionYears: 5, batchSize: 2 });
  assert.equal(resumed.resumedAfterLine, 4);
  assert.equal(resumed.lines, 6);
  assert.equal(resumed.counts.created, 2, 'only the lines after the resume point were applied');
  const strip = (s: Awaited<ReturnType<typeof snapshot>>) => ({
    ...s,
    units: s.units.map((u) => ({ ...u, business_id: '' })),
    history: s.history.map((h) => ({ ...h, recipient_id: '' })),
  });
  assert.deepEqual(strip(await snapshot(services)), strip(await snapshot(clean.services)));
});

test('one chunk: a unit before its new company is refused, a company named twice is applied in file order', async () => {
  const { services } = await fresh();
  const file = write('order.csv', [
    HEADER,
    '96454287,1003388394,Butik før firmaet,Vej 1,8000,Aarhus C,0751,NORMAL,', // 2: its company is line 3
    '96454287,,Nordlys Bageri ApS,Vestergade 12,8000,Aarhus C,0751,NORMAL,', // 3
    '96454287,1003388408,Butik efter firmaet,Vej 3,8000,Aarhus C,0751,NORMAL,', // 4
    '51036646,,Havnens Tømrer I/S,Havnegade 3,1058,København K,0101,NORMAL,', // 5
  ]);
  const first = await importBusinessFile(services, { file, retentionYears: 5, batchSize: 100 });
  assert.equal(first.rejected, 1);
  assert.deepEqual(first.counts, { created: 2, updated: 0, enrolled: 2, reopened: 0, closed: 0, units: 1 });
  const state = await snapshot(services);
  assert.deepEqual(
    state.units.map((u) => u.p_number),
    ['1003388408'],
  );
  assert.deepEqual(
    state.history.map((h) => h.kind),
    ['created', 'enrolled_automatically', 'created', 'enrolled_automatically'],
  );

  // The same company twice in one chunk (the register's correction below its first line): the last line wins.
  const twice = write('twice.csv', [
    HEADER,
    '51036646,,Havnens Tømrer I/S,Havnegade 3,1058,København K,0101,OPHØRT,2025-06-30', // 2
    '51036646,,Havnens Tømrer og Snedker I/S,Havnegade 3,1058,København K,0101,NORMAL,', // 3
  ]);
  const second = await importBusinessFile(services, { file: twice, retentionYears: 5, batchSize: 100 });
  assert.equal(second.rejected, 0);
  const company = (await snapshot(services)).businesses.find((b) => b.cvr === '51036646');
  assert.equal(company?.name, 'Havnens Tømrer og Snedker I/S');
  assert.equal(company?.enrolment, 'automatic');
  assert.equal(second.counts.closed, 1);
  assert.equal(second.counts.reopened, 1);
});
