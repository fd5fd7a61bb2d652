import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createBusiness } from '../../../test/support/access.ts';
import { createPerson, createSender, letterBody } from '../../../test/support/fixtures.ts';
import { startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';
import { clientAssertion, newClientKey, requestToken, tokenForm } from '../../../test/support/machine-login.ts';
import { authoriseOnBehalf, listOnBehalf, revokeOnBehalf } from './on-behalf.ts';
import { registerSystemClient } from './system-clients.ts';

const CPR = '1503851234';
const AUTHORITY_CVR = '29190003';
const VENDOR_CVR = '29190011';
const OTHER_CVR = '29190038';
const CLI = { kind: 'cli' } as const;
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

let kuvert: TestKuvert;
let authority: { id: string };
let vendor: { id: string };
let other: { id: string };
let audience: string;

async function withCvr(name: string, cvr: string) {
  const sender = await createSender(kuvert.services.db, name);
  await kuvert.services.db.updateTable('sender').set({ cvr }).where('id', '=', sender.id).execute();
  return sender;
}

before(async () => {
  kuvert = await startTestKuvert({ worker: false, env: { KUVERT_RATE_LIMIT_OAUTH_TOKEN: '1000/min' } });
  authority = await withCvr('Fjordby Kommune', AUTHORITY_CVR);
  vendor = await withCvr('Kommunedata Systemer A/S', VENDOR_CVR);
  other = await withCvr('Anden Kommune', OTHER_CVR);
  await createPerson(kuvert.services.db, CPR, 'Anna Jensen');
  audience = `${kuvert.services.config.publicUrl}/oauth/token`;
});
after(async () => kuvert?.stop());

async function vendorClient(scopes = ['messages:send', 'messages:read']) {
  const key = await newClientKey();
  const id = await registerSystemClient(
    kuvert.services,
    { actorKind: 'system', actorId: 'test' },
    { name: 'Fagsystem', owner: { senderId: vendor.id }, keys: { jwks: { keys: [key.jwk] } }, scopes },
  );
  return { key, id };
}

async function token(client: { key: Awaited<ReturnType<typeof newClientKey>>; id: string }, extra = {}) {
  const form = { ...tokenForm(await clientAssertion(client.key, client.id, audience)), ...extra };
  return requestToken(kuvert.url, form);
}

async function send(bearer: string) {
  const response = await fetch(`${kuvert.url}/api/v1/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
    body: JSON.stringify(letterBody(CPR, { messageUuid: randomUUID() })),
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe('on-behalf authorisations (use cases)', () => {
  test('refuses bad input at its field and writes nothing', async () => {
    const db = kuvert.services.db;
    const cases: [Record<string, unknown>, string, string][] = [
      [{ vendorCvr: '123' }, 'on_behalf_vendor_invalid', 'vendorCvr'],
      [{ vendorCvr: '29190046' }, 'on_behalf_vendor_invalid', 'vendorCvr'], // valid CVR, no such sender
      [{ vendorCvr: AUTHORITY_CVR }, 'on_behalf_vendor_self', 'vendorCvr'],
      [{ scopes: [] }, 'on_behalf_scopes_invalid', 'scopes'],
      [{ scopes: ['inbox:read'] }, 'on_behalf_scopes_invalid', 'scopes'],
      [{ endsAt: inDays(-1) }, 'on_behalf_ends_at_invalid', 'endsAt'],
      [{ endsAt: inDays(5000) }, 'on_behalf_ends_at_invalid', 'endsAt'],
      [{ endsAt: '2027-02-30' }, 'on_behalf_ends_at_invalid', 'endsAt'],
    ];
    const before = await db.selectFrom('on_behalf_authorisation').select('id').execute();
    for (const [change, code, field] of cases) {
      const input = {
        authoritySenderId: authority.id,
        vendorCvr: VENDOR_CVR,
        scopes: ['messages:send'],
        endsAt: inDays(30),
        ...change,
      };
      await assert.rejects(authoriseOnBehalf(db, CLI, input as never), (e: any) => {
        assert.equal(e.code, code, JSON.stringify(change));
        assert.equal(e.field, field);
        return true;
      });
    }
    const afterRows = await db.selectFrom('on_behalf_authorisation').select('id').execute();
    assert.equal(afterRows.length, before.length);
  });

  test('gives and revokes, audited; another authority cannot revoke it; listed on both sides', async () => {
    const db = kuvert.services.db;
    const id = await authoriseOnBehalf(db, CLI, {
      authoritySenderId: other.id,
      vendorCvr: VENDOR_CVR,
      scopes: ['messages:read'],
      endsAt: inDays(10),
    });
    const given = await listOnBehalf(db, 'given', other.id);
    assert.equal(given[0]?.vendorName, 'Kommunedata Systemer A/S');
    assert.equal(given[0]?.active, true);
    assert.ok((await listOnBehalf(db, 'received', vendor.id)).some((a) => a.id === id));
    await assert.rejects(revokeOnBehalf(db, CLI, authority.id, id), { code: 'on_behalf_not_found' });
    await revokeOnBehalf(db, CLI, other.id, id);
    await assert.rejects(revokeOnBehalf(db, CLI, other.id, id), { code: 'on_behalf_not_found' });
    const audits = await db
      .selectFrom('audit_event')
      .select('action')
      .where('subject_id', '=', id)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audits.map((a) => a.action),
      ['on_behalf.authorise', 'on_behalf.revoke'],
    );
    assert.equal((await listOnBehalf(db, 'given', other.id))[0]?.active, false);
  });
});

describe('the token endpoint with on_behalf_of', () => {
  test('without an authorisation: invalid_grant; a malformed CVR: invalid_request', async () => {
    const client = await vendorClient();
    const none = await token(client, { on_behalf_of: OTHER_CVR });
    assert.equal(none.status, 400);
    assert.equal(none.body.error, 'invalid_grant');
    const bad = await token(client, { on_behalf_of: '1234' });
    assert.equal(bad.body.error, 'invalid_request');
    // A business's own system cannot act for an authority, whatever it holds.
    const businessId = await createBusiness(kuvert.services.db, '29190062', 'Virksomhed ApS');
    const key = await newClientKey();
    const id = await registerSystemClient(
      kuvert.services,
      { actorKind: 'system', actorId: 'test' },
      {
        name: 'Indbakke',
        owner: { businessRecipientId: businessId },
        keys: { jwks: { keys: [key.jwk] } },
        scopes: ['inbox:read'],
      },
    );
    const business = await token({ key, id }, { on_behalf_of: AUTHORITY_CVR });
    assert.equal(business.status, 400);
    assert.equal(business.body.error, 'invalid_request');
  });

  test('authorised: the token acts as the authority; the scopes are reduced or refused as the authorisation says', async () => {
    const db = kuvert.services.db;
    await authoriseOnBehalf(db, CLI, {
      authoritySenderId: authority.id,
      vendorCvr: VENDOR_CVR,
      scopes: ['messages:send'],
      endsAt: inDays(30),
    });
    const client = await vendorClient();
    const reduced = await token(client, { on_behalf_of: AUTHORITY_CVR });
    assert.equal(reduced.status, 200, JSON.stringify(reduced.body));
    assert.equal(reduced.body.scope, 'messages:send');
    const refused = await token(client, { on_behalf_of: AUTHORITY_CVR, scope: 'messages:send messages:read' });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error, 'invalid_scope');
    const onlyRead = await vendorClient(['messages:read']);
    const nothing = await token(onlyRead, { on_behalf_of: AUTHORITY_CVR });
    assert.equal(nothing.body.error, 'invalid_grant');

    const sent = await send(reduced.body.access_token);
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const message = await db
      .selectFrom('message')
      .select(['sender_id', 'technical_sender_client_id'])
      .where('id', '=', sent.body.id)
      .executeTakeFirstOrThrow();
    assert.equal(message.sender_id, authority.id);
    assert.equal(message.technical_sender_client_id, client.id);
    // The vendor's own token (no on_behalf_of) still sends as the vendor, with no technical sender.
    const own = await token(client, { scope: 'messages:send' });
    const mine = await send(own.body.access_token);
    const ownRow = await db
      .selectFrom('message')
      .select(['sender_id', 'technical_sender_client_id'])
      .where('id', '=', mine.body.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(ownRow, { sender_id: vendor.id, technical_sender_client_id: null });
  });

  test('expired or revoked: no token; revoked or ended while a token lives: its next call is 401', async () => {
    const db = kuvert.services.db;
    const third = await withCvr('Tredje Kommune', '29190054');
    const id = await authoriseOnBehalf(db, CLI, {
      authoritySenderId: third.id,
      vendorCvr: VENDOR_CVR,
      scopes: ['messages:send'],
      endsAt: inDays(30),
    });
    const client = await vendorClient(['messages:send']);
    const first = await token(client, { on_behalf_of: '29190054' });
    assert.equal(first.status, 200);
    assert.equal((await send(first.body.access_token)).status, 201);
    await revokeOnBehalf(db, CLI, third.id, id);
    const afterRevoke = await send(first.body.access_token);
    assert.equal(afterRevoke.status, 401);
    assert.equal(afterRevoke.body.code, 'invalid_access_token');
    assert.equal((await token(client, { on_behalf_of: '29190054' })).body.error, 'invalid_grant');

    // One that ends while its token lives (moved into the past here, as time would).
    await authoriseOnBehalf(db, CLI, {
      authoritySenderId: third.id,
      vendorCvr: VENDOR_CVR,
      scopes: ['messages:send'],
      endsAt: inDays(30),
    });
    const second = await token(client, { on_behalf_of: '29190054' });
    assert.equal((await send(second.body.access_token)).status, 201);
    await db
      .updateTable('on_behalf_authorisation')
      .set({ valid_from: new Date(Date.now() - 7_200_000), ends_at: new Date(Date.now() - 1000) })
      .where('authority_sender_id', '=', third.id)
      .where('revoked_at', 'is', null)
      .execute();
    assert.equal((await send(second.body.access_token)).status, 401);
    const expired = await token(client, { on_behalf_of: '29190054' });
    assert.equal(expired.status, 400);
    assert.equal(expired.body.error, 'invalid_grant');
  });
});
