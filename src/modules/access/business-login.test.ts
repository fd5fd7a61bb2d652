import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createBusiness, createResident, sessionFor } from '../../../test/support/access.ts';
import { startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';
import { LoginBrowser } from '../../../test/support/login-browser.ts';
import { loadMunicipalities } from '../../db/municipalities.ts';
import { AppError } from '../../http/problem.ts';
import { logIn } from '../identity/log-in.ts';
import { addAdministrator, removeAdministrator } from './administrators.ts';
import { businessLoginStep } from './business-login.ts';
import { revokeAccess } from './revoke-access.ts';

const CVR = '41234563';
const OTHER_CVR = '10000009';
const ANNA_CPR = '1503851234';
const JONAS_CPR = '1207884567';
let kuvert: TestKuvert;
let firm: string;

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return `${error.status} ${error.code}`;
    throw error;
  }
  throw new Error('expected an AppError');
}

async function personId(cpr: string): Promise<string | undefined> {
  const row = await kuvert.services.db.selectFrom('recipient').select('id').where('cpr', '=', cpr).executeTakeFirst();
  return row?.id;
}

/** The live business accesses `granteeId` holds to the firm. */
async function accessOf(granteeId: string | undefined) {
  if (!granteeId) return [];
  return kuvert.services.db
    .selectFrom('mailbox_access')
    .select(['id', 'level', 'created_by_kind'])
    .where('mailbox_id', '=', firm)
    .where('grantee_id', '=', granteeId)
    .where('revoked_at', 'is', null)
    .execute();
}

before(async () => {
  kuvert = await startTestKuvert({ worker: false });
  await loadMunicipalities(kuvert.services.db);
  firm = await createBusiness(kuvert.services.db, CVR, 'Jensen Design ApS');
});
after(async () => {
  await kuvert?.stop();
});

describe('MitID Erhverv login through the built-in provider', () => {
  test('an administrator by the claims gets owner access once, and the business mailbox opens first', async () => {
    for (let round = 0; round < 2; round++) {
      const browser = new LoginBrowser(kuvert.url);
      const { response, path } = await browser.logInAs('Anna Jensen (Jensen Design ApS)');
      assert.equal(response.status, 303);
      assert.equal(path, '/post');
      assert.equal(browser.cookies.get('kuvert_mailbox'), firm, 'the switcher remembers the business');
      const page = await browser.request('/post/adgang');
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /Adgang til postkassen for Jensen Design ApS/);
      assert.match(html, /href="\/post\/adgang\/administratorer"/);
      assert.doesNotMatch(html, /Tilbagekald adgangen for Anna Jensen/, 'administrators are removed on their own page');
    }
    const anna = await personId(ANNA_CPR);
    const held = await accessOf(anna);
    assert.deepEqual(
      held.map((h) => [h.level, h.created_by_kind]),
      [['owner', 'login']],
      'one owner access, created by the login, kept on the next login',
    );
    const audit = await kuvert.services.db
      .selectFrom('audit_event')
      .select(['action', 'details'])
      .where('mailbox_recipient_id', '=', firm)
      .where('action', '=', 'access.grant')
      .execute();
    assert.equal(audit.length, 1);
    assert.equal((audit[0]?.details as { level?: string } | undefined)?.level, 'owner');
  });

  test('an employee by the claims gets nothing automatically and lands in their own mailbox', async () => {
    const browser = new LoginBrowser(kuvert.url);
    const { response, path } = await browser.logInAs('Jonas Berg (Jensen Design ApS)');
    assert.equal(response.status, 303);
    assert.equal(path, '/post');
    assert.ok(browser.cookies.get('kuvert_session'), 'logged in');
    assert.equal(browser.cookies.get('kuvert_mailbox'), undefined);
    assert.deepEqual(await accessOf(await personId(JONAS_CPR)), []);
    const admins = await browser.request('/post/adgang/administratorer');
    assert.equal(admins.status, 403, 'an employee cannot see the administrators');
  });

  test('a login for a business Kuvert does not know is refused with a clear 403 page and no session', async () => {
    const db = kuvert.services.db;
    await db.updateTable('recipient').set({ cvr: OTHER_CVR }).where('id', '=', firm).execute();
    try {
      const browser = new LoginBrowser(kuvert.url);
      const { response } = await browser.logInAs('Jonas Berg (Jensen Design ApS)');
      assert.equal(response.status, 403);
      assert.match(await response.text(), /bruger ikke Kuvert: der er ingen virksomhed med dette CVR-nummer/);
      assert.equal(browser.cookies.get('kuvert_session'), undefined, 'no session');
    } finally {
      await db.updateTable('recipient').set({ cvr: CVR }).where('id', '=', firm).execute();
    }
  });

  test('configured claim names: a plain role claim works, a privilege for another business does not', async () => {
    const bo = await createResident(kuvert.services.db, '0101901235', 'Bo Berg');
    const names = { cvrClaim: 'org', roleClaim: 'roles', adminRole: 'admin' };
    const steps = [businessLoginStep(kuvert.services)];
    const claims = (roles: unknown) => ({
      sub: 'ext-bo',
      name: 'Bo Berg',
      'https://data.gov.dk/model/core/eid/cprNumber': '0101901235',
      org: CVR,
      roles,
    });
    await logIn(kuvert.services.db, {
      claims: claims(['employee']),
      issuer: 'x',
      idToken: undefined,
      businessClaims: names,
      steps,
    });
    assert.deepEqual(await accessOf(bo.recipientId), []);
    // NemLog-in's privilege list, but scoped to another CVR number: not an administrator here.
    const xml = `<PrivilegeList><PrivilegeGroup Scope="urn:dk:gov:saml:cvrNumberIdentifier:${OTHER_CVR}"><Privilege>admin</Privilege></PrivilegeGroup></PrivilegeList>`;
    await logIn(kuvert.services.db, {
      claims: claims(Buffer.from(xml).toString('base64')),
      issuer: 'x',
      idToken: undefined,
      businessClaims: names,
      steps,
    });
    assert.deepEqual(await accessOf(bo.recipientId), []);
    await logIn(kuvert.services.db, {
      claims: claims('admin'),
      issuer: 'x',
      idToken: undefined,
      businessClaims: names,
      steps,
    });
    assert.deepEqual(
      (await accessOf(bo.recipientId)).map((h) => h.level),
      ['owner'],
    );
    // Clean up for the next test: Bo stops being an administrator (Anna stays).
    const anna = {
      kind: 'citizen' as const,
      subject: 's',
      name: 'Anna Jensen',
      recipientId: (await personId(ANNA_CPR)) as string,
    };
    const [boAccess] = await accessOf(bo.recipientId);
    await removeAdministrator(kuvert.services, anna, { mailboxId: firm, accessId: boAccess?.id as string });
    assert.deepEqual(await accessOf(bo.recipientId), []);
  });
});

describe("a business's administrators", () => {
  test('the last administrator cannot be removed; a second is named, then the first removed', async () => {
    const db = kuvert.services.db;
    const annaId = (await personId(ANNA_CPR)) as string;
    const anna = { kind: 'citizen' as const, subject: 's-anna', name: 'Anna Jensen', recipientId: annaId };
    const [annaAccess] = await accessOf(annaId);
    assert.ok(annaAccess);
    const session = await sessionFor(db, anna);
    const cookie = `${session.cookie}; kuvert_mailbox=${firm}`;
    const post = (path: string, form: Record<string, string>) =>
      fetch(`${kuvert.url}${path}`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...form, _csrf: session.csrf, mailbox: firm }).toString(),
        redirect: 'manual',
      });

    // Through the page: removing herself, the only administrator, is refused with 409 and says why.
    const refused = await post(`/post/adgang/administratorer/${annaAccess.id}/fjern`, {});
    assert.equal(refused.status, 409);
    assert.match(await refused.text(), /Virksomheden skal have mindst én administrator/);
    // The access page's generic revoke is held to the same rule.
    assert.equal(
      await codeOf(revokeAccess(kuvert.services, anna, { mailboxId: firm, accessId: annaAccess.id })),
      '409 last_business_administrator',
    );
    assert.equal((await accessOf(annaId)).length, 1);

    // An employee with read access is made an administrator: the read access is replaced by owner access.
    const carl = await createResident(db, '0505654444', 'Carl Clausen');
    const jonasId = (await personId(JONAS_CPR)) as string;
    await kuvert.services.db
      .insertInto('mailbox_access')
      .values({
        mailbox_id: firm,
        grantee_id: jonasId,
        kind: 'business',
        level: 'read',
        created_by_kind: 'citizen',
        created_by_id: annaId,
        created_at: new Date(),
      })
      .execute();
    const [jonasRead] = await accessOf(jonasId);
    const promoted = await post('/post/adgang/administratorer', { accessId: jonasRead?.id as string });
    assert.equal(promoted.status, 303);
    assert.deepEqual(
      (await accessOf(jonasId)).map((h) => h.level),
      ['owner'],
    );

    // By CPR number and name: Carl becomes one too; twice is a 409.
    const named = await post('/post/adgang/administratorer', { cpr: '050565-4444', name: 'Carl Clausen' });
    assert.equal(named.status, 303);
    assert.equal(named.headers.get('location'), '/post/adgang/administratorer?udfoert=added');
    assert.equal(
      await codeOf(
        addAdministrator(kuvert.services, anna, { mailboxId: firm, cpr: '0505654444', name: 'Carl Clausen' }),
      ),
      '409 already_administrator',
    );
    const page = await fetch(`${kuvert.url}/post/adgang/administratorer`, { headers: { cookie } });
    const html = await page.text();
    for (const name of ['Anna Jensen', 'Jonas Berg', 'Carl Clausen']) assert.ok(html.includes(name), name);

    // Carl removes Anna (the first), then Jonas; Carl, now the last, cannot remove himself.
    const carlActor = { ...carl, subject: 's-carl' };
    await removeAdministrator(kuvert.services, carlActor, { mailboxId: firm, accessId: annaAccess.id });
    const [jonasOwner] = await accessOf(jonasId);
    await removeAdministrator(kuvert.services, carlActor, { mailboxId: firm, accessId: jonasOwner?.id as string });
    const [carlOwner] = await accessOf(carl.recipientId);
    assert.equal(
      await codeOf(
        removeAdministrator(kuvert.services, carlActor, { mailboxId: firm, accessId: carlOwner?.id as string }),
      ),
      '409 last_business_administrator',
    );
    // Anna is no administrator any more: she can manage nothing.
    assert.equal(
      await codeOf(addAdministrator(kuvert.services, anna, { mailboxId: firm, cpr: ANNA_CPR, name: 'Anna Jensen' })),
      '403 access_management_forbidden',
    );
    const removals = await db
      .selectFrom('audit_event')
      .select('id')
      .where('mailbox_recipient_id', '=', firm)
      .where('action', '=', 'access.revoke')
      .execute();
    assert.equal(removals.length, 4, "Bo, Jonas's read access, Anna and Jonas: each audited");
  });
});
