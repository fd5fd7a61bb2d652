import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { personas } from '../src/modules/identity/personas.ts';
import { launchBrowser } from './support/browser.ts';
import { createPerson } from './support/fixtures.ts';
import { startTestKuvert, type TestKuvert } from './support/kuvert.ts';

const anna = personas.find((p) => p.name === 'Anna Jensen');
if (anna?.role !== 'citizen') throw new Error('the demo persona Anna Jensen is missing');

let kuvert: TestKuvert;
let browser: Browser;

before(async () => {
  kuvert = await startTestKuvert({ worker: false });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await kuvert?.stop();
});

test('without JavaScript, a citizen logs in and out of the demo login with visible buttons', {
  timeout: 60_000,
}, async () => {
  await createPerson(kuvert.services.db, anna.cpr, anna.name);
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${kuvert.url}/login?returnTo=%2Fpost`);
  await page.getByRole('button', { name: anna.name, exact: true }).click();
  await page.waitForURL(`${kuvert.url}/post`);

  await page.getByRole('button', { name: 'Log af' }).click();
  // The provider asks; its script would confirm at once, but without JavaScript the button does it.
  const confirm = page.getByRole('button', { name: /^Log ud/ });
  await confirm.click();
  await page.waitForURL(`${kuvert.url}/`);
  const cookies = await context.cookies();
  assert.equal(
    cookies.find((c) => c.name === 'kuvert_session'),
    undefined,
    'Kuvert session ended',
  );
  assert.equal(
    cookies.find((c) => c.name === 'kuvert_idp_session'),
    undefined,
    'provider session ended',
  );
  const mailbox = await page.request.get(`${kuvert.url}/post`, { maxRedirects: 0 });
  assert.equal(mailbox.status(), 303);
  await context.close();
});
