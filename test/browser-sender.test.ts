import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { personas } from '../src/modules/identity/personas.ts';
import { launchBrowser, scrollWidth } from './support/browser.ts';
import { createPerson, tinyPdf } from './support/fixtures.ts';
import { eventually, startTestKuvert, type TestKuvert } from './support/kuvert.ts';

const lars = personas.find((p) => p.name === 'Lars Andersen');
if (lars?.role !== 'sender_staff') throw new Error('the demo persona Lars Andersen is missing');

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

test('sender staff log in, compose a letter with a PDF, and see it in the list with its status', {
  timeout: 120_000,
}, async () => {
  const db = kuvert.services.db;
  const sender = await db
    .insertInto('sender')
    .values({ name: 'Skattestyrelsen', kind: 'state', cvr: '43554204' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('staff_user')
    .values({ subject: lars.subject, name: lars.name, role: 'sender_staff', sender_id: sender.id })
    .execute();
  const person = await createPerson(db, '0101901235', 'Bo Hansen');

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const cspViolations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) cspViolations.push(message.text());
  });

  await page.goto(kuvert.url);
  await page.getByRole('link', { name: 'Log ind som afsender' }).click();
  await page.getByRole('button', { name: lars.name, exact: true }).click();
  await page.waitForURL(`${kuvert.url}/afsender`);
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Breve fra Skattestyrelsen');
  assert.match((await page.textContent('main')) ?? '', /I har ikke sendt nogen breve endnu/);

  const portalNav = page.getByRole('navigation', { name: 'Afsenderportal' });
  await portalNav.getByRole('link', { name: 'Send et brev' }).click();
  await page.waitForURL(`${kuvert.url}/afsender/nyt-brev`);

  // First a mistake: the typed values survive, the message sits by the field.
  await page.getByLabel('Modtagerens CPR- eller CVR-nummer').fill('010190-123');
  await page.getByLabel('Emne').fill('Din forskudsopgørelse 2027');
  await page.getByRole('button', { name: 'Send brevet' }).click();
  await page.waitForLoadState();
  assert.match((await page.textContent('#recipient-error')) ?? '', /Skriv et CPR-nummer med 10 cifre/);
  assert.equal(await page.getByLabel('Emne').inputValue(), 'Din forskudsopgørelse 2027');

  await page.getByLabel('Modtagerens CPR- eller CVR-nummer').fill('010190-1235');
  await page.getByLabel('Jeres reference (valgfri)').fill('FO-2027-88');
  await page.getByLabel('Brevet som PDF').setInputFiles({
    name: 'forskudsopgoerelse.pdf',
    mimeType: 'application/pdf',
    buffer: tinyPdf,
  });
  await page.getByRole('button', { name: 'Send brevet' }).click();
  await page.waitForURL(/\/afsender\/breve\/[0-9a-f-]{36}\?sendt=1$/);
  const letterUrl = page.url();
  assert.doesNotMatch(letterUrl, /0101901235|010190/);
  assert.match((await page.getByRole('status').textContent()) ?? '', /Brevet er sendt/);
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Din forskudsopgørelse 2027');
  assert.match((await page.textContent('main')) ?? '', /forskudsopgoerelse\.pdf/);

  const id = /breve\/([0-9a-f-]{36})/.exec(letterUrl)?.[1] as string;
  const message = await eventually(async () =>
    db
      .selectFrom('message')
      .select(['recipient_id', 'available_at'])
      .where('id', '=', id)
      .where('available_at', 'is not', null)
      .executeTakeFirst(),
  );
  assert.equal(message.recipient_id, person.id, 'the letter went to the person the staff member named');

  await page.getByRole('link', { name: 'Tilbage til breve' }).click();
  await page.waitForURL(`${kuvert.url}/afsender`);
  const row = page.getByRole('row').filter({ hasText: 'Din forskudsopgørelse 2027' });
  assert.equal(await row.count(), 1);
  assert.match((await row.textContent()) ?? '', /FO-2027-88/);
  assert.match((await row.textContent()) ?? '', /Tilgængelig/);
  assert.doesNotMatch((await page.textContent('main')) ?? '', /Bo Hansen|0101901235|010190-1235/);

  // Small phones: nothing scrolls sideways at 360 px on any sender page.
  await page.setViewportSize({ width: 360, height: 740 });
  for (const path of [
    '/afsender',
    '/afsender/nyt-brev',
    `/afsender/breve/${id}`,
    '/afsender/masseforsendelser',
    '/afsender/webhooks',
  ]) {
    await page.goto(`${kuvert.url}${path}`);
    assert.ok((await scrollWidth(page)) <= 360, `${path} is ${await scrollWidth(page)} px wide`);
  }
  // With a webhook secret on the page, too.
  await page.getByLabel('URL').fill('https://esdh.skattestyrelsen.example.dk/kuvert/webhooks/digital-post');
  await page.getByRole('button', { name: 'Tilføj endpoint' }).click();
  await page.waitForLoadState();
  assert.match((await page.textContent('main')) ?? '', /whsec_/);
  assert.ok((await scrollWidth(page)) <= 360, `the webhooks page is ${await scrollWidth(page)} px wide`);

  assert.deepEqual(cspViolations, [], 'nothing on the pages is blocked by the Content Security Policy');
  await context.close();
});
