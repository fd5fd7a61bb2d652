import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { authoriseOnBehalf, registerSystemClient } from '../src/modules/identity/index.ts';
import { memoXml, waitBatchFinished } from './support/batches.ts';
import { getPage, senderStaff, visibleText } from './support/correspondence.ts';
import { createPerson, createSender, letterBody } from './support/fixtures.ts';
import { eventually, startTestKuvert, type TestKuvert } from './support/kuvert.ts';
import { clientAssertion, newClientKey, requestToken, tokenForm } from './support/machine-login.ts';

/**
 * Sending on behalf of, across identity, messages, batches, events and the sender portal: a vendor's system gets a
 * token on behalf of an authority and sends a JSON letter, a MeMo letter and an NDJSON batch; every letter is the
 * authority's, records the vendor's system, and the authority's event feed and letter page show the vendor.
 */
const ANNA = '1503851234';
let kuvert: TestKuvert;

before(async () => {
  kuvert = await startTestKuvert({ env: { KUVERT_RATE_LIMIT_OAUTH_TOKEN: '1000/min' } });
});
after(async () => kuvert?.stop());

test('a vendor sends for an authority: sender = authority, technical sender recorded and shown everywhere', async () => {
  const db = kuvert.services.db;
  const authority = await createSender(db, 'Fjordby Kommune');
  const vendor = await createSender(db, 'Kommunedata Systemer A/S');
  await db.updateTable('sender').set({ cvr: '29190003' }).where('id', '=', authority.id).execute();
  await db.updateTable('sender').set({ cvr: '29190011' }).where('id', '=', vendor.id).execute();
  await createPerson(db, ANNA, 'Anna Jensen');
  await authoriseOnBehalf(
    db,
    { kind: 'cli' },
    {
      authoritySenderId: authority.id,
      vendorCvr: '29190011',
      scopes: ['messages:send', 'messages:read'],
      endsAt: new Date(Date.now() + 30 * 86_400_000),
    },
  );
  const key = await newClientKey();
  const clientId = await registerSystemClient(
    kuvert.services,
    { actorKind: 'system', actorId: 'test' },
    {
      name: 'Kommunedata Fagsystem',
      owner: { senderId: vendor.id },
      keys: { jwks: { keys: [key.jwk] } },
      scopes: ['messages:send', 'messages:read'],
    },
  );
  const audience = `${kuvert.services.config.publicUrl}/oauth/token`;
  const issued = await requestToken(kuvert.url, {
    ...tokenForm(await clientAssertion(key, clientId, audience)),
    on_behalf_of: '29190003',
  });
  assert.equal(issued.status, 200, JSON.stringify(issued.body));
  const bearer = { authorization: `Bearer ${issued.body.access_token}` };

  const json = await fetch(`${kuvert.url}/api/v1/messages`, {
    method: 'POST',
    headers: { ...bearer, 'content-type': 'application/json' },
    body: JSON.stringify(letterBody(ANNA, { messageUuid: randomUUID() })),
  });
  assert.equal(json.status, 201);
  const jsonId = ((await json.json()) as { id: string }).id;
  const memo = await fetch(`${kuvert.url}/api/v1/messages`, {
    method: 'POST',
    headers: { ...bearer, 'content-type': 'application/vnd.memo+xml' },
    body: memoXml(randomUUID(), ANNA),
  });
  assert.equal(memo.status, 201, await memo.clone().text());
  const line = () => JSON.stringify({ messageUuid: randomUUID(), ...letterBody(ANNA) });
  const batch = await fetch(`${kuvert.url}/api/v1/batches`, {
    method: 'POST',
    headers: { ...bearer, 'content-type': 'application/x-ndjson' },
    body: `${line()}\n${line()}\n`,
  });
  assert.equal(batch.status, 202);
  const batchId = ((await batch.json()) as { id: string }).id;
  await waitBatchFinished({ url: kuvert.url } as never, authority.apiKey, batchId);

  const letters = await db
    .selectFrom('message')
    .select(['sender_id', 'technical_sender_client_id'])
    .where('technical_sender_client_id', 'is not', null)
    .execute();
  assert.equal(letters.length, 4, 'JSON, MeMo and both batch letters record the vendor’s system');
  assert.ok(letters.every((l) => l.sender_id === authority.id && l.technical_sender_client_id === clientId));
  const batchRow = await db
    .selectFrom('batch')
    .select(['sender_id', 'system_client_id', 'on_behalf', 'api_key_id'])
    .where('id', '=', batchId)
    .executeTakeFirstOrThrow();
  assert.deepEqual(batchRow, {
    sender_id: authority.id,
    system_client_id: clientId,
    on_behalf: true,
    api_key_id: null,
  });
  const chunkAudits = await db
    .selectFrom('audit_event')
    .select(['actor_kind', 'actor_id'])
    .where('subject_id', '=', batchId)
    .execute();
  assert.ok(chunkAudits.length >= 2);
  assert.ok(chunkAudits.every((a) => a.actor_kind === 'system_client' && a.actor_id === clientId));

  // The authority's feed (read with its own API key): every event of these letters names the vendor.
  const events = await eventually(async () => {
    const response = await fetch(`${kuvert.url}/api/v1/events?limit=100`, {
      headers: { authorization: `Bearer ${authority.apiKey}` },
    });
    const body = (await response.json()) as { events: { type: string; technicalSender?: unknown }[] };
    return body.events.filter((e) => e.type === 'RECEIVED').length >= 4 ? body.events : null;
  }, 30_000);
  assert.ok(events.length >= 4);
  for (const event of events) {
    assert.deepEqual(event.technicalSender, { cvr: '29190011', name: 'Kommunedata Systemer A/S', clientId });
  }

  // A letter the authority sends itself carries no technical sender.
  const own = await fetch(`${kuvert.url}/api/v1/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${authority.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(letterBody(ANNA, { messageUuid: randomUUID() })),
  });
  const ownId = ((await own.json()) as { id: string }).id;
  const ownEvents = await eventually(async () => {
    const response = await fetch(`${kuvert.url}/api/v1/events?limit=200`, {
      headers: { authorization: `Bearer ${authority.apiKey}` },
    });
    const body = (await response.json()) as { events: { messageId: string; technicalSender?: unknown }[] };
    const mine = body.events.filter((e) => e.messageId === ownId);
    return mine.length > 0 ? mine : null;
  }, 30_000);
  assert.ok(ownEvents.every((e) => e.technicalSender === undefined));

  // The authority's letter page says who sent it.
  const admin = await senderStaff(kuvert, authority.id, 'Anne Admin');
  const page = await getPage(kuvert, `/afsender/breve/${jsonId}`, admin);
  assert.equal(page.status, 200);
  assert.match(
    visibleText(page.text),
    /Sendt af leverandør Kommunedata Systemer A\/S \(CVR 29190011\) på jeres vegne, fra systemet Kommunedata Fagsystem/,
  );
  const ownPage = await getPage(kuvert, `/afsender/breve/${ownId}`, admin);
  assert.doesNotMatch(visibleText(ownPage.text), /Sendt af leverandør/);
});
