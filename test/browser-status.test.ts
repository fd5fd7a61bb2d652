import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { personas } from '../src/modules/identity/personas.ts';
import { runStatusChecks } from '../src/modules/status/run-status-checks.ts';
import { recordStatusSample } from '../src/modules/status/status.repository.ts';
import { expectNoAxeViolations } from './support/axe.ts';
import { launchBrowser, scrollWidth } from './support/browser.ts';
import { type StatusKuvert, startStatusKuvert } from './support/status.ts';

const ole = personas.find((p) => p.role === 'operator');
if (!ole) throw new Error('the demo operator persona is missing');

let kuvert: StatusKuvert;
let browser: Browser;

before(async () => {
  kuvert = await startStatusKuvert({ worker: false });
  browser = await launchBrowser();
  // As the seed does for the operator persona.
  await kuvert.services.db
    .insertInto('staff_user')
    .values({ subject: ole.subject, name: ole.name, role: 'operator' })
    .execute();
  // Some history: today checked, one check found e-mail degraded.
  const snapshot = await runStatusChecks(kuvert.services);
  await recordStatusSample(kuvert.services.db, snapshot);
  await recordStatusSample(kuvert.services.db, {
    ...snapshot,
    components: snapshot.components.map((c) => (c.id === 'email' ? { ...c, state: 'degraded' as const } : c)),
  });
});
after(async () => {
  await browser?.close();
  await kuvert?.stop();
});

async function narrow(page: Page, what: string) {
  await page.setViewportSize({ width: 360, height: 740 });
  assert.ok((await scrollWidth(page)) <= 360, `${what} is ${await scrollWidth(page)} px wide at 360 px`);
  await expectNoAxeViolations(page, `${what} at 360 px`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

test('the public status page (plain HTML, no scripts) works at 360 px, in Danish and English, and passes axe', {
  timeout: 300_000,
}, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: true });
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  await page.goto(kuvert.url);
  await page.getByRole('link', { name: 'Driftstatus' }).click();
  await page.waitForURL(`${kuvert.url}/drift`);
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Driftstatus');
  assert.equal(await page.locator('script').count(), 0, 'the page needs no JavaScript');
  assert.match((await page.locator('.kuvert-status-overall').textContent()) ?? '', /Alle dele af Kuvert kører normalt/);
  const email = page.locator('#component-email');
  assert.match((await email.getByRole('heading').textContent()) ?? '', /Advisering på e-mail\s*Kører normalt/);
  assert.match((await email.textContent()) ?? '', /50 % af målingerne de seneste 90 dage: kører normalt/);
  await email.getByText('Dage med forstyrrelser (1)').click();
  assert.equal(await email.getByRole('row').filter({ hasText: 'Nedsat funktion' }).count(), 1);
  assert.equal(await page.locator('#component-email .kuvert-status-day').count(), 90);
  await expectNoAxeViolations(page, '/drift');
  await narrow(page, '/drift');

  await page.getByRole('link', { name: 'English' }).click();
  await page.waitForURL(`${kuvert.url}/drift`);
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Service status');
  assert.match((await page.locator('#component-sending_api').textContent()) ?? '', /Sending API\s*Operational/);
  await expectNoAxeViolations(page, '/drift in English');
  await context.close();
});

test('an operator logs in from the front page, posts an incident and resolves it; every page passes axe', {
  timeout: 300_000,
}, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: true });
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  await page.goto(kuvert.url);
  await page.getByRole('link', { name: 'Log ind som driftsansvarlig' }).click();
  await page.getByRole('button', { name: ole.name, exact: true }).click();
  await page.waitForURL(`${kuvert.url}/drift/styring`);
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Driftsstyring');
  await expectNoAxeViolations(page, '/drift/styring');
  await narrow(page, '/drift/styring');

  // A mistake first: nothing is posted, the message says what to fix.
  const form = page.locator('form[action="/drift/styring/haendelser"]');
  await form.getByLabel('Overskrift').fill('Login virker ikke');
  await form.getByRole('button', { name: 'Meld hændelse' }).click();
  assert.match((await page.getByRole('alert').textContent()) ?? '', /Vælg mindst én berørt del/);
  assert.equal(
    await page.locator('form[action="/drift/styring/haendelser"]').getByLabel('Overskrift').inputValue(),
    'Login virker ikke',
  );
  await expectNoAxeViolations(page, '/drift/styring with an error');

  const again = page.locator('form[action="/drift/styring/haendelser"]');
  await again.getByText('Nedbrud').click();
  await again.getByText('Login', { exact: true }).click();
  await again.getByLabel('Besked til brugerne').fill('Vi kan ikke logge borgere ind lige nu.\nVi arbejder på det.');
  await again.getByRole('button', { name: 'Meld hændelse' }).click();
  await page.waitForURL(`${kuvert.url}/drift/styring?udfoert=incident_created`);
  assert.match((await page.getByRole('status').textContent()) ?? '', /Hændelsen er meldt/);
  await expectNoAxeViolations(page, '/drift/styring with an open incident');

  await page.getByRole('link', { name: 'Tilbage til driftstatus' }).click();
  await page.waitForURL(`${kuvert.url}/drift`);
  assert.match((await page.locator('.kuvert-status-overall').textContent()) ?? '', /Dele af Kuvert er nede/);
  assert.match((await page.locator('#component-login').getByRole('heading').textContent()) ?? '', /Login\s*Nede/);
  await expectNoAxeViolations(page, '/drift with an incident');
  await narrow(page, '/drift with an incident');

  await page.getByRole('link', { name: 'Login virker ikke' }).first().click();
  await page.waitForURL(/\/drift\/haendelser\/[0-9a-f-]{36}$/);
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Login virker ikke');
  assert.match((await page.locator('main').textContent()) ?? '', /Vi kan ikke logge borgere ind lige nu/);
  await expectNoAxeViolations(page, 'incident page');
  await narrow(page, 'incident page');

  await page.goto(`${kuvert.url}/drift/styring`);
  const update = page.locator('form[action$="/opdateringer"]');
  await update.getByLabel('Tilstand').selectOption('resolved');
  await update.getByLabel('Besked til brugerne').fill('Login virker igen.');
  await update.getByRole('button', { name: 'Send opdatering' }).click();
  await page.waitForURL(`${kuvert.url}/drift/styring?udfoert=incident_resolved`);
  assert.match((await page.locator('main').textContent()) ?? '', /Der er ingen åbne hændelser/);

  // Maintenance, with the default times the form suggests (tomorrow).
  const maintenance = page.locator('form[action="/drift/styring/vedligeholdelse"]');
  await maintenance.getByLabel('Overskrift').fill('Ny databaseserver');
  await maintenance.getByText('Digital postkasse').click();
  await maintenance.getByRole('button', { name: 'Planlæg' }).click();
  await page.waitForURL(`${kuvert.url}/drift/styring?udfoert=maintenance_scheduled`);
  assert.equal(await page.getByRole('button', { name: 'Aflys: Ny databaseserver' }).count(), 1);
  await expectNoAxeViolations(page, '/drift/styring with maintenance');

  await page.goto(`${kuvert.url}/drift`);
  assert.match((await page.locator('.kuvert-status-overall').textContent()) ?? '', /Alle dele af Kuvert kører normalt/);
  assert.match((await page.locator('main').textContent()) ?? '', /Planlagt vedligeholdelse[\s\S]*Ny databaseserver/);
  assert.match(
    (await page.locator('main').textContent()) ?? '',
    /Hændelser de seneste 14 dage[\s\S]*Login virker ikke/,
  );
  await expectNoAxeViolations(page, '/drift after the incident');
  await context.close();
});
