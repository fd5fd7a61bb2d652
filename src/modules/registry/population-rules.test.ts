/**
 * The bulk import path (population-batch.ts, set-based SQL) against the reference path (population-events.ts, one
 * line at a time through changeEnrolment): the same start, the same events, the same clock → the same people and
 * the same enrolment history, for every event type and every state a person can be in.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { populationSnapshot, record } from '../../../test/support/population.ts';
import { loadConfig } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { loadMunicipalities } from '../../db/municipalities.ts';
import type { Enrolment, ExemptionGround } from '../../db/schema.ts';
import { birthDateFromCpr } from '../../kernel/identifiers.ts';
import { createServices } from '../../services.ts';
import { verifyAuditChain } from '../audit/audit.repository.ts';
import type { RegistryActor } from './enrolment.ts';
import { applyPopulationBatch } from './population-batch.ts';
import { applyPopulationEvent } from './population-events.ts';
import { detectFormat, readPopulationFile } from './population-file.ts';
import { importPopulationFile } from './population-import.ts';
import { type PopulationRecord, parsePopulationLine } from './population-record.ts';
import { writeSamplePopulation } from './population-sample.ts';

const now = new Date('2026-11-24T10:00:00Z');
const actor: RegistryActor = { kind: 'population', id: 'import-under-test', name: 'population import test.csv' };
const dir = mkdtempSync(path.join(os.tmpdir(), 'kuvert-population-rules-'));
const databases: TestDatabase[] = [];

async function freshDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase();
  databases.push(database);
  await loadMunicipalities(database.db);
  return database;
}

after(async () => {
  for (const database of databases) await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

// People already in the registry, in every state the rules distinguish.
const existing: { cpr: string; enrolment: Enrolment; ground?: ExemptionGround; closed?: 'death' | 'emigration' }[] = [
  { cpr: '1705901231', enrolment: 'not_enrolled' }, // 36, not enrolled (e.g. imported by birth)
  { cpr: '1003164232', enrolment: 'not_enrolled' }, // 10
  { cpr: '2511114233', enrolment: 'not_enrolled' }, // turns 15 tomorrow
  { cpr: '2411114234', enrolment: 'not_enrolled' }, // turns 15 today
  { cpr: '0102801235', enrolment: 'automatic' },
  { cpr: '0203701236', enrolment: 'voluntary' },
  { cpr: '0304601237', enrolment: 'exempted', ground: 'disability' },
  { cpr: '0405601238', enrolment: 'exempted', ground: 'no_internet' },
  { cpr: '0506501239', enrolment: 'closed', closed: 'emigration' }, // adult who left
  { cpr: '0607164240', enrolment: 'closed', closed: 'emigration' }, // child who left
  { cpr: '0708401241', enrolment: 'closed', closed: 'death' },
  { cpr: '0809851242', enrolment: 'closed' }, // closed before reasons were recorded
  { cpr: '0910951243', enrolment: 'automatic' },
  { cpr: '1011751244', enrolment: 'automatic' },
];

async function seedExisting(db: Db) {
  await db
    .insertInto('recipient')
    .values(
      existing.map((p) => ({
        kind: 'person' as const,
        cpr: p.cpr,
        name: `Existing ${p.cpr.slice(0, 6)}`,
        birth_date: p.cpr === '0809851242' ? null : birthDateFromCpr(p.cpr),
        municipality_code: '0751',
        enrolment: p.enrolment,
        exemption_ground: p.ground ?? null,
        closed_reason: p.closed ?? null,
        delete_after: p.closed === 'death' ? '2030-01-01' : null,
        enrolment_changed_at: new Date('2020-01-01T00:00:00Z'),
      })),
    )
    .execute();
}

// Every event for every kind of person, and one person with several events in the same batch (rounds).
const events: PopulationRecord[] = [
  ['1705901231', 'move_in'],
  ['1003164232', 'move_in'],
  ['2511114233', 'move_in'],
  ['2411114234', 'move_in'],
  ['0102801235', 'move_in'],
  ['0203701236', 'death'],
  ['0304601237', 'move_in'],
  ['0405601238', 'emigration'],
  ['0506501239', 'move_in'],
  ['0607164240', 'move_in'],
  ['0708401241', 'move_in'],
  ['0708401241', 'address_change'],
  ['0708401241', 'birth'],
  ['0708401241', 'emigration'],
  ['0708401241', 'death'],
  ['0809851242', 'move_in'],
  ['0910951243', 'address_change'],
  ['1011751244', 'birth'],
  ['1506264245', 'birth'], // a baby
  ['1507904246', 'birth'], // a birth registered late: created, not enrolled
  ['1601854247', 'move_in'], // new adult
  ['1601154248', 'move_in'], // new child
  ['1702804249', 'address_change'], // unknown: created as if moved in
  ['1803704250', 'emigration'], // unknown: nothing to close
  ['1904604251', 'death'],
  ['2005854252', 'move_in'], // several events in one batch
  ['2005854252', 'address_change'],
  ['2005854252', 'emigration'],
  ['2005854252', 'move_in'],
  ['2005854252', 'death'],
  ['2005854252', 'move_in'],
  ['0102801235', 'emigration'],
  ['0102801235', 'emigration'],
].map(([cpr, event], i) =>
  record(i + 2, cpr as string, event as PopulationRecord['event'], {
    addressLines: [`Vestergade ${i + 1}`, ...(i % 3 === 0 ? ['2. th.'] : [])],
    municipalityCode: i % 2 ? '0751' : '0101',
    postcode: i % 4 === 0 ? null : '8000',
    city: i % 4 === 0 ? null : 'Aarhus C',
  }),
);

let reference: TestDatabase;
let referenceRejected: { line: number; reason: string }[];

before(async () => {
  reference = await freshDatabase();
  await seedExisting(reference.db);
  referenceRejected = [];
  await reference.db.transaction().execute(async (trx) => {
    for (const r of events) {
      const outcome = await applyPopulationEvent(trx, r, actor, now);
      if (!outcome.applied) referenceRejected.push({ line: r.line, reason: outcome.reason });
    }
  });
});

test('the bulk path gives the same people, history and rejections as changeEnrolment line by line', async () => {
  const bulk = await freshDatabase();
  await seedExisting(bulk.db);
  const result = await bulk.db.transaction().execute((trx) => applyPopulationBatch(trx, events, actor, now));
  assert.deepEqual(result.rejected, referenceRejected);
  const expected = await populationSnapshot(reference.db);
  const actual = await populationSnapshot(bulk.db);
  assert.deepEqual(actual.people, expected.people);
  assert.deepEqual(actual.history, expected.history);
});

test('the bulk path gives the same result batch by batch (each event applied in its own batch)', async () => {
  const bulk = await freshDatabase();
  await seedExisting(bulk.db);
  const rejected: { line: number; reason: string }[] = [];
  for (const r of events) {
    const result = await bulk.db.transaction().execute((trx) => applyPopulationBatch(trx, [r], actor, now));
    rejected.push(...result.rejected);
  }
  assert.deepEqual(rejected, referenceRejected);
  assert.deepEqual(await populationSnapshot(bulk.db), await populationSnapshot(reference.db));
});

test('what the rules did, case by case', async () => {
  const people = new Map(
    (await reference.db.selectFrom('recipient').selectAll().execute()).map((p) => [p.cpr as string, p]),
  );
  const state = (cpr: string) => people.get(cpr)?.enrolment;
  assert.equal(state('1705901231'), 'automatic', 'a known adult who moves in is enrolled');
  assert.equal(state('1003164232'), 'not_enrolled', 'a child who moves in is not');
  assert.equal(state('2511114233'), 'not_enrolled', 'turns 15 tomorrow: not yet');
  assert.equal(state('2411114234'), 'automatic', 'turns 15 today: enrolled');
  assert.equal(state('0304601237'), 'exempted', 'an exemption is never overridden');
  assert.equal(people.get('0304601237')?.address_lines[0], 'Vestergade 7', 'but the address is updated');
  assert.equal(state('0405601238'), 'closed', 'an exempted person who emigrates is closed');
  assert.equal(people.get('0405601238')?.exemption_ground, null);
  assert.equal(state('0506501239'), 'automatic', 'an adult who returns is reopened');
  assert.equal(state('0607164240'), 'not_enrolled', 'a child who returns is reopened, not enrolled');
  assert.equal(state('0708401241'), 'closed', 'a deceased person stays closed');
  assert.equal(people.get('0708401241')?.closed_reason, 'death');
  assert.equal(people.get('0203701236')?.closed_reason, 'death');
  assert.equal(people.get('0203701236')?.delete_after, '2031-11-24', 'kept five years after death');
  assert.equal(state('0809851242'), 'closed', 'a mailbox closed for no recorded reason is not reopened by a move');
  assert.equal(state('1506264245'), 'not_enrolled', 'a baby is created, not enrolled');
  assert.equal(people.get('1506264245')?.sex, 'M');
  assert.equal(state('1507904246'), 'not_enrolled', 'a birth never enrols (the age-15 rule does)');
  assert.equal(state('1601854247'), 'automatic', 'a new adult who moves in is enrolled');
  assert.equal(state('1601154248'), 'not_enrolled');
  assert.equal(state('1702804249'), 'automatic', 'an address for an unknown CPR counts as a move-in');
  assert.equal(people.has('1803704250'), false, 'emigration of an unknown CPR creates nobody');
  assert.equal(state('2005854252'), 'closed', 'several events for one person apply in file order');
  assert.deepEqual(
    referenceRejected.map((r) => r.line),
    [12, 13, 14, 32],
    'a move-in, address or birth for a deceased person is rejected',
  );
});

test('a whole import (batches of 400) equals the reference applied line by line', async () => {
  const file = path.join(dir, 'sample.csv');
  await writeSamplePopulation(file, 3000, { seed: 42, invalid: [5, 700, 2999] });
  const municipalities = new Set(
    (await reference.db.selectFrom('municipality').select('code').execute()).map((m) => m.code),
  );
  const expectedDb = await freshDatabase();
  const rejected: number[] = [];
  await expectedDb.db.transaction().execute(async (trx) => {
    for await (const item of readPopulationFile(file, await detectFormat(file))) {
      if ('error' in item) {
        rejected.push(item.line);
        continue;
      }
      const parsed = parsePopulationLine(item.raw, item.line, municipalities, '2026-11-24');
      if (!parsed.ok) rejected.push(parsed.line);
      else if (!(await applyPopulationEvent(trx, parsed.record, actor, now)).applied) rejected.push(parsed.record.line);
    }
  });

  const bulk = await freshDatabase();
  const services = createServices(loadConfig({ NODE_ENV: 'test', KUVERT_DATA_DIR: dir }), bulk.db, bulk.pool);
  const reported: number[] = [];
  const result = await importPopulationFile(services, {
    file,
    batchSize: 400,
    now: () => now,
    onRejected: (line) => reported.push(line),
  });
  assert.deepEqual(reported, rejected);
  assert.equal(result.lines, 3000);
  assert.equal(result.rejected, rejected.length);
  assert.ok(rejected.includes(7) && rejected.includes(702) && rejected.includes(3001), 'spoilt lines reported');
  const actual = await populationSnapshot(bulk.db, { actors: false });
  const expected = await populationSnapshot(expectedDb.db, { actors: false });
  assert.deepEqual(actual.people, expected.people);
  assert.deepEqual(actual.history, expected.history);

  // One audit event per batch, summarising it, and the chain intact.
  const audits = await bulk.db
    .selectFrom('audit_event')
    .select(['action', 'subject_id', 'details'])
    .where('action', '=', 'registry.population_batch')
    .execute();
  assert.ok(audits.length >= Math.ceil(3000 / 400), 'batches of at most 400 lines, split between parts');
  assert.ok(audits.every((a) => Number((a.details as { lines: number }).lines) <= 400));
  assert.equal(
    audits.reduce((sum, a) => sum + Number((a.details as { lines: number }).lines), 0),
    3000,
  );
  assert.equal(await verifyAuditChain(bulk.db), null);
});
