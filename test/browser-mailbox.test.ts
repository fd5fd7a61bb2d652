import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createSession } from '../src/modules/identity/session.ts';
import { expectNoAxeViolations } from './support/axe.ts';
import { launchBrowser, scrollWidth } from './support/browser.ts';
import { createPerson, createSender, letterBody } from './support/fixtures.ts';
import { sendAvailableLetter, startTestKuvert, type TestKuvert } from './support/kuvert.ts';

const CPR = '1503851234';

let kuvert: TestKuvert;
let browser: Browser;
let sender: Awaited<ReturnType<typeof createSender>>;
let sessionId: string;

const sendLetter = (overrides: Record<string, unknown>) => sendAvailableLetter(kuvert, sender.apiKey, CPR, overrides);

async function events(id: string): Promise<string[]> {
  const response = await fetch(`${kuvert.url}/api/v1/messages/${id}`, {
    headers: { authorization: `Bearer ${sender.apiKey}` },
  });
  return ((await response.json()) as { events: { type: string }[] }).events.map((e) => e.type);
}

async function newPage(width = 1280): Promise<{ context: BrowserContext; page: Page; csp: string[] }> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  await context.addCookies([{ name: 'kuvert_session', value: sessionId, url: kuvert.url }]);
  const page = await context.newPage();
  const csp: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) csp.push(message.text());
  });
  return { context, page, csp };
}

const b64 = (text: string) => Buffer.from(text).toString('base64');

before(async () => {
  kuvert = await startTestKuvert();
  browser = await launchBrowser();
  const anna = await createPerson(kuvert.services.db, CPR, 'Anna Jensen');
  sender = await createSender(kuvert.services.db, 'Region Midtjylland');
  ({ sessionId } = await createSession(
    kuvert.services.db,
    { kind: 'citizen', subject: 'demo-citizen-anna', name: 'Anna Jensen', recipientId: anna.id },
    null,
  ));
});
after(async () => {
  await browser?.close();
  await kuvert?.stop();
});

test('reading a letter with documents and actions: PDF, sanitised HTML, text, calendar, payment link, confirm', {
  timeout: 120_000,
}, async () => {
  const label = 'Indkaldelse til forundersøgelse';
  const id = await sendLetter({
    label,
    notification: 'Du er indkaldt',
    documents: [
      letterBody(CPR).documents[0],
      {
        title: 'Praktisk information',
        filename: 'info.html',
        mediaType: 'text/html',
        content: b64('<h2>Parkering</h2><p>Brug P-huset.</p><script>parent.document.body.remove()</script>'),
      },
      {
        title: 'Tjekliste',
        filename: 'tjekliste.txt',
        mediaType: 'text/plain',
        content: b64('1. Medbring medicinliste'),
      },
    ],
    actions: [
      {
        actionCode: 'AFTALE',
        label: 'Forundersøgelse',
        reservation: {
          description: 'Mød fastende',
          reservationUuid: randomUUID(),
          abstract: 'Forundersøgelse, Aarhus Universitetshospital',
          location: 'Palle Juul-Jensens Boulevard 99, Aarhus N',
          startDateTime: '2026-12-20T08:00:00Z',
          endDateTime: '2026-12-20T09:00:00Z',
        },
      },
      { actionCode: 'BETALING', label: 'Betal parkering', url: 'https://parkering.example.dk/betal' },
      { actionCode: 'BEKRAEFT', label: 'Bekræft at du kommer' },
    ],
  });
  const { context, page, csp } = await newPage();
  await page.goto(`${kuvert.url}/post`);
  const row = page.locator('li.kuvert-letter').filter({ hasText: label });
  assert.match((await row.textContent()) ?? '', /Ulæst/);
  await expectNoAxeViolations(page, 'the inbox with folders and search');

  await row.getByRole('link', { name: label }).click();
  await page.waitForURL(`${kuvert.url}/post/${id}`, { waitUntil: 'domcontentloaded' });
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), label);
  // The HTML document is sanitised and part of the page: it shows its text, and its script neither runs nor survives.
  await page.locator('.kuvert-html-letter').getByRole('heading', { name: 'Parkering' }).waitFor();
  assert.equal(await page.locator('.kuvert-html-letter script').count(), 0);
  assert.equal(await page.locator('iframe.kuvert-pdf').count(), 1);
  assert.match((await page.locator('pre.kuvert-text-document').textContent()) ?? '', /Medbring medicinliste/);
  assert.equal(await page.getByRole('link', { name: /Hent alle dokumenter/ }).count(), 1);
  assert.equal(
    await page.getByRole('link', { name: /Betal parkering/ }).getAttribute('href'),
    'https://parkering.example.dk/betal',
  );
  await expectNoAxeViolations(page, 'a letter with documents and actions');

  const ics = await page.request.get(
    new URL((await page.getByRole('link', { name: 'Føj til kalender' }).getAttribute('href')) as string, kuvert.url)
      .href,
  );
  assert.equal(ics.status(), 200);
  assert.match(await ics.text(), /DTSTART:20261220T080000Z/);

  await page.getByRole('button', { name: 'Bekræft at du kommer' }).click();
  await page.waitForURL(`${kuvert.url}/post/${id}?ok=action`, { waitUntil: 'domcontentloaded' });
  assert.match((await page.getByRole('status').allTextContents()).join(' '), /Afsenderen har fået besked/);
  assert.equal(await page.getByRole('button', { name: 'Bekræft at du kommer' }).count(), 0);
  assert.ok((await events(id)).includes('ACTION_COMPLETED'));
  await expectNoAxeViolations(page, 'a letter after confirming');

  // Small phones: nothing scrolls sideways.
  await page.setViewportSize({ width: 360, height: 740 });
  for (const path of ['/post', `/post/${id}`, '/post/mapper', '/post/soeg?q=forundersøgelse']) {
    await page.goto(`${kuvert.url}${path}`);
    assert.ok((await scrollWidth(page)) <= 360, `${path} is ${await scrollWidth(page)} px wide`);
  }
  assert.deepEqual(csp, [], 'nothing on the pages is blocked by the Content Security Policy');
  await context.close();
});

test('folders: create one, move a letter there, delete it to Trash and restore it, search, in Danish and English', {
  timeout: 120_000,
}, async () => {
  const label = 'Årsopgørelse for hjemmehjælp';
  const id = await sendLetter({ label });
  const { context, page, csp } = await newPage();
  await page.goto(`${kuvert.url}/post`);
  await page.getByRole('link', { name: 'Administrér mapper' }).click();
  await page.waitForURL(`${kuvert.url}/post/mapper`);
  await expectNoAxeViolations(page, 'the folders page');
  await page.getByLabel('Mappens navn').fill('Hjemmehjælp');
  await page.getByRole('button', { name: 'Opret mappe' }).click();
  await page.waitForURL(`${kuvert.url}/post/mapper?ok=folder_created`);
  assert.match((await page.getByRole('status').allTextContents()).join(' '), /Mappen er oprettet/);
  await expectNoAxeViolations(page, 'the folders page with a folder');

  await page.getByRole('link', { name: 'Indbakke' }).click();
  await page.getByRole('checkbox', { name: `Vælg ${label}` }).check();
  await page.getByLabel('Flyt til').selectOption({ label: 'Hjemmehjælp' });
  await page.getByRole('button', { name: 'Flyt', exact: true }).click();
  await page.waitForURL(`${kuvert.url}/post?ok=move`);
  assert.equal(await page.locator('li.kuvert-letter').filter({ hasText: label }).count(), 0, 'gone from the Inbox');
  await page.getByRole('navigation', { name: 'Postkassens mapper' }).getByRole('link', { name: 'Hjemmehjælp' }).click();
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Hjemmehjælp');
  assert.equal(await page.locator('li.kuvert-letter').filter({ hasText: label }).count(), 1);
  await expectNoAxeViolations(page, 'a folder of the owner’s own');

  await page.getByRole('link', { name: label }).click();
  await page.waitForURL(`${kuvert.url}/post/${id}`, { waitUntil: 'domcontentloaded' });
  await page.getByRole('button', { name: 'Slet', exact: true }).click();
  await page.waitForURL(`${kuvert.url}/post/${id}?ok=trash`, { waitUntil: 'domcontentloaded' });
  await page.getByRole('link', { name: 'Tilbage til Papirkurv' }).click();
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Papirkurv');
  await expectNoAxeViolations(page, 'Trash');
  await page.getByRole('checkbox', { name: `Vælg ${label}` }).check();
  await page.getByRole('button', { name: 'Gendan' }).click();
  await page.waitForURL(/ok=restore/);
  await page.goto(`${kuvert.url}/post`);
  await page.getByRole('navigation', { name: 'Postkassens mapper' }).getByRole('link', { name: 'Hjemmehjælp' }).click();
  assert.equal(await page.locator('li.kuvert-letter').filter({ hasText: label }).count(), 1, 'back where it was');

  await page.getByLabel('Søg i posten').fill('årsopgørelserne');
  await page.getByRole('button', { name: 'Søg', exact: true }).click();
  await page.waitForURL(/\/post\/soeg\?q=/);
  const hit = page.locator('li.kuvert-search-hit').filter({ hasText: label });
  assert.equal(await hit.count(), 1);
  assert.match((await hit.textContent()) ?? '', /Hjemmehjælp/, 'the result says which folder');
  await expectNoAxeViolations(page, 'search results');

  await page.getByRole('link', { name: 'English' }).click();
  await page.goto(`${kuvert.url}/post?mappe=arkiv`);
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Archive');
  assert.equal(await page.getByRole('link', { name: 'Manage folders' }).count(), 1);
  await expectNoAxeViolations(page, 'Archive in English');
  assert.deepEqual(csp, []);
  await context.close();
});

test('a legal notification: the recipient is told first and opens it with a button; the sender is told once', {
  timeout: 90_000,
}, async () => {
  const label = 'Afgørelse om tilbagebetaling';
  const id = await sendLetter({ label, legalNotification: true });
  const { context, page } = await newPage();
  await page.goto(`${kuvert.url}/post`);
  const row = page.locator('li.kuvert-letter').filter({ hasText: label });
  assert.match((await row.textContent()) ?? '', /Forkyndelse/);
  await row.getByRole('link', { name: label }).click();
  await page.waitForURL(`${kuvert.url}/post/${id}`, { waitUntil: 'domcontentloaded' });
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Dette brev er en forkyndelse');
  assert.equal(await page.locator('iframe').count(), 0, 'nothing of the letter is shown yet');
  await expectNoAxeViolations(page, 'the legal-notification notice');
  assert.ok(!(await events(id)).includes('LEGALLY_NOTIFIED'));

  await page.setViewportSize({ width: 360, height: 740 });
  assert.ok((await scrollWidth(page)) <= 360);
  await page.getByRole('button', { name: 'Åbn brevet' }).click();
  await page.waitForURL(`${kuvert.url}/post/${id}`, { waitUntil: 'domcontentloaded' });
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), label);
  await expectNoAxeViolations(page, 'the legal-notification letter, opened');
  await page.reload();
  const types = await events(id);
  assert.equal(types.filter((t) => t === 'LEGALLY_NOTIFIED').length, 1);
  assert.equal(types.filter((t) => t === 'READ').length, 1);
  await context.close();
});
