import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import { expectNoAxeViolations } from './support/axe.ts';
import { launchBrowser, scrollWidth } from './support/browser.ts';
import { api, citizen, senderStaff, sendLetter, type WebUser } from './support/correspondence.ts';
import { createSender, tinyPdf } from './support/fixtures.ts';
import { startTestKuvert, type TestKuvert } from './support/kuvert.ts';

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

/** A browser context logged in as `user` (its session cookie), at the given width. */
async function contextFor(user: WebUser, width: number, lang?: 'en'): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width, height: 800 } });
  const [name, value] = user.cookie.split('=') as [string, string];
  await context.addCookies([
    { name, value, url: kuvert.url },
    ...(lang ? [{ name: 'lang', value: lang, url: kuvert.url }] : []),
  ]);
  return context;
}

test('a citizen replies to a letter with an attachment, without JavaScript, at 360 px; every page passes axe', {
  timeout: 180_000,
}, async () => {
  const kk = await createSender(kuvert.services.db, 'Københavns Kommune');
  const anna = await citizen(kuvert, '1503851234', 'Anna Jensen');
  const letter = await sendLetter(kuvert, kk.apiKey, '1503851234', {
    label: 'Partshøring om tilbygning',
    replyAllowed: true,
    replyBy: new Date(Date.now() + 14 * 86_400_000).toISOString(),
  });
  await api(kuvert, kk.apiKey, 'POST', '/api/v1/contact-points', {
    name: 'Borgerservice',
    description: 'Pas, kørekort og flytning',
    maxAttachments: 2,
    maxTotalBytes: 5_000_000,
    allowedMediaTypes: ['application/pdf', 'image/jpeg'],
  });

  const context = await contextFor(anna, 360);
  const page = await context.newPage();
  // Every task works without JavaScript: none runs here.
  await page.route('**/*.js', (route) => route.abort());

  await page.goto(`${kuvert.url}/post/${letter.id}/svar`);
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Svar på brev');
  assert.ok((await scrollWidth(page)) <= 360, 'no sideways scrolling at 360 px');
  await expectNoAxeViolations(page, 'reply form');

  // A mistake first: a file type that is not accepted. The text stays; the error is by the field.
  await page.getByLabel('Besked').fill('Jeg har ingen indvendinger mod tilbygningen.');
  await page.getByLabel('Vedhæftede filer').setInputFiles({
    name: 'noter.zip',
    mimeType: 'application/zip',
    buffer: Buffer.from('PK\u0003\u0004zip'),
  });
  await page.getByRole('button', { name: 'Send svar' }).click();
  await page.waitForLoadState();
  assert.match(
    (await page.textContent('#attachments-error')) ?? '',
    /noter\.zip har en filtype, der ikke modtages her/,
  );
  assert.equal(await page.getByLabel('Besked').inputValue(), 'Jeg har ingen indvendinger mod tilbygningen.');
  await expectNoAxeViolations(page, 'reply form with an error');

  await page
    .getByLabel('Vedhæftede filer')
    .setInputFiles({ name: 'tegning.pdf', mimeType: 'application/pdf', buffer: tinyPdf });
  await page.getByRole('button', { name: 'Send svar' }).click();
  await page.waitForURL(/\/post\/sendt\/[0-9a-f-]{36}\?sendt=1$/);
  assert.match((await page.getByRole('status').textContent()) ?? '', /Din besked er sendt/);
  assert.match((await page.textContent('main')) ?? '', /tegning\.pdf/);
  assert.ok((await scrollWidth(page)) <= 360);
  await expectNoAxeViolations(page, 'sent item');

  await page.goto(`${kuvert.url}/post/sendt`);
  assert.match((await page.textContent('main')) ?? '', /Svar: Partshøring om tilbygning/);
  assert.ok((await scrollWidth(page)) <= 360);
  await expectNoAxeViolations(page, 'sent list');

  await page.goto(`${kuvert.url}/post/skriv`);
  await page.getByRole('link', { name: 'Borgerservice' }).click();
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Skriv til Borgerservice');
  // The click's navigation has its document once the heading is there, not yet its stylesheets: measure after load.
  await page.waitForLoadState('load');
  assert.ok((await scrollWidth(page)) <= 360);
  await expectNoAxeViolations(page, 'write form');
  await page.getByLabel('Emne').fill('Nyt pas');
  await page.getByLabel('Besked').fill('Hvornår kan jeg hente mit nye pas?');
  await page.getByRole('button', { name: 'Send besked' }).click();
  await page.waitForURL(/\/post\/sendt\/[0-9a-f-]{36}\?sendt=1$/);
  await context.close();

  // In English too.
  const en = await contextFor(anna, 1024, 'en');
  const enPage = await en.newPage();
  await enPage.goto(`${kuvert.url}/post/skriv`);
  assert.equal(await enPage.getByRole('heading', { level: 1 }).textContent(), 'Write to an authority');
  await expectNoAxeViolations(enPage, 'choose a contact point (English)');
  await enPage.goto(`${kuvert.url}/post/sendt`);
  assert.match((await enPage.textContent('main')) ?? '', /Written by/);
  await en.close();
});

test('sender staff manage contact points and acknowledge what recipients wrote; every page passes axe', {
  timeout: 180_000,
}, async () => {
  const skat = await createSender(kuvert.services.db, 'Skattestyrelsen');
  const karen = await citizen(kuvert, '2409441238', 'Karen Holm');
  const lars = await senderStaff(kuvert, skat.id, 'Lars Andersen');

  const context = await contextFor(lars, 360);
  const page = await context.newPage();
  await page.route('**/*.js', (route) => route.abort());
  await page.goto(`${kuvert.url}/afsender`);
  await page.getByRole('navigation', { name: 'Afsenderportal' }).getByRole('link', { name: 'Henvendelser' }).click();
  await page.waitForURL(`${kuvert.url}/afsender/henvendelser`);
  await expectNoAxeViolations(page, 'inbound list (empty)');
  await page.getByRole('link', { name: 'Kontaktpunkter' }).click();
  await page.getByRole('link', { name: 'Opret kontaktpunkt' }).click();
  await expectNoAxeViolations(page, 'new contact point');
  await page.getByLabel('Navn', { exact: true }).fill('Skat – spørgsmål om forskudsopgørelse');
  await page.getByLabel('Samlet størrelse i MB').fill('mange');
  await page.getByRole('button', { name: 'Gem kontaktpunkt' }).click();
  await page.waitForLoadState();
  assert.match((await page.textContent('#maxTotalMb-error')) ?? '', /Skriv den samlede størrelse i MB/);
  await expectNoAxeViolations(page, 'contact point form with an error');
  await page.getByLabel('Samlet størrelse i MB').fill('5');
  await page.getByRole('button', { name: 'Gem kontaktpunkt' }).click();
  await page.waitForURL(`${kuvert.url}/afsender/kontaktpunkter?gemt=1`);
  assert.ok((await scrollWidth(page)) <= 360);
  await expectNoAxeViolations(page, 'contact points');

  // Karen writes; Lars reads and acknowledges; Karen sees it received.
  const cp = await kuvert.services.db
    .selectFrom('contact_point')
    .select('id')
    .where('sender_id', '=', skat.id)
    .executeTakeFirstOrThrow();
  const karenContext = await contextFor(karen, 360);
  const karenPage = await karenContext.newPage();
  await karenPage.goto(`${kuvert.url}/post/skriv/${cp.id}`);
  await karenPage.getByLabel('Emne').fill('Ny pension');
  await karenPage.getByLabel('Besked').fill('Jeg får 8.000 kr. om måneden fra januar.');
  await karenPage.getByRole('button', { name: 'Send besked' }).click();
  await karenPage.waitForURL(/\/post\/sendt\//);
  const sentUrl = karenPage.url().replace('?sendt=1', '');

  await page.goto(`${kuvert.url}/afsender/henvendelser`);
  await expectNoAxeViolations(page, 'inbound list');
  await page.getByRole('link', { name: 'Ny pension' }).click();
  assert.match((await page.textContent('main')) ?? '', /Jeg får 8\.000 kr\. om måneden/);
  await expectNoAxeViolations(page, 'inbound message');
  await page.getByRole('button', { name: 'Kvittér for modtagelse' }).click();
  await page.waitForLoadState();
  assert.match((await page.textContent('main')) ?? '', /Kvitteret/);

  await karenPage.goto(sentUrl);
  assert.match((await karenPage.textContent('main')) ?? '', /Modtaget af myndigheden/);
  await expectNoAxeViolations(karenPage, 'sent item, acknowledged');
  await karenContext.close();
  await context.close();
});
