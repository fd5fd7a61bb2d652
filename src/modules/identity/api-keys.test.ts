import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createPerson, createSender, letterBody } from '../../../test/support/fixtures.ts';
import { startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';
import type { Actor } from '../../kernel/actor.ts';
import { authenticateApiKey, createApiKey } from './api-keys.ts';
import { createSession } from './session.ts';

let kuvert: TestKuvert;
let ours: Awaited<ReturnType<typeof createSender>>;
let theirs: Awaited<ReturnType<typeof createSender>>;
let staff: { cookie: string; csrf: string };
let otherStaff: { cookie: string; csrf: string };
let plainStaff: { cookie: string; csrf: string };

async function login(actor: Actor) {
  const { sessionId, csrfToken } = await createSession(kuvert.services.db, actor, null);
  return { cookie: `kuvert_session=${sessionId}`, csrf: csrfToken };
}

async function post(path: string, who: { cookie: string }, form: Record<string, string>) {
  return fetch(`${kuvert.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
}

async function sendWith(key: string) {
  const response = await fetch(`${kuvert.url}/api/v1/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(letterBody('1503851234')),
  });
  return response.status;
}

before(async () => {
  kuvert = await startTestKuvert({ worker: false });
  ours = await createSender(kuvert.services.db, 'Skattestyrelsen');
  theirs = await createSender(kuvert.services.db, 'Region Nordjylland');
  await createPerson(kuvert.services.db, '1503851234', 'Anna Jensen');
  const member = async (senderId: string, subject: string, name: string, role: 'admin' | 'staff') => {
    const row = await kuvert.services.db
      .insertInto('staff_user')
      .values({ subject, name, role: 'sender_staff', sender_role: role, sender_id: senderId })
      .returning('id')
      .executeTakeFirstOrThrow();
    return login({ kind: 'sender_staff', subject, name, staffId: row.id, senderId });
  };
  staff = await member(ours.id, 's1', 'Lars Andersen', 'admin');
  otherStaff = await member(theirs.id, 's2', 'Mette Berg', 'admin');
  plainStaff = await member(ours.id, 's3', 'Bo Holm', 'staff');
});
after(async () => kuvert?.stop());

describe('sender staff manage their organisation’s API keys', () => {
  test('a new key is shown once, works on the API, and only its hint is listed afterwards', async () => {
    const created = await post('/afsender/api-noegler', staff, { _csrf: staff.csrf, label: 'ESDH-system' });
    assert.equal(created.status, 201);
    const html = await created.text();
    const key = /kuv_[a-z0-9]{12}_[A-Za-z0-9_-]{24,}/.exec(html)?.[0];
    assert.ok(key, 'the new key is on the page');
    assert.equal(await sendWith(key), 201);

    const list = await fetch(`${kuvert.url}/afsender/api-noegler`, { headers: { cookie: staff.cookie } });
    const listed = await list.text();
    assert.match(listed, /ESDH-system/);
    const secret = key.slice('kuv_'.length + 12 + 1); // base64url: may itself contain '_'
    assert.ok(!listed.includes(secret), 'the secret is never shown again');
    const stored = await kuvert.services.db.selectFrom('api_key').select('secret_hash').execute();
    assert.ok(
      stored.every((row) => !key.includes(row.secret_hash)),
      'only a hash is stored',
    );
  });

  test('a revoked key stops working at once', async () => {
    const created = await post('/afsender/api-noegler', staff, { _csrf: staff.csrf, label: 'Gammelt system' });
    const key = /kuv_[a-z0-9]{12}_[A-Za-z0-9_-]{24,}/.exec(await created.text())?.[0] as string;
    const row = await kuvert.services.db
      .selectFrom('api_key')
      .select('id')
      .where('label', '=', 'Gammelt system')
      .executeTakeFirstOrThrow();
    const revoked = await post(`/afsender/api-noegler/${row.id}/tilbagekald`, staff, { _csrf: staff.csrf });
    assert.equal(revoked.status, 303);
    assert.equal(await sendWith(key), 401);
  });

  test('staff of another sender cannot see or revoke our keys', async () => {
    const row = await kuvert.services.db
      .selectFrom('api_key')
      .select(['id', 'label'])
      .where('sender_id', '=', ours.id)
      .where('label', '=', 'ESDH-system')
      .executeTakeFirstOrThrow();
    const page = await (
      await fetch(`${kuvert.url}/afsender/api-noegler`, { headers: { cookie: otherStaff.cookie } })
    ).text();
    assert.doesNotMatch(page, new RegExp(row.label));
    const attempt = await post(`/afsender/api-noegler/${row.id}/tilbagekald`, otherStaff, { _csrf: otherStaff.csrf });
    assert.equal(attempt.status, 404);
    const still = await kuvert.services.db
      .selectFrom('api_key')
      .select('revoked_at')
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
    assert.equal(still.revoked_at, null);
  });

  test('a form without the CSRF token is refused and creates nothing', async () => {
    const before = await kuvert.services.db.selectFrom('api_key').select('id').execute();
    const response = await post('/afsender/api-noegler', staff, { label: 'Snydenøgle' });
    assert.equal(response.status, 403);
    const afterRows = await kuvert.services.db.selectFrom('api_key').select('id').execute();
    assert.equal(afterRows.length, before.length);
  });

  test('an empty name is answered on the page, keeping the form', async () => {
    const response = await post('/afsender/api-noegler', staff, { _csrf: staff.csrf, label: '   ' });
    assert.equal(response.status, 400);
    assert.match(await response.text(), /Giv nøglen et navn/);
  });

  test('citizens cannot reach the page', async () => {
    const person = await kuvert.services.db.selectFrom('recipient').select('id').executeTakeFirstOrThrow();
    const citizen = await login({ kind: 'citizen', subject: 'c', name: 'Anna Jensen', recipientId: person.id });
    const response = await fetch(`${kuvert.url}/afsender/api-noegler`, { headers: { cookie: citizen.cookie } });
    assert.equal(response.status, 403);
  });

  test('staff who are not administrators can neither see, create nor revoke keys (403)', async () => {
    const page = await fetch(`${kuvert.url}/afsender/api-noegler`, { headers: { cookie: plainStaff.cookie } });
    assert.equal(page.status, 403);
    const before = await kuvert.services.db.selectFrom('api_key').select('id').execute();
    const created = await post('/afsender/api-noegler', plainStaff, { _csrf: plainStaff.csrf, label: 'Mit eget' });
    assert.equal(created.status, 403);
    const [row] = await kuvert.services.db
      .selectFrom('api_key')
      .select('id')
      .where('sender_id', '=', ours.id)
      .execute();
    const revoked = await post(`/afsender/api-noegler/${row?.id}/tilbagekald`, plainStaff, { _csrf: plainStaff.csrf });
    assert.equal(revoked.status, 403);
    const after = await kuvert.services.db.selectFrom('api_key').select('id').execute();
    assert.equal(after.length, before.length);
    const live = await kuvert.services.db
      .selectFrom('api_key')
      .select('id')
      .where('id', '=', row?.id ?? '')
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    assert.ok(live, 'the key is still live');
  });
});

describe('test keys (test mode)', () => {
  test('a test key says so in its prefix and authenticates as test; a live key as live', async () => {
    const db = kuvert.services.db;
    const test = await createApiKey(db, ours.id, 'Testsystem', undefined, true);
    const live = await createApiKey(db, ours.id, 'Livesystem');
    assert.match(test.key, /^kuv_test_[a-z0-9]{12}_/);
    assert.match(live.key, /^kuv_[a-z0-9]{12}_/);
    assert.deepEqual(await authenticateApiKey(db, test.key), { apiKeyId: test.id, senderId: ours.id, test: true });
    assert.deepEqual(await authenticateApiKey(db, live.key), { apiKeyId: live.id, senderId: ours.id, test: false });
  });

  test('a key shown with the wrong mode is refused: the prefix a developer reads is the truth', async () => {
    const db = kuvert.services.db;
    const test = await createApiKey(db, ours.id, 'Testsystem 2', undefined, true);
    const live = await createApiKey(db, ours.id, 'Livesystem 2');
    assert.equal(await authenticateApiKey(db, test.key.replace('kuv_test_', 'kuv_')), null);
    assert.equal(await authenticateApiKey(db, live.key.replace('kuv_', 'kuv_test_')), null);
  });

  test('a fixed key of the test shape is a test key', async () => {
    const fixed = `kuv_test_abcdefabcdef_${'x'.repeat(32)}`;
    const created = await createApiKey(kuvert.services.db, ours.id, 'Demo test', fixed);
    assert.equal(created.key, fixed);
    assert.equal((await authenticateApiKey(kuvert.services.db, fixed))?.test, true);
  });

  test('creating a test key on the page is audited as one', async () => {
    const created = await post('/afsender/api-noegler', staff, { _csrf: staff.csrf, label: 'Test-ESDH', test: '1' });
    assert.equal(created.status, 201);
    assert.match(await created.text(), /kuv_test_[a-z0-9]{12}_/);
    const audit = await kuvert.services.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'api_key.create')
      .execute();
    assert.ok(audit.some((a) => (a.details as { test?: boolean }).test === true));
  });
});
