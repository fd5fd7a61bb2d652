import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createEnrolledBusiness, inboxCall } from '../../../test/support/inbox.ts';
import { startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';
import { issueTestToken } from '../../../test/support/machine-login.ts';

let kuvert: TestKuvert;

before(async () => {
  kuvert = await startTestKuvert({ worker: false, env: { KUVERT_RATE_LIMIT_API: '2/min' } });
});
after(async () => {
  await kuvert?.stop();
});

test('a business’s system is held to the API limit per client, like a sender’s', async () => {
  const business = await createEnrolledBusiness(kuvert.services.db, '30000056', 'Lund & Co ApS');
  const one = (await issueTestToken(kuvert, { businessId: business, scopes: ['inbox:read'] })).accessToken;
  const other = (await issueTestToken(kuvert, { businessId: business, scopes: ['inbox:read'] })).accessToken;
  assert.equal((await inboxCall(kuvert, one, 'GET', '/api/v1/inbox/letters')).status, 200);
  assert.equal((await inboxCall(kuvert, one, 'GET', '/api/v1/inbox/letters')).status, 200);
  const limited = await inboxCall(kuvert, one, 'GET', '/api/v1/inbox/letters');
  assert.equal(limited.status, 429);
  assert.match(limited.headers.get('content-type') ?? '', /problem\+json/);
  assert.ok(limited.headers.get('retry-after'));
  // The bucket is the client's: another system of the same business is not held up.
  assert.equal((await inboxCall(kuvert, other, 'GET', '/api/v1/inbox/letters')).status, 200);
});
