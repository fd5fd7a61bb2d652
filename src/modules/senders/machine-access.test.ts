import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { exportJWK, generateKeyPair } from 'jose';
import { getPage, postForm, senderStaff, visibleText, type WebUser } from '../../../test/support/correspondence.ts';
import { createSender } from '../../../test/support/fixtures.ts';
import { startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';
import { clientAssertion, requestToken, tokenForm } from '../../../test/support/machine-login.ts';

const AUTHORITY_CVR = '29190003';
const VENDOR_CVR = '29190011';
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

let kuvert: TestKuvert;
let authority: { id: string };
let vendor: { id: string };
let admin: WebUser;
let staff: WebUser;
let vendorAdmin: WebUser;

async function withCvr(name: string, cvr: string) {
  const sender = await createSender(kuvert.services.db, name);
  await kuvert.services.db.updateTable('sender').set({ cvr }).where('id', '=', sender.id).execute();
  return sender;
}

before(async () => {
  kuvert = await startTestKuvert({ worker: false, env: { KUVERT_RATE_LIMIT_OAUTH_TOKEN: '1000/min' } });
  authority = await withCvr('Fjordby Kommune', AUTHORITY_CVR);
  vendor = await withCvr('Kommunedata Systemer A/S', VENDOR_CVR);
  admin = await senderStaff(kuvert, authority.id, 'Anne Admin', 'admin');
  staff = await senderStaff(kuvert, authority.id, 'Bo Medarbejder', 'staff');
  vendorAdmin = await senderStaff(kuvert, vendor.id, 'Vera Leverandør', 'admin');
});
after(async () => kuvert?.stop());

const form = (fields: Record<string, string | string[]>) =>
  Object.entries(fields).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]])) as [
    string,
    string,
  ][];

describe('På vegne af (/afsender/paa-vegne-af)', () => {
  test('an administrator gives an authorisation; errors stay at their fields; the vendor sees it read-only', async () => {
    const bad = await postForm(
      kuvert,
      '/afsender/paa-vegne-af',
      admin,
      form({ vendorCvr: '29190046', scopes: ['messages:send'], endsAt: inDays(30) }),
    );
    assert.equal(bad.status, 400);
    assert.match(bad.text, /id="vendorCvr-error"/);
    assert.match(visibleText(bad.text), /Leverandøren skal være oprettet som afsender/);
    const past = await postForm(
      kuvert,
      '/afsender/paa-vegne-af',
      admin,
      form({ vendorCvr: VENDOR_CVR, scopes: ['messages:send'], endsAt: inDays(-2) }),
    );
    assert.equal(past.status, 400);
    assert.match(past.text, /id="endsAt-error"/);
    assert.match(past.text, new RegExp(`value="${VENDOR_CVR}"`), 'the form keeps what was typed');

    const given = await postForm(
      kuvert,
      '/afsender/paa-vegne-af',
      admin,
      form({ vendorCvr: VENDOR_CVR, scopes: ['messages:send', 'messages:read'], endsAt: inDays(30) }),
    );
    assert.equal(given.status, 303);
    const page = await getPage(kuvert, '/afsender/paa-vegne-af?udfoert=givet', admin);
    assert.equal(page.status, 200);
    assert.match(visibleText(page.text), /Kommunedata Systemer A\/S \(CVR 29190011\)/);
    assert.match(visibleText(page.text), /Fuldmagten er givet/);

    const vendorPage = await getPage(kuvert, '/afsender/paa-vegne-af', vendorAdmin);
    assert.equal(vendorPage.status, 200);
    assert.match(visibleText(vendorPage.text), /Myndigheder I må sende for/);
    assert.match(visibleText(vendorPage.text), /Fjordby Kommune \(CVR 29190003\)/);
    assert.doesNotMatch(vendorPage.text, /paa-vegne-af\/[0-9a-f-]{36}\/tilbagekald/, 'the vendor cannot revoke');

    const audit = await kuvert.services.db
      .selectFrom('audit_event')
      .select(['actor_kind', 'action'])
      .where('action', '=', 'on_behalf.authorise')
      .execute();
    assert.deepEqual(audit, [{ actor_kind: 'sender_staff', action: 'on_behalf.authorise' }]);
  });

  test('non-administrators get 403; another sender’s administrator cannot revoke (404); the admin revokes', async () => {
    const row = await kuvert.services.db
      .selectFrom('on_behalf_authorisation')
      .select('id')
      .where('authority_sender_id', '=', authority.id)
      .executeTakeFirstOrThrow();
    assert.equal((await getPage(kuvert, '/afsender/paa-vegne-af', staff)).status, 403);
    const staffPost = await postForm(
      kuvert,
      '/afsender/paa-vegne-af',
      staff,
      form({ vendorCvr: VENDOR_CVR, scopes: ['messages:send'], endsAt: inDays(30) }),
    );
    assert.equal(staffPost.status, 403);
    assert.equal((await postForm(kuvert, `/afsender/paa-vegne-af/${row.id}/tilbagekald`, staff, [])).status, 403);
    const other = await postForm(kuvert, `/afsender/paa-vegne-af/${row.id}/tilbagekald`, vendorAdmin, []);
    assert.equal(other.status, 404);
    const badCsrf = await postForm(kuvert, `/afsender/paa-vegne-af/${row.id}/tilbagekald`, { ...admin, csrf: 'x' }, []);
    assert.equal(badCsrf.status, 403);
    const still = await kuvert.services.db
      .selectFrom('on_behalf_authorisation')
      .select('revoked_at')
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
    assert.equal(still.revoked_at, null);
    const revoked = await postForm(kuvert, `/afsender/paa-vegne-af/${row.id}/tilbagekald`, admin, []);
    assert.equal(revoked.status, 303);
    const page = await getPage(kuvert, '/afsender/paa-vegne-af?udfoert=tilbagekaldt', admin);
    assert.match(visibleText(page.text), /Tilbagekaldt/);
  });

  test('the portal nav shows the administrators’ entries to administrators only', async () => {
    const adminPage = await getPage(kuvert, '/afsender', admin);
    for (const href of ['/afsender/systemer', '/afsender/paa-vegne-af', '/afsender/api-noegler']) {
      assert.match(adminPage.text, new RegExp(`href="${href}"`));
    }
    const staffPage = await getPage(kuvert, '/afsender', staff);
    assert.equal(staffPage.status, 200);
    for (const href of ['/afsender/systemer', '/afsender/paa-vegne-af', '/afsender/api-noegler']) {
      assert.doesNotMatch(staffPage.text, new RegExp(`href="${href}"`));
    }
    assert.match(staffPage.text, /href="\/afsender\/nyt-brev"/);
    // A page drawn after a form body was parsed (a refused webhook URL) knows the viewer too.
    const posted = await postForm(kuvert, '/afsender/webhooks', staff, [['url', 'not a url']]);
    assert.equal(posted.status, 400);
    assert.match(posted.text, /href="\/afsender\/webhooks"/);
    assert.doesNotMatch(posted.text, /href="\/afsender\/systemer"/);
  });
});

describe('Systemer (/afsender/systemer)', () => {
  test('register from a public JWKS; a private JWK is refused at its field; revoking stops the tokens', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const kid = 'k1';
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256' };
    const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'ES256' };

    const refused = await postForm(
      kuvert,
      '/afsender/systemer',
      admin,
      form({ name: 'Sagssystem', jwks: JSON.stringify({ keys: [privateJwk] }), scopes: ['messages:send'] }),
    );
    assert.equal(refused.status, 400);
    assert.match(refused.text, /id="jwks-error"/);
    assert.match(visibleText(refused.text), /privat eller hemmelig nøgle/);
    assert.match(refused.text, /value="Sagssystem"/);
    assert.doesNotMatch(refused.text, new RegExp(privateJwk.d as string), 'the private key is not echoed back');
    const notJson = await postForm(kuvert, '/afsender/systemer', admin, form({ name: 'X', jwks: '{nope' }));
    assert.equal(notJson.status, 400);
    assert.match(notJson.text, /id="jwks-error"/);
    assert.equal((await kuvert.services.db.selectFrom('system_client').select('id').execute()).length, 0);

    assert.equal((await getPage(kuvert, '/afsender/systemer', staff)).status, 403);
    const staffPost = await postForm(
      kuvert,
      '/afsender/systemer',
      staff,
      form({ name: 'S', jwks: JSON.stringify({ keys: [publicJwk] }), scopes: ['messages:send'] }),
    );
    assert.equal(staffPost.status, 403);

    const registered = await postForm(
      kuvert,
      '/afsender/systemer',
      admin,
      form({ name: 'Sagssystem', jwks: JSON.stringify({ keys: [publicJwk] }), scopes: ['messages:send'] }),
    );
    assert.equal(registered.status, 303);
    const id = new URL(registered.headers.get('location') as string, kuvert.url).searchParams.get('id') as string;
    const page = await getPage(kuvert, `/afsender/systemer?udfoert=registreret&id=${id}`, admin);
    assert.match(visibleText(page.text), new RegExp(`Dets klient-id er ${id}`));
    assert.match(page.text, /messages:send/);
    const client = await kuvert.services.db
      .selectFrom('system_client')
      .select(['sender_id', 'scopes'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(client, { sender_id: authority.id, scopes: ['messages:send'] });

    const audience = `${kuvert.services.config.publicUrl}/oauth/token`;
    const key = { privateKey, kid, alg: 'ES256' };
    const issued = await requestToken(kuvert.url, tokenForm(await clientAssertion(key, id, audience)));
    assert.equal(issued.status, 200);
    const call = () =>
      fetch(`${kuvert.url}/api/v1/events`, { headers: { authorization: `Bearer ${issued.body.access_token}` } });
    assert.equal((await call()).status, 403, 'messages:read not granted');

    assert.equal((await postForm(kuvert, `/afsender/systemer/${id}/tilbagekald`, vendorAdmin, [])).status, 404);
    assert.equal((await postForm(kuvert, `/afsender/systemer/${id}/tilbagekald`, staff, [])).status, 403);
    assert.equal((await postForm(kuvert, `/afsender/systemer/${id}/tilbagekald`, admin, [])).status, 303);
    assert.equal((await call()).status, 401, 'the token stops working');
    const again = await requestToken(kuvert.url, tokenForm(await clientAssertion(key, id, audience)));
    assert.equal(again.body.error, 'invalid_client');
    const audits = await kuvert.services.db
      .selectFrom('audit_event')
      .select(['action', 'actor_kind'])
      .where('subject_id', '=', id)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audits.filter((a) => a.action !== 'system_client.token_issued'),
      [
        { action: 'system_client.registered', actor_kind: 'sender_staff' },
        { action: 'system_client.revoked', actor_kind: 'sender_staff' },
      ],
    );
  });

  test('replacing keys: a private key is refused at that system’s field; a new public key works', async () => {
    const first = await generateKeyPair('ES256', { extractable: true });
    const jwk1 = { ...(await exportJWK(first.publicKey)), kid: 'a' };
    await postForm(
      kuvert,
      '/afsender/systemer',
      admin,
      form({ name: 'Andet system', jwks: JSON.stringify({ keys: [jwk1] }), scopes: ['messages:read'] }),
    );
    const row = await kuvert.services.db
      .selectFrom('system_client')
      .select('id')
      .where('name', '=', 'Andet system')
      .executeTakeFirstOrThrow();
    const second = await generateKeyPair('EdDSA', { extractable: true });
    const priv = { ...(await exportJWK(second.privateKey)), kid: 'b' };
    const refused = await postForm(kuvert, `/afsender/systemer/${row.id}/noegler`, admin, [
      ['jwks', JSON.stringify(priv)],
    ]);
    assert.equal(refused.status, 400);
    assert.match(refused.text, new RegExp(`id="jwks-${row.id}-error"`));
    const pub = { ...(await exportJWK(second.publicKey)), kid: 'b' };
    const replaced = await postForm(kuvert, `/afsender/systemer/${row.id}/noegler`, admin, [
      ['jwks', JSON.stringify({ keys: [pub] })],
    ]);
    assert.equal(replaced.status, 303);
    const audience = `${kuvert.services.config.publicUrl}/oauth/token`;
    const ok = await requestToken(
      kuvert.url,
      tokenForm(await clientAssertion({ privateKey: second.privateKey, kid: 'b', alg: 'EdDSA' }, row.id, audience)),
    );
    assert.equal(ok.status, 200);
    const old = await requestToken(
      kuvert.url,
      tokenForm(await clientAssertion({ privateKey: first.privateKey, kid: 'a', alg: 'ES256' }, row.id, audience)),
    );
    assert.equal(old.status, 401);
  });
});
