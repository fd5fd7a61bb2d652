import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createSender } from '../../../test/support/fixtures.ts';
import { startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';
import type { Enrolment } from '../../db/schema.ts';
import { birthDateFromCpr } from '../../kernel/identifiers.ts';

let kuvert: TestKuvert;
let apiKey: string;
const logLines: string[] = [];
const ids: Record<string, string> = {};

const CPR = {
  notified: '1503851234',
  failing: '0101901235',
  stale: '0202901233',
  voluntary: '0303901231',
  exempted: '2409441238',
  closed: '0404901239',
  child: `0101${String(new Date().getUTCFullYear() - 2010).padStart(2, '0')}4001`,
};
const CVR = { open: '64942212', closed: '29190623' };
const EMAIL = 'anna.hemmelig@example.dk';
const MOBILE = '+4512345678';

async function addPerson(key: keyof typeof CPR, enrolment: Enrolment) {
  const cpr = CPR[key];
  const row = await kuvert.services.db
    .insertInto('recipient')
    .values({
      kind: 'person',
      cpr,
      name: key,
      birth_date: birthDateFromCpr(cpr),
      enrolment,
      exemption_ground: enrolment === 'exempted' ? 'disability' : null,
      closed_reason: enrolment === 'closed' ? 'emigration' : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  ids[key] = row.id;
  return row.id;
}

async function addContact(recipientId: string, kind: 'email' | 'mobile', value: string, extra: object = {}) {
  const now = new Date();
  await kuvert.services.db
    .insertInto('contact_detail')
    .values({ recipient_id: recipientId, kind, value, confirmed_at: now, last_confirmed_at: now, ...extra })
    .execute();
}

async function api(method: 'GET' | 'POST', path: string, body?: unknown, key: string | null = apiKey) {
  const response = await fetch(`${kuvert.url}${path}`, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type') ?? '', text, json: JSON.parse(text) };
}

const batch = (recipients: unknown[]) => api('POST', '/api/v1/recipients/reachability', { recipients });

before(async () => {
  kuvert = await startTestKuvert({
    worker: false,
    env: { LOG_LEVEL: 'info' },
    logSink: { write: (line: string) => void logLines.push(line) },
  });
  apiKey = (await createSender(kuvert.services.db)).apiKey;
  const notified = await addPerson('notified', 'automatic');
  await addContact(notified, 'email', EMAIL);
  await addContact(notified, 'mobile', MOBILE);
  await addContact(await addPerson('failing', 'automatic'), 'email', 'failing@example.dk', {
    failing_since: new Date(),
  });
  const old = new Date();
  old.setUTCMonth(old.getUTCMonth() - 19);
  await addContact(await addPerson('stale', 'automatic'), 'email', 'stale@example.dk', {
    confirmed_at: old,
    last_confirmed_at: old,
  });
  await addContact(await addPerson('exempted', 'exempted'), 'email', 'exempt@example.dk');
  await addPerson('voluntary', 'voluntary');
  await addPerson('closed', 'closed');
  await addPerson('child', 'not_enrolled');
  for (const [key, cvr] of Object.entries(CVR)) {
    const row = await kuvert.services.db
      .insertInto('recipient')
      .values({ kind: 'business', cvr, name: key, enrolment: key === 'closed' ? 'closed' : 'automatic' })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids[`business_${key}`] = row.id;
  }
});
after(async () => kuvert?.stop());

describe('GET /api/v1/recipients/{id}/reachability', () => {
  test('by Kuvert id: channel, status and whether a notification is possible, for every state', async () => {
    const expected: Record<string, [string, string, boolean]> = {
      notified: ['digital', 'AUTOMATIC', true],
      failing: ['digital', 'AUTOMATIC', false],
      stale: ['digital', 'AUTOMATIC', false],
      voluntary: ['digital', 'VOLUNTARY', false],
      exempted: ['print', 'EXEMPT', false],
      child: ['print', 'NOT_ENROLLED', false],
      closed: ['none', 'CLOSED', false],
      business_open: ['digital', 'AUTOMATIC', false],
      business_closed: ['none', 'CLOSED', false],
    };
    for (const [key, [channel, status, notificationPossible]] of Object.entries(expected)) {
      const response = await api('GET', `/api/v1/recipients/${ids[key]}/reachability`);
      assert.equal(response.status, 200, key);
      assert.deepEqual(response.json, { id: ids[key], channel, status, notificationPossible }, key);
    }
  });

  test('by CVR number (businesses are not personal data)', async () => {
    const response = await api('GET', `/api/v1/recipients/${CVR.open}/reachability`);
    assert.deepEqual(response.json, {
      id: ids.business_open,
      channel: 'digital',
      status: 'AUTOMATIC',
      notificationPossible: false,
    });
    const invalid = await api('GET', '/api/v1/recipients/12345678/reachability');
    assert.equal(invalid.status, 422);
    assert.equal(invalid.json.code, 'invalid_cvr');
  });

  test('a CPR number in the URL is refused and points to the POST form', async () => {
    for (const cpr of [CPR.notified, '150385-1234']) {
      const response = await api('GET', `/api/v1/recipients/${cpr}/reachability`);
      assert.equal(response.status, 400);
      assert.match(response.type, /application\/problem\+json/);
      assert.equal(response.json.code, 'cpr_in_url');
      assert.match(response.json.detail, /POST \/api\/v1\/recipients\/reachability/);
      assert.deepEqual(response.json.errors, [{ field: '/id', code: 'cpr_in_url', detail: response.json.detail }]);
    }
  });

  test('unknown and malformed ids, and a missing key', async () => {
    const unknown = await api('GET', `/api/v1/recipients/${randomUUID()}/reachability`);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.code, 'recipient_not_found');
    const garbage = await api('GET', '/api/v1/recipients/abc/reachability');
    assert.equal(garbage.status, 400);
    assert.equal(garbage.json.code, 'invalid_id');
    const anonymous = await api('GET', `/api/v1/recipients/${ids.notified}/reachability`, undefined, null);
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.json.code, 'missing_api_key');
    const wrongKey = await api('GET', `/api/v1/recipients/${ids.notified}/reachability`, undefined, 'kv_nope');
    assert.equal(wrongKey.status, 401);
  });
});

describe('POST /api/v1/recipients/reachability', () => {
  test('answers each item in order; an invalid number is answered on its own item; unknown is UNKNOWN', async () => {
    const response = await batch([
      { cpr: CPR.notified },
      { cpr: '150385-1234' },
      { cpr: '320185-1234' },
      { cpr: CPR.exempted },
      { cvr: CVR.closed },
      { cvr: '12345678' },
      { cpr: '0505051234' },
      { cpr: CPR.child },
    ]);
    assert.equal(response.status, 200);
    assert.deepEqual(response.json.results, [
      { index: 0, id: ids.notified, channel: 'digital', status: 'AUTOMATIC', notificationPossible: true },
      { index: 1, id: ids.notified, channel: 'digital', status: 'AUTOMATIC', notificationPossible: true },
      {
        index: 2,
        error: { field: '/recipients/2/cpr', code: 'invalid_cpr', detail: 'Not a valid CPR number.' },
      },
      { index: 3, id: ids.exempted, channel: 'print', status: 'EXEMPT', notificationPossible: false },
      { index: 4, id: ids.business_closed, channel: 'none', status: 'CLOSED', notificationPossible: false },
      {
        index: 5,
        error: { field: '/recipients/5/cvr', code: 'invalid_cvr', detail: 'Not a valid CVR number.' },
      },
      { index: 6, id: null, channel: 'none', status: 'UNKNOWN', notificationPossible: false },
      { index: 7, id: ids.child, channel: 'print', status: 'NOT_ENROLLED', notificationPossible: false },
    ]);
  });

  test('never returns contact details, and the CPR numbers stay out of the logged URLs', async () => {
    const response = await batch([{ cpr: CPR.notified }]);
    assert.doesNotMatch(response.text, new RegExp(EMAIL.replace('.', '\\.')));
    assert.doesNotMatch(response.text, /12345678|@/);
    assert.doesNotMatch(response.text, new RegExp(CPR.notified), 'nor echoes the CPR number');
    const urls = logLines.flatMap((line) => {
      const url = JSON.parse(line).req?.url as string | undefined;
      return url ? [url] : [];
    });
    assert.ok(urls.includes('/api/v1/recipients/reachability'));
    // Every CPR number this file uses; a bare 10-digit pattern would also match digits inside UUIDs.
    for (const url of urls) {
      for (const cpr of Object.values(CPR))
        assert.ok(!url.includes(cpr) && !url.includes(`${cpr.slice(0, 6)}-${cpr.slice(6)}`), url);
    }
  });

  test('a batch of 1,000 works; 1,001 is refused with too_many_recipients', async () => {
    const thousand = Array.from({ length: 1000 }, (_, i) => {
      const day = String((i % 28) + 1).padStart(2, '0');
      const month = String((Math.floor(i / 28) % 12) + 1).padStart(2, '0');
      return { cpr: `${day}${month}80${String(1000 + i).slice(-4)}` };
    });
    thousand[500] = { cpr: CPR.voluntary };
    const ok = await batch(thousand);
    assert.equal(ok.status, 200);
    assert.equal(ok.json.results.length, 1000);
    assert.equal(ok.json.results[500].status, 'VOLUNTARY');
    assert.equal(ok.json.results[999].index, 999);
    assert.ok(ok.json.results.every((r: { error?: unknown }) => !r.error));

    const tooMany = await batch([...thousand, { cpr: CPR.notified }]);
    assert.equal(tooMany.status, 422);
    assert.equal(tooMany.json.code, 'too_many_recipients');
    assert.deepEqual(tooMany.json.errors?.[0]?.field, '/recipients');
  });

  test('a malformed body fails the whole request with a code and a field', async () => {
    const empty = await batch([]);
    assert.equal(empty.status, 400);
    assert.equal(empty.json.code, 'invalid_field');
    const unknownField = await api('POST', '/api/v1/recipients/reachability', { recipients: [], extra: 1 });
    assert.equal(unknownField.status, 400);
    const wrongShape = await batch([{ email: 'x@example.dk' }]);
    assert.equal(wrongShape.status, 400);
    assert.ok(wrongShape.json.errors?.[0]?.field.startsWith('/recipients/0'));
    const anonymous = await api('POST', '/api/v1/recipients/reachability', { recipients: [] }, null);
    assert.equal(anonymous.status, 401);
  });

  test('both forms are in the OpenAPI document under "recipients"', async () => {
    const doc = (await (await fetch(`${kuvert.url}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { tags?: string[] }>>;
    };
    assert.deepEqual(doc.paths['/api/v1/recipients/{id}/reachability']?.get?.tags, ['recipients']);
    assert.deepEqual(doc.paths['/api/v1/recipients/reachability']?.post?.tags, ['recipients']);
  });
});
