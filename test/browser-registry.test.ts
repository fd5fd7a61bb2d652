import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { birthDateFromCpr } from '../src/kernel/identifiers.ts';
import { personas } from '../src/modules/identity/personas.ts';
import { launchBrowser, openMenu, scrollWidth } from './support/browser.ts';
import { addDemoCaseworker, createSender } from './support/fixtures.ts';
import { startTestKuvert, type TestKuvert } from './support/kuvert.ts';

const anna = personas.find((p) => p.name === 'Anna Jensen');
const sofie = personas.find((p) => p.name === 'Sofie Madsen');
if (anna?.role !== 'citizen' || sofie?.role !== 'caseworker') throw new Error('the demo personas are missing');

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

test('a caseworker finds a citizen by CPR and exempts her; she sees it on /tilmelding; senders are told "print"', {
  timeout: 120_000,
}, async () => {
  const db = kuvert.services.db;
  await addDemoCaseworker(db);
  await db
    .insertInto('recipient')
    .values({
      kind: 'person',
      cpr: anna.cpr,
      name: anna.name,
      birth_date: birthDateFromCpr(anna.cpr),
      municipality_code: anna.municipalityCode,
    })
    .execute();

  // Everything works without JavaScript: the pages are plain HTML forms.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
  const page = await context.newPage();
  const urls: string[] = [];
  page.on('request', (request) => urls.push(request.url()));

  await page.goto(kuvert.url);
  await page.getByRole('link', { name: 'Log ind som sagsbehandler' }).click();
  await page.getByRole('button', { name: sofie.name, exact: true }).click();
  await page.waitForURL(`${kuvert.url}/borgerservice`);
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Borgerservice');

  await page.getByLabel('CPR-nummer').fill('150385-1234');
  await page.getByRole('button', { name: 'Søg' }).click();
  await page.waitForURL(/\/borgerservice\/personer\/[0-9a-f-]{36}$/);
  const personUrl = page.url();
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), anna.name);
  const main = (await page.locator('main').textContent()) ?? '';
  assert.match(main, /150385-\*\*\*\*/);
  assert.doesNotMatch(main, /1503851234|150385-1234/);

  // 360 px: nothing scrolls sideways on the back-office pages.
  await page.setViewportSize({ width: 360, height: 740 });
  assert.ok((await scrollWidth(page)) <= 360, `person page is ${await scrollWidth(page)} px wide`);
  await page.setViewportSize({ width: 1280, height: 900 });

  await page.getByLabel('Grund til fritagelse').selectOption('no_internet');
  // dkfds draws the box on the label, as people click it.
  await page.getByText('Send uåbnede breve fra de seneste 6 måneder som papirbreve').click();
  assert.equal(await page.getByLabel('Send uåbnede breve fra de seneste 6 måneder som papirbreve').isChecked(), true);
  await page.getByRole('button', { name: 'Registrér fritagelse' }).click();
  await page.waitForURL(`${personUrl}?udfoert=exempted`);
  assert.match((await page.getByRole('status').textContent()) ?? '', /Fritagelsen er registreret/);
  assert.match((await page.locator('.kuvert-person-status').textContent()) ?? '', /Fritaget for Digital Post/);
  const historyRow = page.getByRole('row').filter({ hasText: 'Fritaget: Ingen egnet internetadgang i hjemmet' });
  assert.equal(await historyRow.count(), 1);
  await page.setViewportSize({ width: 360, height: 740 });
  for (const path of ['/borgerservice', new URL(personUrl).pathname]) {
    await page.goto(`${kuvert.url}${path}`);
    assert.ok((await scrollWidth(page)) <= 360, `${path} is ${await scrollWidth(page)} px wide`);
  }
  await openMenu(page);
  await page.getByRole('button', { name: 'Log af' }).click();
  await page.waitForLoadState();
  await context.close();

  for (const url of urls) assert.ok(!url.includes(anna.cpr) && !url.includes('150385-1234'), `CPR in ${url}`);

  // The citizen logs in and sees that she is exempted, and on what ground.
  const citizenContext = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false });
  const citizen = await citizenContext.newPage();
  await citizen.goto(kuvert.url);
  await citizen.getByRole('link', { name: 'Log ind som borger' }).click();
  await citizen.getByRole('button', { name: anna.name, exact: true }).click();
  await citizen.waitForURL(`${kuvert.url}/post`);
  await openMenu(citizen);
  await citizen.getByRole('link', { name: 'Tilmelding' }).click();
  await citizen.waitForURL(`${kuvert.url}/tilmelding`);
  assert.match((await citizen.locator('.kuvert-enrolment-status').textContent()) ?? '', /Fritaget for Digital Post/);
  assert.equal(await citizen.locator('.kuvert-exemption-ground').textContent(), 'Ingen egnet internetadgang i hjemmet');
  const row = citizen.getByRole('row').filter({ hasText: 'Fritaget' });
  assert.match((await row.textContent()) ?? '', /Borgerservice, København/);
  assert.doesNotMatch((await citizen.locator('main').textContent()) ?? '', /Sofie Madsen/);
  assert.ok((await scrollWidth(citizen)) <= 360, `/tilmelding is ${await scrollWidth(citizen)} px wide`);
  assert.equal(await citizen.getByRole('button', { name: 'Tilmeld mig Digital Post' }).count(), 1);

  // And in English.
  await citizen.getByRole('link', { name: 'English' }).click();
  await citizen.waitForURL(`${kuvert.url}/tilmelding`);
  assert.match((await citizen.locator('.kuvert-enrolment-status').textContent()) ?? '', /Exempted from Digital Post/);
  assert.equal(await citizen.locator('.kuvert-exemption-ground').textContent(), 'No suitable internet access at home');
  await citizenContext.close();

  // A sender asking before sending is told the letter will go to print.
  const sender = await createSender(db, 'Skattestyrelsen');
  const response = await fetch(`${kuvert.url}/api/v1/recipients/reachability`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sender.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ recipients: [{ cpr: anna.cpr }] }),
  });
  assert.equal(response.status, 200);
  const { results } = (await response.json()) as { results: { channel: string; status: string }[] };
  assert.equal(results[0]?.channel, 'print');
  assert.equal(results[0]?.status, 'EXEMPT');
});
