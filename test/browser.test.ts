import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { personas } from '../src/modules/identity/personas.ts';
import { expectNoAxeViolations } from './support/axe.ts';
import { launchBrowser, openMenu, scrollWidth } from './support/browser.ts';
import { createPerson, createSender, letterBody } from './support/fixtures.ts';
import { eventually, startTestKuvert, type TestKuvert } from './support/kuvert.ts';

const anna = personas.find((p) => p.name === 'Anna Jensen');
if (anna?.role !== 'citizen') throw new Error('the demo persona Anna Jensen is missing');

let kuvert: TestKuvert;
let browser: Browser;

before(async () => {
  kuvert = await startTestKuvert();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await kuvert?.stop();
});

test('a citizen logs in with the demo MitID, finds a new letter, reads it, and it is no longer unread', {
  timeout: 90_000,
}, async () => {
  const db = kuvert.services.db;
  await createPerson(db, anna.cpr, anna.name);
  const sender = await createSender(db, 'Frederiksberg Kommune');
  const label = 'Din nye parkeringslicens';
  const response = await fetch(`${kuvert.url}/api/v1/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sender.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(letterBody(anna.cpr, { label })),
  });
  assert.equal(response.status, 201);
  const { id } = (await response.json()) as { id: string };
  await eventually(
    async () =>
      (await db.selectFrom('message').select('available_at').where('id', '=', id).executeTakeFirst())?.available_at,
  );

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const cspViolations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) cspViolations.push(message.text());
  });

  await page.goto(kuvert.url);
  assert.equal(await page.getAttribute('html', 'lang'), 'da');
  await expectNoAxeViolations(page, 'the front page');
  await page.getByRole('link', { name: 'Log ind som borger' }).click();
  await page.getByRole('button', { name: anna.name, exact: true }).click();
  await page.waitForURL(`${kuvert.url}/post`);
  assert.match((await page.locator('header').textContent()) ?? '', /Anna Jensen/);

  const row = page.locator('li.kuvert-letter').filter({ hasText: label });
  assert.equal(await row.count(), 1);
  assert.match((await row.textContent()) ?? '', /Ulæst/);
  assert.match((await row.textContent()) ?? '', /Frederiksberg Kommune/);
  await expectNoAxeViolations(page, 'the inbox');

  // The design system's stylesheet applies (the header is laid out by dkfds, not browser defaults).
  const fontFamily = await page.evaluate<string>('getComputedStyle(document.body).fontFamily');
  assert.match(fontFamily, /IBM Plex Sans/);

  const documentLoaded = page.waitForResponse((r) => r.url().endsWith(`/post/${id}/dokumenter/0`));
  await row.getByRole('link', { name: label }).click();
  await page.waitForURL(`${kuvert.url}/post/${id}`);
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), label);
  await expectNoAxeViolations(page, 'a letter');

  const frame = page.locator('iframe.kuvert-pdf');
  assert.equal(await frame.count(), 1);
  const src = (await frame.getAttribute('src')) as string;
  const framed = await documentLoaded;
  assert.equal(framed.status(), 200, 'the iframe loads the PDF (same origin, allowed by CSP and X-Frame-Options)');
  const pdf = await page.request.get(new URL(src, kuvert.url).href);
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  assert.equal((await pdf.body()).subarray(0, 5).toString('latin1'), '%PDF-');
  assert.equal(await page.getByRole('link', { name: /Hent afgoerelse\.pdf/ }).count(), 1);

  await page.getByRole('link', { name: 'Tilbage til indbakken' }).click();
  await page.waitForURL(`${kuvert.url}/post`);
  const rowAfter = page.locator('li.kuvert-letter').filter({ hasText: label });
  assert.doesNotMatch((await rowAfter.textContent()) ?? '', /Ulæst/);

  // Small phones: nothing scrolls sideways at 360 px, on the inbox, the letter and the front page.
  await page.setViewportSize({ width: 360, height: 740 });
  for (const path of ['/post', `/post/${id}`, '/']) {
    await page.goto(`${kuvert.url}${path}`);
    assert.ok((await scrollWidth(page)) <= 360, `${path} is ${await scrollWidth(page)} px wide`);
  }

  // English is one click away and is remembered.
  await page.getByRole('link', { name: 'English' }).click();
  await page.waitForURL(`${kuvert.url}/`);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await page.goto(`${kuvert.url}/post`);
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Inbox');

  // Logging out ends the session: the mailbox sends you to the login again.
  await openMenu(page);
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForLoadState();
  const afterLogout = await page.request.get(`${kuvert.url}/post`, { maxRedirects: 0 });
  assert.equal(afterLogout.status(), 303);

  assert.deepEqual(cspViolations, [], 'nothing on the pages is blocked by the Content Security Policy');
  await context.close();
});
