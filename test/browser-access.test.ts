import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { resolveMailboxAccess } from '../src/modules/access/mailbox-access.ts';
import { personas } from '../src/modules/identity/personas.ts';
import { recordRead } from '../src/modules/mailbox/record-read.ts';
import { createResident, deliverLetter } from './support/access.ts';
import { expectNoAxeViolations } from './support/axe.ts';
import { launchBrowser, scrollWidth } from './support/browser.ts';
import { addDemoCaseworker } from './support/fixtures.ts';
import { startTestKuvert, type TestKuvert } from './support/kuvert.ts';

const annaP = personas.find((p) => p.name === 'Anna Jensen');
const karenP = personas.find((p) => p.name === 'Karen Holm');
const sofieP = personas.find((p) => p.name === 'Sofie Madsen');
if (annaP?.role !== 'citizen' || karenP?.role !== 'citizen' || sofieP?.role !== 'caseworker') {
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

/** Pages of contexts without JavaScript: axe (which runs as a script) checks them in a twin context. */
const withoutJs = new WeakSet<Page>();

/**
 * Logs a persona in through the demo identity provider, in a browser context of its own; `javaScript: false` shows
 * the task works without it.
 */
async function logIn(
  kind: 'borger' | 'sagsbehandler',
  name: string,
  javaScript = true,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: javaScript });
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  if (!javaScript) withoutJs.add(page);
  page.on('request', (request) => urls.push(request.url()));
  await page.goto(kuvert.url);
  await page.getByRole('link', { name: `Log ind som ${kind}` }).click();
  await page.getByRole('button', { name, exact: true }).click();
  await page.waitForURL(kind === 'borger' ? `${kuvert.url}/post` : `${kuvert.url}/borgerservice`);
  return { context, page };
}

const urls: string[] = [];

/** axe at desktop width, and nothing scrolling sideways at 360 px (then axe again: the narrow layout differs). */
async function checkPage(page: Page, label: string) {
  let target = page;
  let twin: BrowserContext | null = null;
  if (withoutJs.has(page)) {
    // The same page (a GET) with the same session, in a context where axe can run.
    twin = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await twin.addCookies(await page.context().cookies());
    target = await twin.newPage();
    await target.goto(page.url());
  }
  await expectNoAxeViolations(target, label);
  await target.setViewportSize({ width: 360, height: 740 });
  assert.ok((await scrollWidth(target)) <= 360, `${label} is ${await scrollWidth(target)} px wide at 360 px`);
  await expectNoAxeViolations(target, `${label} at 360 px`);
  await target.setViewportSize({ width: 1280, height: 900 });
  await twin?.close();
}

test('Anna gives Karen read access; Karen opens Anna’s mailbox; Anna sees it and revokes; Karen loses access at once', {
  timeout: 240_000,
}, async () => {
  const db = kuvert.services.db;
  await addDemoCaseworker(db);
  const anna = await createResident(db, annaP.cpr, annaP.name, annaP.municipalityCode);
  const karen = await createResident(db, karenP.cpr, karenP.name, karenP.municipalityCode);
  const letterId = await deliverLetter(kuvert.services, { cpr: annaP.cpr }, 'Afgørelse om boligstøtte');

  // Anna gives Karen read access: CPR and name in the form body.
  const { context: annaContext, page: annaPage } = await logIn('borger', annaP.name);
  await annaPage.goto(`${kuvert.url}/post/adgang`);
  assert.equal(await annaPage.getByRole('heading', { level: 1 }).textContent(), 'Adgang til din post');
  await checkPage(annaPage, '/post/adgang (empty)');
  // A wrong name is refused with a message next to the field, and nothing is given.
  await annaPage.getByLabel('CPR-nummer').fill('240944-1238');
  await annaPage.getByLabel('Navn', { exact: true }).fill('Karen Hansen');
  await annaPage.getByRole('button', { name: 'Giv adgang' }).click();
  assert.match((await annaPage.getByRole('alert').textContent()) ?? '', /CPR-nummer og navn/);
  await checkPage(annaPage, '/post/adgang (error)');
  assert.equal(await resolveMailboxAccess(db, karen, anna.recipientId), null);

  await annaPage.getByLabel('Navn', { exact: true }).fill('Karen Holm');
  await annaPage.getByText('Læseadgang', { exact: true }).click();
  await annaPage.getByRole('button', { name: 'Giv adgang' }).click();
  await annaPage.waitForURL(`${kuvert.url}/post/adgang?udfoert=granted`);
  assert.match((await annaPage.getByRole('status').textContent()) ?? '', /Adgangen er givet/);
  const row = annaPage.getByRole('row').filter({ hasText: 'Karen Holm' });
  assert.match((await row.textContent()) ?? '', /Læseadgang/);
  await checkPage(annaPage, '/post/adgang (one grant)');

  // Karen switches to Anna's mailbox.
  const { context: karenContext, page: karenPage } = await logIn('borger', karenP.name, false);
  await karenPage.goto(`${kuvert.url}/post/postkasser`);
  assert.match((await karenPage.locator('main').textContent()) ?? '', /Karen Holm \(dig\)[\s\S]*Anna Jensen/);
  await checkPage(karenPage, '/post/postkasser');
  await karenPage.getByRole('button', { name: 'Åbn Anna Jensen' }).click();
  await karenPage.waitForURL(`${kuvert.url}/post`);
  const cookie = (await karenContext.cookies()).find((c) => c.name === 'kuvert_mailbox');
  assert.equal(cookie?.value, anna.recipientId);
  assert.equal(cookie?.httpOnly, true);
  assert.equal(cookie?.sameSite, 'Lax');
  await karenPage.goto(`${kuvert.url}/post/postkasser`);
  assert.match((await karenPage.locator('.kuvert-access-current').textContent()) ?? '', /Du ser nu: Anna Jensen/);
  // With read access she can see who gave it, but not manage Anna's access or see Anna's activity log.
  await karenPage.goto(`${kuvert.url}/post/adgang`);
  assert.match((await karenPage.locator('main').textContent()) ?? '', /Kun ejeren kan se og ændre/);
  assert.equal(await karenPage.getByRole('button', { name: 'Giv adgang' }).count(), 0);
  await checkPage(karenPage, '/post/adgang (as grantee)');
  const forbidden = await karenPage.goto(`${kuvert.url}/post/aktivitet`);
  assert.equal(forbidden?.status(), 403);

  // Karen reads the letter (as the mailbox pages record it); Anna's activity log shows who, with which access.
  const message = await db
    .selectFrom('message')
    .select(['id', 'sender_id', 'recipient_id', 'legal_notification'])
    .where('id', '=', letterId)
    .executeTakeFirstOrThrow();
  await db.transaction().execute((trx) => recordRead(trx, karen, message, 'message.open'));
  await annaPage.goto(`${kuvert.url}/post/aktivitet`);
  const opened = annaPage.getByRole('row').filter({ hasText: 'Åbnede brevet »Afgørelse om boligstøtte«' });
  assert.match((await opened.textContent()) ?? '', /Karen Holm \(læseadgang\)/);
  assert.equal(await annaPage.getByRole('row').filter({ hasText: 'Gav Karen Holm læseadgang' }).count(), 1);
  await checkPage(annaPage, '/post/aktivitet');

  // Anna revokes; Karen's very next request no longer opens Anna's mailbox.
  await annaPage.goto(`${kuvert.url}/post/adgang`);
  await annaPage.getByRole('button', { name: 'Tilbagekald adgangen for Karen Holm' }).click();
  await annaPage.waitForURL(`${kuvert.url}/post/adgang?udfoert=revoked`);
  assert.match((await annaPage.getByRole('status').textContent()) ?? '', /tilbagekaldt/);
  assert.equal(await annaPage.getByRole('row').filter({ hasText: 'Karen Holm' }).count(), 0);

  await karenPage.goto(`${kuvert.url}/post/postkasser`);
  const main = (await karenPage.locator('main').textContent()) ?? '';
  assert.match(main, /Du ser nu: Karen Holm/);
  assert.doesNotMatch(main, /Anna Jensen/);
  assert.equal(await resolveMailboxAccess(db, karen, anna.recipientId), null);
  const ownLog = await karenPage.goto(`${kuvert.url}/post/aktivitet`);
  assert.equal(ownLog?.status(), 200, 'Karen now sees her own activity log');
  assert.doesNotMatch((await karenPage.locator('main').textContent()) ?? '', /Afgørelse om boligstøtte/);

  // And in English.
  await annaPage.goto(`${kuvert.url}/post/adgang`);
  await annaPage.getByRole('link', { name: 'English' }).click();
  await annaPage.waitForURL(`${kuvert.url}/post/adgang`);
  assert.equal(await annaPage.getByRole('heading', { level: 1 }).textContent(), 'Access to your mail');
  await checkPage(annaPage, '/post/adgang (English)');
  await annaContext.close();
  await karenContext.close();

  for (const url of urls) assert.ok(!url.includes(annaP.cpr) && !url.includes(karenP.cpr), `CPR in ${url}`);
});

test('citizen service registers and ends a power of attorney; the citizen sees it in the activity log', {
  timeout: 180_000,
}, async () => {
  const db = kuvert.services.db;
  const { context, page } = await logIn('sagsbehandler', sofieP.name);
  await page.getByLabel('CPR-nummer').fill('150385-1234');
  await page.getByRole('button', { name: 'Søg' }).click();
  await page.waitForURL(/\/borgerservice\/personer\/[0-9a-f-]{36}$/);
  await page.getByRole('link', { name: 'Fuldmagter og forældreadgang' }).click();
  await page.waitForURL(/\/adgang$/);
  await checkPage(page, 'caseworker access page');

  // A missing document reference is refused with the message at the field.
  await page.getByLabel('Fuldmagtshaverens CPR-nummer').fill('240944-1238');
  await page.getByLabel('Fuldmagtshaverens navn').fill('Karen Holm');
  await page.getByRole('button', { name: 'Registrér fuldmagt' }).click();
  assert.match((await page.getByRole('alert').textContent()) ?? '', /dokumentreference/);
  await checkPage(page, 'caseworker access page (error)');

  await page.getByLabel('Dokumentreference', { exact: true }).fill('Fuldmagt J.nr. 2026-77');
  await page.locator('label[for="poa-level-read_write"]').click();
  await page.getByRole('button', { name: 'Registrér fuldmagt' }).click();
  // The confirmation step names both people before anything is written.
  assert.match((await page.locator('main').textContent()) ?? '', /Du giver Karen Holm adgang til Anna Jensens post/);
  await checkPage(page, 'caseworker confirmation page');
  await page.getByRole('button', { name: 'Bekræft' }).click();
  await page.waitForURL(/udfoert=registered$/);
  const row = page.getByRole('row').filter({ hasText: 'Karen Holm' });
  assert.match((await row.textContent()) ?? '', /Fuldmagt: Læse- og skriveadgang/);
  assert.match((await row.textContent()) ?? '', /J\.nr\. 2026-77/);
  await checkPage(page, 'caseworker access page (one power of attorney)');

  const anna = await db.selectFrom('recipient').select('id').where('cpr', '=', annaP.cpr).executeTakeFirstOrThrow();
  const karen = await db.selectFrom('recipient').select('id').where('cpr', '=', karenP.cpr).executeTakeFirstOrThrow();
  const karenActor = { kind: 'citizen' as const, subject: karenP.subject, name: karenP.name, recipientId: karen.id };
  assert.equal((await resolveMailboxAccess(db, karenActor, anna.id))?.via, 'power_of_attorney');

  await page.getByRole('button', { name: 'Ophæv adgangen for Karen Holm' }).click();
  await page.waitForURL(/udfoert=revoked$/);
  assert.equal(await resolveMailboxAccess(db, karenActor, anna.id), null);
  await context.close();

  const { context: annaContext, page: annaPage } = await logIn('borger', annaP.name);
  await annaPage.goto(`${kuvert.url}/post/aktivitet`);
  const registered = annaPage.getByRole('row').filter({ hasText: 'Registrerede fuldmagt for Karen Holm' });
  assert.match((await registered.textContent()) ?? '', /Borgerservice, København/);
  assert.doesNotMatch((await annaPage.locator('main').textContent()) ?? '', /Sofie Madsen/);
  await annaContext.close();
});
