import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';
import { requestToken } from '../../../test/support/machine-login.ts';

let kuvert: TestKuvert;
before(async () => {
  kuvert = await startTestKuvert({ worker: false, env: { KUVERT_RATE_LIMIT_OAUTH_TOKEN: '2/min' } });
});
after(async () => kuvert?.stop());

test('the token endpoint is rate limited per client address, refused requests included', async () => {
  const form = { grant_type: 'client_credentials' };
  assert.equal((await requestToken(kuvert.url, form)).status, 401);
  assert.equal((await requestToken(kuvert.url, form)).status, 401);
  const limited = await requestToken(kuvert.url, form);
  assert.equal(limited.status, 429);
  assert.equal(limited.body.code, 'rate_limited');
  assert.ok(Number(limited.headers.get('retry-after')) > 0);
});
