import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import {
  getPage,
  logIn,
  postForm,
  senderStaff,
  visibleText,
  type WebUser,
} from '../../../test/support/correspondence.ts';
import { startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';
import { loadMunicipalities } from '../../db/municipalities.ts';
import { createSender } from '../identity/index.ts';
import { logIn as logInWithClaims } from '../identity/log-in.ts';

let kuvert: TestKuvert;
let operator: WebUser;

const form = (fields: Record<string, string>) => Object.entries(fields) as [string, string][];
const good = {
  cvr: '29189846',
  name: 'Testkommunen Nord',
  kind: 'municipality',
  municipalityCode: '0851',
  contactEmail: 'digitalpost@nord.dk',
  contactPhone: '12 34 56 78',
  adminSubject: 'nord-admin-1',
  adminName: 'Inge Admin',
};
const senderCount = async () => (await kuvert.services.db.selectFrom('sender').select('id').execute()).length;

before(async () => {
  kuvert = await startTestKuvert({ worker: false });
  await loadMunicipalities(kuvert.services.db);
  const row = await kuvert.services.db
    .insertInto('staff_user')
    .values({ subject: 'op-1', name: 'Ole Drift', role: 'operator' })
    .returning('id')
    .executeTakeFirstOrThrow();
  operator = await logIn(kuvert, { kind: 'operator', subject: 'op-1', name: 'Ole Drift', staffId: row.id });
});
after(async () => kuvert?.stop());

describe('the operators create senders on /drift/styring/afsendere', () => {
  test('a bad CVR (and a municipality without a code) is shown at its field, and nothing is created', async () => {
    const before = await senderCount();
    const page = await postForm(
      kuvert,
      '/drift/styring/afsendere',
      operator,
      form({ ...good, cvr: '12345678', municipalityCode: '' }),
    );
    assert.equal(page.status, 400);
    const text = visibleText(page.text);
    assert.match(text, /Skriv et gyldigt CVR-nummer på 8 cifre/);
    assert.match(page.text, /id="cvr-error"/);
    assert.match(page.text, /id="municipalityCode-error"/);
    assert.match(page.text, /aria-invalid="true"/);
    assert.match(page.text, /value="Testkommunen Nord"/, 'the form keeps what was typed');
    assert.equal(await senderCount(), before);
    const admin = await kuvert.services.db
      .selectFrom('staff_user')
      .select('id')
      .where('subject', '=', good.adminSubject)
      .executeTakeFirst();
    assert.equal(admin, undefined, 'no administrator either');
  });

  test('a good form creates the sender and its administrator, audited; the same CVR again is refused at its field', async () => {
    const created = await postForm(kuvert, '/drift/styring/afsendere', operator, form(good));
    assert.equal(created.status, 303);
    const list = await getPage(kuvert, created.headers.get('location') ?? '', operator);
    assert.equal(list.status, 200);
    assert.match(visibleText(list.text), /Testkommunen Nord er oprettet/);
    assert.match(list.text, /29189846/);
    const sender = await kuvert.services.db
      .selectFrom('sender')
      .selectAll()
      .where('cvr', '=', good.cvr)
      .executeTakeFirstOrThrow();
    assert.equal(sender.contact_phone, '+4512345678');
    assert.equal(sender.municipality_code, '0851');
    const admin = await kuvert.services.db
      .selectFrom('staff_user')
      .selectAll()
      .where('subject', '=', good.adminSubject)
      .executeTakeFirstOrThrow();
    assert.deepEqual([admin.role, admin.sender_role, admin.sender_id], ['sender_staff', 'admin', sender.id]);
    const audit = await kuvert.services.db
      .selectFrom('audit_event')
      .select(['actor_kind', 'action'])
      .where('subject_id', '=', sender.id)
      .execute();
    assert.deepEqual(audit, [{ actor_kind: 'operator', action: 'sender.create' }]);

    const before = await senderCount();
    const again = await postForm(
      kuvert,
      '/drift/styring/afsendere',
      operator,
      form({ ...good, adminSubject: 'someone-else' }),
    );
    assert.equal(again.status, 409);
    assert.match(visibleText(again.text), /Der findes allerede en afsender med dette CVR-nummer/);
    assert.equal(await senderCount(), before);
  });

  test('the page is for operators only; the form needs its CSRF token', async () => {
    const sender = await createSender(
      kuvert.services.db,
      { ...good, cvr: '25052943', adminSubject: 'x-admin' },
      {
        kind: 'cli',
      },
    );
    const staff = await senderStaff(kuvert, sender.senderId, 'Anders');
    assert.equal((await getPage(kuvert, '/drift/styring/afsendere', staff)).status, 403);
    const noCsrf = await postForm(kuvert, '/drift/styring/afsendere', { ...operator, csrf: 'wrong' }, form(good));
    assert.equal(noCsrf.status, 403);
  });
});

describe('sender administrators manage their staff on /afsender/medarbejdere', () => {
  let senderId: string;
  let admin: WebUser;
  let adminId: string;

  before(async () => {
    const created = await createSender(
      kuvert.services.db,
      { ...good, cvr: '10103940', kind: 'state', municipalityCode: '', adminSubject: 'stat-admin', adminName: 'Sara' },
      { kind: 'cli' },
    );
    senderId = created.senderId;
    adminId = created.adminId;
    // The real login use case, as the OIDC callback calls it: the new administrator's subject becomes a session.
    const { sessionId } = await logInWithClaims(kuvert.services.db, {
      claims: { sub: 'stat-admin', name: 'Sara' },
      issuer: 'https://idp.example',
      idToken: undefined,
    });
    const session = await kuvert.services.db
      .selectFrom('web_session')
      .select('csrf_token')
      .where(sql<string>`actor->>'staffId'`, '=', adminId)
      .executeTakeFirstOrThrow();
    admin = { cookie: `kuvert_session=${sessionId}`, csrf: session.csrf_token };
  });

  test('the new administrator reaches the portal and the staff page, with the management form', async () => {
    assert.equal((await getPage(kuvert, '/afsender', admin)).status, 200);
    const page = await getPage(kuvert, '/afsender/medarbejdere', admin);
    assert.equal(page.status, 200);
    assert.match(page.text, /stat-admin/);
    assert.match(page.text, /action="\/afsender\/medarbejdere"/);
  });

  test('adds a staff member, who sees the list but may not manage staff or keys (403)', async () => {
    const added = await postForm(
      kuvert,
      '/afsender/medarbejdere',
      admin,
      form({ subject: 'stat-bo', name: 'Bo Berg', role: 'staff' }),
    );
    assert.equal(added.status, 303);
    const bo = await kuvert.services.db
      .selectFrom('staff_user')
      .select(['id', 'sender_role', 'sender_id'])
      .where('subject', '=', 'stat-bo')
      .executeTakeFirstOrThrow();
    assert.deepEqual([bo.sender_role, bo.sender_id], ['staff', senderId]);
    const boUser = await logIn(kuvert, {
      kind: 'sender_staff',
      subject: 'stat-bo',
      name: 'Bo Berg',
      staffId: bo.id,
      senderId,
    });
    const seen = await getPage(kuvert, '/afsender/medarbejdere', boUser);
    assert.equal(seen.status, 200);
    assert.doesNotMatch(seen.text, /action="\/afsender\/medarbejdere"/, 'no form for non-administrators');
    for (const [path, fields] of [
      ['/afsender/medarbejdere', form({ subject: 'stat-x', name: 'X', role: 'admin' })],
      [`/afsender/medarbejdere/${bo.id}/rolle`, form({ role: 'admin' })],
      [`/afsender/medarbejdere/${adminId}/fjern`, []],
      ['/afsender/api-noegler', form({ label: 'Mit' })],
    ] as [string, [string, string][]][]) {
      assert.equal((await postForm(kuvert, path, boUser, fields)).status, 403, path);
    }
    assert.equal((await getPage(kuvert, '/afsender/api-noegler', boUser)).status, 403);
    const still = await kuvert.services.db
      .selectFrom('staff_user')
      .select('sender_role')
      .where('id', '=', bo.id)
      .executeTakeFirstOrThrow();
    assert.equal(still.sender_role, 'staff');

    const taken = await postForm(
      kuvert,
      '/afsender/medarbejdere',
      admin,
      form({ subject: 'stat-bo', name: 'B', role: 'staff' }),
    );
    assert.equal(taken.status, 409);
    assert.match(taken.text, /id="subject-error"/);
  });

  test('the last administrator can be neither demoted nor removed (409 last_administrator); with two, one can go', async () => {
    const demote = await postForm(kuvert, `/afsender/medarbejdere/${adminId}/rolle`, admin, form({ role: 'staff' }));
    assert.equal(demote.status, 409);
    assert.match(visibleText(demote.text), /sidste administrator/);
    const remove = await postForm(kuvert, `/afsender/medarbejdere/${adminId}/fjern`, admin, []);
    assert.equal(remove.status, 409);
    const me = await kuvert.services.db
      .selectFrom('staff_user')
      .select(['sender_role', 'sender_id'])
      .where('id', '=', adminId)
      .executeTakeFirstOrThrow();
    assert.deepEqual([me.sender_role, me.sender_id], ['admin', senderId]);

    const bo = await kuvert.services.db
      .selectFrom('staff_user')
      .select('id')
      .where('subject', '=', 'stat-bo')
      .executeTakeFirstOrThrow();
    assert.equal(
      (await postForm(kuvert, `/afsender/medarbejdere/${bo.id}/rolle`, admin, form({ role: 'admin' }))).status,
      303,
    );
    const boUser = await logIn(kuvert, {
      kind: 'sender_staff',
      subject: 'stat-bo',
      name: 'Bo Berg',
      staffId: bo.id,
      senderId,
    });
    assert.equal((await getPage(kuvert, '/afsender/api-noegler', boUser)).status, 200, 'promoted: keys at once');
    // Bo, now an administrator, removes Sara: allowed, as Bo stays; Sara's session ends.
    assert.equal((await postForm(kuvert, `/afsender/medarbejdere/${adminId}/fjern`, boUser, [])).status, 303);
    assert.notEqual((await getPage(kuvert, '/afsender/medarbejdere', admin)).status, 200);
    const audit = await kuvert.services.db
      .selectFrom('audit_event')
      .select('action')
      .where('action', 'like', 'sender_staff.%')
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audit.map((a) => a.action),
      ['sender_staff.add', 'sender_staff.role', 'sender_staff.remove'],
    );
  });

  test("another sender's administrator cannot touch our staff", async () => {
    const other = await createSender(
      kuvert.services.db,
      { ...good, cvr: '30060946', kind: 'region', municipalityCode: '', adminSubject: 'reg-admin', adminName: 'R' },
      { kind: 'cli' },
    );
    const theirAdmin = await logIn(kuvert, {
      kind: 'sender_staff',
      subject: 'reg-admin',
      name: 'R',
      staffId: other.adminId,
      senderId: other.senderId,
    });
    const bo = await kuvert.services.db
      .selectFrom('staff_user')
      .select('id')
      .where('subject', '=', 'stat-bo')
      .executeTakeFirstOrThrow();
    assert.equal((await postForm(kuvert, `/afsender/medarbejdere/${bo.id}/fjern`, theirAdmin, [])).status, 404);
    const row = await kuvert.services.db
      .selectFrom('staff_user')
      .select('sender_id')
      .where('id', '=', bo.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.sender_id, senderId);
  });
});
