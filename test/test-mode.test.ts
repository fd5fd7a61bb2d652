import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { deliverMessage } from '../src/modules/messages/deliver-message.ts';
import { takeSnapshot } from '../src/modules/statistics/take-snapshot.ts';
import { memoXml } from './support/batches.ts';
import { citizen, logIn, senderStaff, type WebUser } from './support/correspondence.ts';
import { createPerson, createSender, letterBody } from './support/fixtures.ts';
import { eventually, startTestKuvert, type TestKuvert } from './support/kuvert.ts';
import { personWithContacts } from './support/notify-fixtures.ts';

// Test mode (issue 17, item 8): letters sent with a test key are validated and routed like live ones, but reach
// nobody — no mailbox item, notification, print job or statistics — and only the sender's own staff see them, in
// the test mailbox. Everything over HTTP with a real test key made on the portal's key page, and the real worker.

const BO = '0101901235'; // exempted → would be remote print
const UNKNOWN = '0202021234'; // nobody by this number

let kuvert: TestKuvert;
let sender: Awaited<ReturnType<typeof createSender>>;
let other: Awaited<ReturnType<typeof createSender>>;
let staff: WebUser & { id: string };
let otherStaff: WebUser & { id: string };
let anna: { id: string; cpr: string | null };
let testKey: string;
const testIds: string[] = [];
const LABEL = 'Testbrev om boligstøtte';

async function api(path: string, key: string, init: RequestInit = {}) {
  const response = await fetch(`${kuvert.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...init.headers },
  });
  return { status: response.status, body: (await response.json()) as any };
}

async function page(path: string, who?: WebUser) {
  const response = await fetch(`${kuvert.url}${path}`, {
    headers: who ? { cookie: who.cookie } : {},
    redirect: 'manual',
  });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

const routed = (id: string) =>
  eventually(async () => {
    const { body } = await api(`/api/v1/messages/${id}`, testKey);
    return ['received', 'scheduled'].includes(body.status) ? null : body;
  });

before(async () => {
  kuvert = await startTestKuvert();
  const db = kuvert.services.db;
  sender = await createSender(db, 'Testby Kommune');
  other = await createSender(db, 'Andenby Kommune');
  // Enrolled with a confirmed e-mail address: a live letter to her gets a notification (checked at the end).
  anna = await personWithContacts(db, { email: 'anna@example.org' }, new Date(), 'Anna Test');
  await createPerson(db, BO, 'Bo Hansen', 'exempted');
  staff = await senderStaff(kuvert, sender.id, 'Sara');
  otherStaff = await senderStaff(kuvert, other.id, 'Ole');
});
after(async () => kuvert?.stop());

describe('test keys', () => {
  test('the key page creates a test key, shown as kuv_test_…, and lists keys with their mode', async () => {
    const response = await fetch(`${kuvert.url}/afsender/api-noegler`, {
      method: 'POST',
      headers: { cookie: staff.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: staff.csrf, label: 'Fagsystem test', test: '1' }).toString(),
    });
    const html = await response.text();
    assert.equal(response.status, 201);
    testKey = /kuv_test_[a-z0-9]{12}_[A-Za-z0-9_-]+/.exec(html)?.[0] as string;
    assert.ok(testKey, 'the new key is shown once, with its test prefix');
    const list = await page('/afsender/api-noegler', staff);
    assert.match(list.text, /kuv_test_[a-z0-9]{12}_…/);
    assert.match(list.text, /Testnøgle/);
    assert.ok(!list.text.includes(testKey), 'the secret is not shown again');
    const row = await kuvert.services.db.selectFrom('api_key').select('test').where('label', '=', 'Fagsystem test');
    assert.equal((await row.executeTakeFirstOrThrow()).test, true);
  });

  test('a test key presented as a live one (prefix stripped) is refused', async () => {
    const live = testKey.replace('kuv_test_', 'kuv_');
    const { status, body } = await api('/api/v1/events', live, { method: 'GET' });
    assert.equal(status, 401);
    assert.equal(body.code, 'invalid_api_key');
  });
});

describe('letters sent with a test key', () => {
  test('JSON: validated like a live letter (an unknown recipient is 422, a bad body 400), routed like one', async () => {
    const unknown = await api('/api/v1/messages', testKey, {
      method: 'POST',
      body: JSON.stringify(letterBody(UNKNOWN)),
    });
    assert.equal(unknown.status, 422);
    assert.equal(unknown.body.code, 'unknown_recipient');
    const bad = await api('/api/v1/messages', testKey, { method: 'POST', body: JSON.stringify({ label: 'x' }) });
    assert.equal(bad.status, 400);

    const toAnna = await api('/api/v1/messages', testKey, {
      method: 'POST',
      body: JSON.stringify(letterBody(anna.cpr as string, { label: LABEL, notification: 'Ny post om boligstøtte' })),
    });
    assert.equal(toAnna.status, 201, JSON.stringify(toAnna.body));
    const toBo = await api('/api/v1/messages', testKey, { method: 'POST', body: JSON.stringify(letterBody(BO)) });
    const mandatory = await api('/api/v1/messages', testKey, {
      method: 'POST',
      body: JSON.stringify(letterBody(BO, { mandatory: true })),
    });
    testIds.push(toAnna.body.id, toBo.body.id, mandatory.body.id);

    const a = await routed(toAnna.body.id);
    assert.equal(a.status, 'available');
    assert.equal(a.test, true);
    assert.ok(a.availableAt, 'answers like a live letter: when it would have become available');
    assert.deepEqual(
      a.events.map((e: any) => e.type),
      ['RECEIVED', 'VALIDATED', 'AVAILABLE_TO_RECIPIENT'],
    );
    assert.deepEqual(a.events[2].data, { test: true });
    const b = await routed(toBo.body.id);
    assert.equal(b.status, 'print_queued');
    assert.equal(b.events.at(-1).type, 'PRINT_QUEUED');
    const m = await routed(mandatory.body.id);
    assert.equal(m.status, 'rejected');
    assert.equal(m.rejectedReason, 'recipient_not_digital');
    assert.deepEqual(m.events.at(-1).data, { reason: 'recipient_not_digital', test: true });
  });

  test('MeMo: the same', async () => {
    const response = await fetch(`${kuvert.url}/api/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${testKey}`, 'content-type': 'application/xml' },
      body: memoXml(randomUUID(), anna.cpr as string, { label: 'MeMo-testbrev' }),
    });
    const body = (await response.json()) as any;
    assert.equal(response.status, 201, JSON.stringify(body));
    testIds.push(body.id);
    const s = await routed(body.id);
    assert.equal(s.status, 'available');
    assert.equal(s.test, true);
  });

  test('a batch: every letter a test letter, routed in bulk, none delivered', async () => {
    const lines = [
      { ...letterBody(anna.cpr as string, { label: 'Batch-testbrev' }), messageUuid: randomUUID() },
      { ...letterBody(BO, { label: 'Batch-testbrev' }), messageUuid: randomUUID() },
      { ...letterBody(UNKNOWN), messageUuid: randomUUID() },
    ];
    const submitted = await api('/api/v1/batches', testKey, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`,
    });
    assert.equal(submitted.status, 202, JSON.stringify(submitted.body));
    const done = await eventually(async () => {
      const { body } = await api(`/api/v1/batches/${submitted.body.id}`, testKey, { method: 'GET' });
      return body.state === 'completed' ? body : null;
    }, 30_000);
    assert.equal(done.test, true);
    assert.equal(done.counts.accepted, 2);
    assert.equal(done.counts.failed, 1, 'the unknown recipient fails as it would live');
    const rows = await kuvert.services.db
      .selectFrom('message')
      .select(['id', 'test'])
      .where('label', '=', 'Batch-testbrev')
      .execute();
    assert.equal(rows.length, 2);
    assert.ok(rows.every((r) => r.test));
    testIds.push(...rows.map((r) => r.id));
    const outcomes = await Promise.all(rows.map((r) => routed(r.id)));
    assert.deepEqual(outcomes.map((o) => o.status).sort(), ['available', 'print_queued']);
  });

  test('a scheduled test letter waits like a live one, and when due is routed, not delivered', async () => {
    const sent = await api('/api/v1/messages', testKey, {
      method: 'POST',
      body: JSON.stringify(
        letterBody(anna.cpr as string, { label: 'Planlagt testbrev', doNotDeliverUntil: '2099-01-01' }),
      ),
    });
    assert.equal(sent.status, 201);
    testIds.push(sent.body.id);
    assert.equal((await api(`/api/v1/messages/${sent.body.id}`, testKey, { method: 'GET' })).body.status, 'scheduled');
    await deliverMessage(kuvert.services, { messageId: sent.body.id }, new Date('2099-01-02T00:00:00Z'));
    const s = (await api(`/api/v1/messages/${sent.body.id}`, testKey, { method: 'GET' })).body;
    assert.equal(s.status, 'available');
    assert.equal(s.test, true);
  });

  test('nothing reached a mailbox, a notification, print or the statistics', async () => {
    const db = kuvert.services.db;
    assert.equal(testIds.length, 7);
    const count = async (query: ReturnType<typeof sql<{ n: string }>>) => Number((await query.execute(db)).rows[0]?.n);
    assert.equal(
      await count(
        sql`select count(*) as n from message where id = any(${testIds}::uuid[]) and available_at is not null`,
      ),
      0,
    );
    assert.equal(
      await count(sql`select count(*) as n from mailbox_item where message_id = any(${testIds}::uuid[])`),
      0,
    );
    assert.equal(await count(sql`select count(*) as n from print_job`), 0);
    assert.equal(await count(sql`select count(*) as n from notification`), 0);
    assert.equal(await count(sql`select count(*) as n from notify_pending`), 0);
    assert.equal(await count(sql`select count(*) as n from notify_followup`), 0);
    assert.equal(
      await count(
        sql`select count(*) as n from graphile_worker.jobs where task_identifier in ('notify-sweep', 'notify-send', 'print-batch')`,
      ),
      0,
    );
    await takeSnapshot(db);
    assert.equal(await count(sql`select coalesce(sum(count), 0) as n from stats_volume`), 0);
    // The would-be recipient sees nothing.
    const annaWeb = await logIn(kuvert, { kind: 'citizen', subject: 'anna', name: 'Anna Test', recipientId: anna.id });
    const inbox = await page('/post', annaWeb);
    assert.equal(inbox.status, 200);
    assert.ok(!inbox.text.includes(LABEL));
    assert.equal((await page(`/post/${testIds[0]}`, annaWeb)).status, 404);
  });

  test('the event feed marks the test letters’ events test: true', async () => {
    // The feed hands out only events of transactions older than every running one: wait for all 7 × 3.
    const ofTest = await eventually(async () => {
      const { body } = await api('/api/v1/events?limit=1000', testKey, { method: 'GET' });
      const events = body.events.filter((e: any) => testIds.includes(e.messageId));
      return events.length >= 21 ? events : null;
    }, 30_000);
    assert.ok(ofTest.every((e: any) => e.test === true));
  });
});

describe('the test mailbox', () => {
  test("shows the sender's staff its test letters: masked recipient, subject, where each would have gone", async () => {
    const list = await page('/afsender/testpostkasse', staff);
    assert.equal(list.status, 200);
    assert.ok(list.text.includes(LABEL));
    assert.ok(list.text.includes('MeMo-testbrev'));
    assert.ok(list.text.includes(`${(anna.cpr as string).slice(0, 6)}-****`));
    assert.ok(!list.text.includes(anna.cpr as string), 'never a whole CPR number');
    assert.ok(!list.text.includes(BO));
    assert.ok(list.text.includes('Digital Post-postkasse'));
    assert.ok(list.text.includes('Fjernprint (papirbrev)'));
    assert.ok(list.text.includes('Fejl: modtageren er ikke digital'));
    // The ordinary letter list leaves them out.
    const letters = await page('/afsender', staff);
    assert.ok(!letters.text.includes(LABEL));
  });

  test('opens a letter as the recipient would see it, with its documents', async () => {
    const letter = await page(`/afsender/testpostkasse/${testIds[0]}`, staff);
    assert.equal(letter.status, 200);
    assert.ok(letter.text.includes('Testbrev: valideret og rutet, men ikke leveret til nogen.'));
    assert.ok(letter.text.includes('Ny post om boligstøtte'));
    assert.ok(!letter.text.includes(anna.cpr as string));
    const ordinary = await page(`/afsender/breve/${testIds[0]}`, staff);
    assert.equal(ordinary.status, 303, 'the ordinary letter page sends a test letter to the test mailbox');
    const pdf = await page(`/afsender/testpostkasse/${testIds[0]}/dokumenter/0`, staff);
    assert.equal(pdf.status, 200);
    assert.equal(pdf.type, 'application/pdf');
  });

  test("is no one else's: another sender's staff get 404, a citizen 403, nobody logged in the login page", async () => {
    assert.equal((await page(`/afsender/testpostkasse/${testIds[0]}`, otherStaff)).status, 404);
    assert.equal((await page(`/afsender/testpostkasse/${testIds[0]}/dokumenter/0`, otherStaff)).status, 404);
    const theirs = await page('/afsender/testpostkasse', otherStaff);
    assert.equal(theirs.status, 200);
    assert.ok(!theirs.text.includes(LABEL));
    const bo = await citizen(kuvert, '1111111118', 'Carl Citizen');
    assert.equal((await page('/afsender/testpostkasse', bo)).status, 403);
    assert.equal((await page('/afsender/testpostkasse')).status, 303);
    // A live letter is not in the test mailbox either.
  });
});

describe('a live key still delivers', () => {
  test('to the mailbox, with its notification, counted in the statistics', async () => {
    const db = kuvert.services.db;
    const sent = await api('/api/v1/messages', sender.apiKey, {
      method: 'POST',
      body: JSON.stringify(letterBody(anna.cpr as string, { label: 'Rigtigt brev' })),
    });
    assert.equal(sent.status, 201);
    const s = await eventually(async () => {
      const { body } = await api(`/api/v1/messages/${sent.body.id}`, sender.apiKey, { method: 'GET' });
      return body.status === 'available' ? body : null;
    });
    assert.equal(s.test, undefined);
    const pending = await sql<{
      n: string;
    }>`select count(*) as n from notify_pending where recipient_id = ${anna.id}`.execute(db);
    assert.equal(Number(pending.rows[0]?.n), 1, 'the live letter schedules the notification the test letters did not');
    await takeSnapshot(db);
    const volume = await sql<{
      n: string;
    }>`select coalesce(sum(count), 0) as n from stats_volume where channel = 'letter'`.execute(db);
    assert.ok(Number(volume.rows[0]?.n) >= 1);
    assert.equal((await page(`/afsender/testpostkasse/${sent.body.id}`, staff)).status, 404);
  });
});
