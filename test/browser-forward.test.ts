import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createLogger } from '../src/logger.ts';
import { personas } from '../src/modules/identity/personas.ts';
import { seedDemoData } from '../src/seed.ts';
import { expectNoAxeViolations } from './support/axe.ts';
import { launchBrowser, scrollWidth } from './support/browser.ts';
import { startTestKuvert, type TestKuvert } from './support/kuvert.ts';

const annaP = personas.find((p) => p.name === 'Anna Jensen');
const karenP = personas.find((p) => p.name === 'Karen Holm');
if (annaP?.role !== 'citizen' || karenP?.role !== 'citizen') throw new Error('the demo personas are missing');

let kuvert: TestKuvert;
let browser: Browser;

before(async () => {
  kuvert = await startTestKuvert();
  await seedDemoData(kuvert.services, createLogger('warn'));
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await kuvert?.stop();
});

const urls: string[] = [];

/** A persona logged in through the demo identity provider, on a phone-sized screen (390 px). */
async function logIn(name: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  page.on('request', (request) => urls.push(request.url()));
  await page.goto(kuvert.url);
  await page.getByRole('link', { name: 'Log ind som borger' }).click();
  await page.getByRole('button', { name, exact: true }).click();
  await page.waitForURL(`${kuvert.url}/post`);
  return { context, page };
}

async function fitsAndPasses(page: Page, label: string) {
  assert.ok((await scrollWidth(page)) <= 390, `${label} is ${await scrollWidth(page)} px wide at 390 px`);
  await expectNoAxeViolations(page, `${label} at 390 px`);
}

test('Anna forwards a demo letter to Karen Holm at 390 px: the form, a wrong name, the confirmation naming Karen, and Karen finds it in her inbox', {
  timeout: 300_000,
}, async () => {
  const db = kuvert.services.db;
  const anna = await db.selectFrom('recipient').select('id').where('cpr', '=', annaP.cpr).executeTakeFirstOrThrow();
  // One of Anna's demo letters that is no legal notification (those must be opened first).
  const letter = await db
    .selectFrom('message')
    .select(['id', 'label'])
    .where('recipient_id', '=', anna.id)
    .where('available_at', 'is not', null)
    .where('legal_notification', '=', false)
    .where('recalled_at', 'is', null)
    .orderBy('available_at', 'desc')
    .executeTakeFirstOrThrow();

  const { context, page } = await logIn('Anna Jensen');
  await page.goto(`${kuvert.url}/post/${letter.id}/videresend`);
  await page.getByRole('heading', { level: 1, name: 'Videresend brev' }).waitFor();
  await fitsAndPasses(page, 'the forward form');

  // A name that does not belong to the CPR number: the error summary says so, and the form keeps what was typed.
  await page.getByLabel('Til en person').check();
  await page.getByLabel('CPR-nummer').fill(karenP.cpr);
  await page.getByLabel('Navn', { exact: true }).fill('Karen Jensen');
  await page.getByLabel('Besked (valgfri)').fill('Til orientering, Karen.');
  await page.getByRole('button', { name: 'Fortsæt' }).click();
  await page.getByText('Der er en fejl').waitFor();
  await page.getByRole('link', { name: 'Der er ingen person med dette CPR-nummer og dette navn.' }).waitFor();
  assert.equal(await page.getByLabel('Besked (valgfri)').inputValue(), 'Til orientering, Karen.');
  await fitsAndPasses(page, 'the forward form with an error');

  await page.getByLabel('Navn', { exact: true }).fill('Karen Holm');
  await page.getByRole('button', { name: 'Fortsæt' }).click();
  await page.getByText(`Du videresender »${letter.label}« til Karen Holm`).waitFor();
  await fitsAndPasses(page, 'the confirmation step');
  await page.getByRole('button', { name: 'Videresend', exact: true }).click();
  await page.getByText(`»${letter.label}« er videresendt til Karen Holm.`).waitFor();
  await fitsAndPasses(page, 'the receipt');

  // The CPR number went in form bodies only.
  assert.deepEqual(
    urls.filter((url) => url.includes(karenP.cpr) || url.includes(annaP.cpr)),
    [],
  );
  await context.close();

  const karen = await logIn('Karen Holm');
  const item = karen.page.getByRole('link', { name: letter.label }).first();
  await item.waitFor();
  await item.click();
  await karen.page.getByRole('heading', { level: 1, name: letter.label }).waitFor();
  assert.ok((await scrollWidth(karen.page)) <= 390);
  await karen.context.close();
});
