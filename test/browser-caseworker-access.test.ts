import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { birthDateFromCpr } from '../src/kernel/identifiers.ts';
import { personas } from '../src/modules/identity/personas.ts';
import { launchBrowser, scrollWidth } from './support/browser.ts';
import { addDemoCaseworker } from './support/fixtures.ts';
import { startTestKuvert, type TestKuvert } from './support/kuvert.ts';

const anna = personas.find((p) => p.name === 'Anna Jensen');
const karen = personas.find((p) => p.name === 'Karen Holm');
const sofie = personas.find((p) => p.name === 'Sofie Madsen');
if (anna?.role !== 'citizen' || karen?.role !== 'citizen' || sofie?.role !== 'caseworker') {
  throw new Error('the demo personas are missing');
}

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

test('on a phone, a caseworker registers a power of attorney only with the right name, after confirming both people', {
  timeout: 120_000,
}, async () => {
  const db = kuvert.services.db;
  await addDemoCaseworker(db);
  const people = await db
    .insertInto('recipient')
    .values(
      [anna, karen].map((p) => ({
        kind: 'person' as const,
        cpr: p.cpr,
        name: p.name,
        birth_date: birthDateFromCpr(p.cpr),
        municipality_code: p.municipalityCode,
      })),
    )
    .returning(['id', 'name'])
    .execute();
  const annaId = people.find((p) => p.name === anna.name)?.id;
  const count = async () =>
    Number(
      (
        await db
          .selectFrom('mailbox_access')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('mailbox_id', '=', annaId as string)
          .executeTakeFirstOrThrow()
      ).n,
    );

  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(kuvert.url);
  await page.getByRole('link', { name: 'Log ind som sagsbehandler' }).click();
  // The caseworkers' entry offers the caseworkers only.
  assert.equal(await page.getByRole('button', { name: anna.name, exact: true }).count(), 0);
  await page.getByRole('button', { name: sofie.name, exact: true }).click();
  await page.waitForURL(`${kuvert.url}/borgerservice`);

  const accessUrl = `${kuvert.url}/borgerservice/personer/${annaId}/adgang`;
  await page.goto(accessUrl);
  await page.getByLabel('Fuldmagtshaverens CPR-nummer').fill('240944-1238');
  await page.getByLabel('Fuldmagtshaverens navn').fill('Karen Hansen');
  await page.getByText('Læse- og skriveadgang').first().click();
  await page.getByLabel('Dokumentreference', { exact: true }).fill('Fuldmagt J.nr. 2026-881');
  await page.getByLabel('Sidste dag med adgang (valgfrit)').fill('2027-12-31');
  await page.getByRole('button', { name: 'Registrér fuldmagt' }).click();

  // A wrong name: the error summary says so and links to the name field; what was typed is kept; nothing written.
  const summary = page.getByRole('alert').filter({ hasText: 'Der er en fejl i formularen' });
  assert.equal(await summary.count(), 1);
  const link = summary.getByRole('link', { name: 'Vi kan ikke finde en person med dette CPR-nummer og navn.' });
  assert.equal(await link.getAttribute('href'), '#poa-name');
  assert.equal(await page.getByLabel('Fuldmagtshaverens navn').inputValue(), 'Karen Hansen');
  assert.equal(await page.getByLabel('Fuldmagtshaverens navn').getAttribute('aria-invalid'), 'true');
  assert.ok((await scrollWidth(page)) <= 390, `the form is ${await scrollWidth(page)} px wide`);
  assert.equal(await count(), 0);

  // The right name: a confirmation naming both people and what is given; still nothing written.
  await page.getByLabel('Fuldmagtshaverens navn').fill('karen  holm');
  await page.getByRole('button', { name: 'Registrér fuldmagt' }).click();
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Bekræft fuldmagten');
  assert.equal(
    await page.locator('main .font-lead').textContent(),
    'Du giver Karen Holm adgang til Anna Jensens post (læse/skrive, til og med 31. december 2027).',
  );
  assert.ok((await scrollWidth(page)) <= 390, `the confirmation is ${await scrollWidth(page)} px wide`);
  assert.equal(await count(), 0);

  // Back: the form again, filled in; then confirm for real.
  await page.getByRole('button', { name: 'Tilbage' }).click();
  assert.equal(await page.getByLabel('Fuldmagtshaverens navn').inputValue(), 'karen  holm');
  assert.equal(await count(), 0);
  await page.getByRole('button', { name: 'Registrér fuldmagt' }).click();
  await page.getByRole('button', { name: 'Bekræft' }).click();
  await page.waitForURL(`${accessUrl}?udfoert=registered`);
  assert.match((await page.getByRole('status').textContent()) ?? '', /Adgangen er registreret/);
  const table = (await page.locator('table').textContent()) ?? '';
  assert.match(table, /Karen Holm/);
  assert.match(table, /Fuldmagt J\.nr\. 2026-881/);
  assert.equal(await count(), 1);
  await context.close();
});
