/**
 * Businesses from the register, as the sender API sees them: reachability by CVR and by P-number over HTTP, and a
 * ceased company's mailbox closed with its letters kept.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createSender, letterBody } from '../../../test/support/fixtures.ts';
import { startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';
import { loadMunicipalities } from '../../db/municipalities.ts';
import { importBusinessFile } from './business-import.ts';

const HEADER = 'cvr,p_number,name,address_lines,postcode,city,municipality_code,status,ceased_date';
const dir = mkdtempSync(path.join(os.tmpdir(), 'kuvert-business-reach-'));
let kuvert: TestKuvert;
let apiKey: string;

async function api(method: 'GET' | 'POST', url: string, body?: unknown) {
  const response = await fetch(`${kuvert.url}${url}`, {
    method,
    headers: { authorization: `Bearer ${apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, json: (await response.json()) as any };
}

async function importLines(name: string, lines: string[]) {
  const file = path.join(dir, name);
  writeFileSync(file, `${[HEADER, ...lines].join('\n')}\n`);
  const result = await importBusinessFile(kuvert.services, { file, retentionYears: 5 });
  assert.equal(result.rejected, 0);
  return result;
}

const idOf = async (cvr: string) =>
  (await kuvert.services.db.selectFrom('recipient').select('id').where('cvr', '=', cvr).executeTakeFirstOrThrow()).id;

before(async () => {
  kuvert = await startTestKuvert({ worker: false });
  await loadMunicipalities(kuvert.services.db);
  apiKey = (await createSender(kuvert.services.db)).apiKey;
  await importBusinessFile(kuvert.services, {
    file: path.join(import.meta.dirname, '../../../data/demo-businesses.csv'),
    retentionYears: 5,
  });
});
after(async () => {
  await kuvert?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('by CVR: an active company is digital; a ceased one is closed with reason business_ceased', async () => {
  const active = await api('GET', '/api/v1/recipients/96454287/reachability');
  assert.deepEqual(active.json, {
    id: await idOf('96454287'),
    channel: 'digital',
    status: 'AUTOMATIC',
    notificationPossible: false,
  });
  const ceased = await api('GET', '/api/v1/recipients/95628028/reachability');
  assert.deepEqual(ceased.json, {
    id: await idOf('95628028'),
    channel: 'none',
    status: 'CLOSED',
    notificationPossible: false,
    reason: 'business_ceased',
  });
});

test('by P-number: the unit answers for its business; a ceased unit is not reachable; bare digits stay refused', async () => {
  const bakery = await idOf('96454287');
  const unit = await api('GET', '/api/v1/recipients/P1003388394/reachability');
  assert.equal(unit.status, 200);
  assert.deepEqual(unit.json, { id: bakery, channel: 'digital', status: 'AUTOMATIC', notificationPossible: false });

  await importLines('unit-ceased.csv', [
    '96454287,1003388408,Nordlys (lukket butik),Jægergårdsgade 40,8000,Aarhus C,0751,OPHØRT,2026-01-31',
  ]);
  const closed = await api('GET', '/api/v1/recipients/p1003388408/reachability');
  assert.deepEqual(closed.json, {
    id: bakery,
    channel: 'none',
    status: 'CLOSED',
    notificationPossible: false,
    reason: 'p_unit_ceased',
  });

  const unknown = await api('GET', '/api/v1/recipients/P9999999999/reachability');
  assert.equal(unknown.status, 404);
  assert.equal(unknown.json.code, 'recipient_not_found');
  const bare = await api('GET', '/api/v1/recipients/1003388394/reachability');
  assert.equal(bare.status, 400);
  assert.equal(bare.json.code, 'cpr_in_url', 'ten bare digits may be a CPR number');

  const batch = await api('POST', '/api/v1/recipients/reachability', {
    recipients: [
      { pNumber: '1003388394' },
      { pNumber: '1003388408' },
      { pNumber: '12' },
      { pNumber: '1111111111' },
      { cvr: '95628028' },
    ],
  });
  assert.equal(batch.status, 200);
  assert.deepEqual(batch.json.results, [
    { index: 0, id: bakery, channel: 'digital', status: 'AUTOMATIC', notificationPossible: false },
    { index: 1, id: bakery, channel: 'none', status: 'CLOSED', notificationPossible: false, reason: 'p_unit_ceased' },
    { index: 2, error: { field: '/recipients/2/pNumber', code: 'invalid_p_number', detail: 'Not a P-number.' } },
    { index: 3, id: null, channel: 'none', status: 'UNKNOWN', notificationPossible: false },
    {
      index: 4,
      id: await idOf('95628028'),
      channel: 'none',
      status: 'CLOSED',
      notificationPossible: false,
      reason: 'business_ceased',
    },
  ]);
});

test('a ceased company: its mailbox closes, its letters stay; active again reopens it', async () => {
  const sent = await fetch(`${kuvert.url}/api/v1/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(letterBody('', { recipient: { cvr: '51036646' } })),
  });
  assert.equal(sent.status, 201, await sent.text());
  const id = await idOf('51036646');
  const letters = () => kuvert.services.db.selectFrom('message').select('id').where('recipient_id', '=', id).execute();
  assert.equal((await letters()).length, 1);

  const ceased = await importLines('ceased.csv', [
    '51036646,,Havnens Tømrer I/S,Havnegade 3,1058,København K,0101,OPHØRT,2026-11-30',
  ]);
  assert.equal(ceased.counts.closed, 1);
  const row = await kuvert.services.db
    .selectFrom('recipient')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  assert.deepEqual([row.enrolment, row.closed_reason, row.delete_after], ['closed', 'ceased', '2031-11-30']);
  assert.equal((await letters()).length, 1, 'the post is kept');
  assert.equal((await api('GET', '/api/v1/recipients/51036646/reachability')).json.reason, 'business_ceased');

  const back = await importLines('back.csv', [
    '51036646,,Havnens Tømrer I/S,Havnegade 3,1058,København K,0101,NORMAL,',
  ]);
  assert.equal(back.counts.reopened, 1);
  assert.deepEqual((await api('GET', '/api/v1/recipients/51036646/reachability')).json, {
    id,
    channel: 'digital',
    status: 'AUTOMATIC',
    notificationPossible: false,
  });
});

test('the OpenAPI document knows the P-number and the reason', async () => {
  const doc = JSON.stringify(await (await fetch(`${kuvert.url}/api/openapi.json`)).json());
  assert.match(doc, /pNumber/);
  assert.match(doc, /p_unit_ceased/);
});
