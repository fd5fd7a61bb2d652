import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createSession } from '../src/modules/identity/session.ts';
import { expectNoAxeViolations } from './support/axe.ts';
import { launchBrowser, scrollWidth } from './support/browser.ts';
import { createPerson, createSender, letterBody } from './support/fixtures.ts';
import { sendAvailableLetter, startTestKuvert, type TestKuvert } from './support/kuvert.ts';

// The phone-first inbox (issue 16): compact rows that are links, cues, select-all and the action bar without
// JavaScript, sorting and the sender filter, one current menu item, the mailbox menu on every mailbox page.

const CPR = '1503851234';

let kuvert: TestKuvert;
let browser: Browser;
let sessionId: string;
let region: Awaited<ReturnType<typeof createSender>>;
let kommune: Awaited<ReturnType<typeof createSender>>;
const b64 = (text: string) => Buffer.from(text).toString('base64');

async function newPage(
  width: number,
  options: { javaScriptEnabled?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width, height: 800 }, ...options });
  await context.addCookies([{ name: 'kuvert_session', value: sessionId, url: kuvert.url }]);
  return { context, page: await context.newPage() };
}

const labelsOnPage = (page: Page) => page.locator('li.kuvert-letter .kuvert-letter-subject').allTextContents();

before(async () => {
  kuvert = await startTestKuvert();
  browser = await launchBrowser();
  const anna = await createPerson(kuvert.services.db, CPR, 'Anna Jensen');
  region = await createSender(kuvert.services.db, 'Region Hovedstaden');
  kommune = await createSender(kuvert.services.db, 'Københavns Kommune');
  ({ sessionId } = await createSession(
    kuvert.services.db,
    { kind: 'citizen', subject: 'demo-citizen-anna', name: 'Anna Jensen', recipientId: anna.id },
    null,
  ));
  // 24 letters as a lived-in mailbox has them: long subjects, notifications, attachments, an appointment, a letter
  // to act on and a legal notification.
  for (let i = 0; i < 24; i++) {
    const from = i % 3 === 0 ? region : kommune;
    const overrides: Record<string, unknown> = {
      label: `Brev nummer ${i + 1} om en sag med en ret lang overskrift, som ikke kan stå på én linje på en telefon`,
    };
    if (i % 2 === 0) overrides.notification = `Advisering ${i + 1}: du har fået et brev om din sag hos os`;
    if (i % 4 === 1) {
      overrides.documents = [
        letterBody(CPR).documents[0],
        { title: 'Bilag', filename: 'bilag.txt', mediaType: 'text/plain', content: b64('Bilag') },
      ];
    }
    if (i === 22) {
      overrides.actions = [
        {
          actionCode: 'AFTALE',
          label: 'Samtale',
          reservation: {
            description: 'Samtale',
            reservationUuid: randomUUID(),
            abstract: 'Samtale om din sag',
            location: 'Rådhuspladsen 1',
            startDateTime: '2027-01-20T08:00:00Z',
            endDateTime: '2027-01-20T09:00:00Z',
          },
        },
      ];
    }
    if (i === 21) overrides.actions = [{ actionCode: 'BEKRAEFT', label: 'Bekræft at du kommer' }];
    if (i === 20) overrides.legalNotification = true;
    await sendAvailableLetter(kuvert, from.apiKey, CPR, overrides);
  }
});
after(async () => {
  await browser?.close();
  await kuvert?.stop();
});

test('at 390 px a page of 20 letters is at most 2,500 px tall, each letter a compact row that is one link, with cues', {
  timeout: 120_000,
}, async () => {
  const { context, page } = await newPage(390);
  await page.goto(`${kuvert.url}/post`);
  const rows = page.locator('li.kuvert-letter');
  assert.equal(await rows.count(), 20);
  const height = await page.evaluate<number>('document.documentElement.scrollHeight');
  assert.ok(height <= 2500, `the inbox is ${height} px tall at 390 px`);
  assert.ok((await scrollWidth(page)) <= 390);

  for (let i = 0; i < 20; i++) {
    const row = rows.nth(i);
    const links = row.getByRole('link');
    assert.equal(await links.count(), 1, 'one link per row');
    const rowBox = await row.boundingBox();
    const linkBox = await links.first().boundingBox();
    assert.ok(rowBox && linkBox);
    assert.ok(rowBox.height <= 110, `row ${i} is ${rowBox.height} px tall`);
    // The link is the whole row but its checkbox: all of its height and most of its width.
    assert.ok(linkBox.height >= rowBox.height - 2, `row ${i}: the link is ${linkBox.height} of ${rowBox.height} px`);
    assert.ok(linkBox.width >= rowBox.width - 60, `row ${i}: the link is ${linkBox.width} of ${rowBox.width} px`);
  }

  // The newest letter: unread (in words too); a letter's preview line is its notification, else its documents.
  const newest = rows.first();
  assert.match((await newest.textContent()) ?? '', /Ulæst/);
  assert.equal(await newest.locator('.kuvert-letter-preview').textContent(), 'Afgørelse');
  assert.equal(
    await rows.nth(1).locator('.kuvert-letter-preview').textContent(),
    'Advisering 23: du har fået et brev om din sag hos os',
  );
  const legal = rows.filter({ hasText: 'Brev nummer 21 ' });
  assert.match((await legal.textContent()) ?? '', /Forkyndelse/);
  const action = rows.filter({ hasText: 'Brev nummer 22 ' });
  assert.equal(await action.getByTitle('Kræver handling').count(), 1);
  assert.equal(await action.getByTitle('Vedhæftede filer').count(), 1);
  const appointment = rows.filter({ hasText: 'Brev nummer 23 ' });
  assert.equal(await appointment.getByTitle('Aftale').count(), 1);
  assert.equal(await appointment.getByTitle('Vedhæftede filer').count(), 0);
  for (const cue of await page.locator('.kuvert-cue .icon-svg').all()) {
    const box = await cue.boundingBox();
    assert.ok(box && box.width > 0 && box.height > 0, 'cue icons are drawn');
  }
  await expectNoAxeViolations(page, 'the inbox at 390 px');

  // The header menu is folded away on a phone, and opens without JavaScript (a disclosure).
  const mainNav = page.getByRole('navigation', { name: 'Hovedmenu' });
  assert.equal(await mainNav.isVisible(), false);
  await page.locator('details.kuvert-menu > summary').click();
  assert.equal(await mainNav.isVisible(), true);

  await newest.getByRole('link').click();
  await page.waitForURL(/\/post\/[0-9a-f-]{36}$/, { waitUntil: 'domcontentloaded' });
  await context.close();

  // On a wide screen it is a list, not a data table, and the menu is shown.
  const wide = await newPage(1280);
  await wide.page.goto(`${kuvert.url}/post`);
  assert.equal(await wide.page.locator('main table').count(), 0);
  assert.equal(await wide.page.getByRole('list', { name: 'Breve' }).count(), 1);
  assert.equal(await wide.page.getByRole('navigation', { name: 'Hovedmenu' }).isVisible(), true);
  await expectNoAxeViolations(wide.page, 'the inbox at 1280 px');
  await wide.context.close();
});

test('without JavaScript: select all, the action bar at the top, and moving every letter of the page', {
  timeout: 120_000,
}, async () => {
  const { context, page } = await newPage(390, { javaScriptEnabled: false });
  await page.goto(`${kuvert.url}/post?sorter=aeldste`);
  const bar = page.locator('.kuvert-bulk');
  assert.equal(await bar.isVisible(), false, 'no action bar before a letter is ticked');
  await page.locator('li.kuvert-letter').first().getByRole('checkbox').check();
  assert.equal(await bar.isVisible(), true, 'ticking a letter shows the action bar');
  const barBox = await bar.boundingBox();
  const listBox = await page.locator('ul.kuvert-letters').boundingBox();
  assert.ok(barBox && listBox && barBox.y < listBox.y, 'the action bar is above the list');

  await page.getByRole('link', { name: 'Vælg alle' }).click();
  await page.waitForURL(/vaelg=alle/);
  const boxes = page.locator('li.kuvert-letter').getByRole('checkbox');
  assert.equal(await boxes.count(), 20);
  for (const box of await boxes.all()) assert.equal(await box.isChecked(), true);
  assert.equal(await bar.isVisible(), true);
  const oldest = await labelsOnPage(page);
  await page.getByLabel('Flyt til').selectOption({ label: 'Arkiv' });
  await page.getByRole('button', { name: 'Flyt', exact: true }).click();
  await page.waitForURL(/ok=move/);
  assert.match((await page.getByRole('status').allTextContents()).join(' '), /flyttet/i);
  // The move kept the order the page was in; the Inbox holds the 4 newest now, the Archive the 20 oldest.
  assert.match(page.url(), /sorter=aeldste/);
  assert.equal(await page.locator('li.kuvert-letter').count(), 4);
  await page.goto(`${kuvert.url}/post?mappe=arkiv&sorter=aeldste`);
  assert.deepEqual(await labelsOnPage(page), oldest);

  // Back again, so the other tests see a full Inbox.
  await page.goto(`${kuvert.url}/post?mappe=arkiv&vaelg=alle`);
  await page.getByLabel('Flyt til').selectOption({ label: 'Indbakke' });
  await page.getByRole('button', { name: 'Flyt', exact: true }).click();
  await page.waitForURL(/ok=move/);
  assert.equal(await page.locator('li.kuvert-letter').count(), 0);
  await context.close();
});

test('sorting by date or sender and showing one sender’s letters, in the address; bad values are ignored', {
  timeout: 120_000,
}, async () => {
  const { context, page } = await newPage(1280);
  await page.goto(`${kuvert.url}/post`);
  const newestFirst = await labelsOnPage(page);
  assert.match(newestFirst[0] ?? '', /Brev nummer 24 /);

  await page.getByText('Sortér og filtrér').click();
  await page.getByLabel('Sortér').selectOption({ label: 'Ældste først' });
  await page.getByRole('button', { name: 'Vis', exact: true }).click();
  await page.waitForURL(/sorter=aeldste/);
  assert.match((await labelsOnPage(page))[0] ?? '', /Brev nummer 1 /);

  await page.getByLabel('Sortér').selectOption({ label: 'Afsender (A–Å)' });
  await page.getByRole('button', { name: 'Vis', exact: true }).click();
  await page.waitForURL(/sorter=afsender/);
  const senders = await page.locator('li.kuvert-letter .kuvert-letter-sender').allTextContents();
  const names = senders.map((s) => (/Københavns Kommune/.test(s) ? 'K' : 'R'));
  assert.deepEqual(names, [...names].sort(), 'Københavns Kommune before Region Hovedstaden');
  // The next page ("Næste side": not "older" in another order) goes on in the same order, without repeats.
  const first = await labelsOnPage(page);
  await page.getByRole('link', { name: 'Næste side' }).click();
  await page.waitForURL(/before=/);
  assert.match(page.url(), /sorter=afsender/);
  const second = await labelsOnPage(page);
  assert.equal(second.length, 4);
  assert.equal(new Set([...first, ...second]).size, 24);

  await page.goto(`${kuvert.url}/post`);
  await page.getByText('Sortér og filtrér').click();
  await page.getByLabel('Afsender', { exact: true }).selectOption({ label: 'Region Hovedstaden' });
  await page.getByRole('button', { name: 'Vis', exact: true }).click();
  await page.waitForURL(/afsender=/);
  const fromRegion = page.locator('li.kuvert-letter');
  assert.equal(await fromRegion.count(), 8);
  for (const sender of await fromRegion.locator('.kuvert-letter-sender').allTextContents()) {
    assert.match(sender, /Region Hovedstaden/);
  }
  assert.match((await page.locator('.kuvert-filter-active').textContent()) ?? '', /Kun breve fra Region Hovedstaden/);
  await expectNoAxeViolations(page, 'the inbox filtered by sender');

  for (const query of ['sorter=%3Cscript%3E', 'sorter=constructor', 'afsender=ikke-en-afsender', 'afsender=']) {
    const response = await page.goto(`${kuvert.url}/post?${query}`);
    assert.equal(response?.status(), 200, query);
    assert.deepEqual(await labelsOnPage(page), newestFirst, `${query} is ignored`);
  }
  const unknownSender = await page.goto(`${kuvert.url}/post?afsender=${randomUUID()}`);
  assert.equal(unknownSender?.status(), 200);
  assert.match((await page.locator('main').textContent()) ?? '', /ingen breve fra denne afsender/);
  await context.close();
});

test('one current item in the main menu, and the mailbox menu with one current item on every mailbox page', {
  timeout: 120_000,
}, async () => {
  const { context, page } = await newPage(1280);
  const pages: [string, string, string | null][] = [
    ['/post', 'Min post', 'Indbakke'],
    ['/post?mappe=arkiv', 'Min post', 'Arkiv'],
    ['/post/mapper', 'Min post', 'Administrér mapper'],
    ['/post/skriv', 'Min post', 'Skriv til en myndighed'],
    ['/post/sendt', 'Min post', 'Sendt'],
    ['/post/aktivitet', 'Min post', 'Aktivitet'],
    ['/post/adgang', 'Adgang til post', null],
    ['/tilmelding', 'Tilmelding', null],
  ];
  for (const [path, main, mailbox] of pages) {
    await page.goto(`${kuvert.url}${path}`);
    const mainNav = page.getByRole('navigation', { name: 'Hovedmenu' });
    const current = mainNav.locator('[aria-current="page"]');
    assert.equal(await current.count(), 1, `${path}: one current main menu item`);
    assert.equal(await current.textContent(), main, path);
    const mailboxNav = page.getByRole('navigation', { name: 'Postkassens mapper' });
    if (mailbox === null) {
      assert.equal(await mailboxNav.count(), 0, `${path} is not a mailbox page`);
    } else {
      assert.equal(await mailboxNav.count(), 1, `${path} has the mailbox menu`);
      const here = mailboxNav.locator('[aria-current="page"]');
      assert.equal(await here.count(), 1, `${path}: one current mailbox menu item`);
      assert.match((await here.textContent()) ?? '', new RegExp(`^${mailbox}`), path);
    }
  }
  await context.close();
});

test('the look: borger.dk theme for citizens, the Kuvert mark and favicon, and alert icons that render', {
  timeout: 60_000,
}, async () => {
  const { context, page } = await newPage(390);
  await page.goto(`${kuvert.url}/post?ok=move`);
  const sheets = await page
    .locator('link[rel="stylesheet"]')
    .evaluateAll((links) => links.map((link) => link.getAttribute('href')));
  assert.ok(sheets.includes('/assets/dkfds/css/dkfds-borgerdk.min.css'), 'the borger.dk theme');
  assert.ok(
    await page.evaluate<boolean>('document.querySelector("header img.kuvert-mark").naturalWidth > 0'),
    'the mark loads',
  );
  for (const icon of ['/assets/favicon.svg', '/favicon.ico', '/assets/apple-touch-icon.png']) {
    const response = await page.request.get(`${kuvert.url}${icon}`);
    assert.equal(response.status(), 200, icon);
  }
  assert.equal(await page.locator('link[rel="icon"][href="/assets/favicon.svg"]').count(), 1);

  // The success alert's icon: drawn (its sprite symbol loads and has a size), not an empty box.
  const icon = page.locator('.alert-success svg.alert-icon');
  assert.equal(await icon.count(), 1);
  await page.waitForLoadState('load');
  const drawn = await page.evaluate<{ width: number; height: number; href: string }>(`(() => {
    const use = document.querySelector('.alert-success svg.alert-icon use');
    const box = use.getBBox();
    return { width: box.width, height: box.height, href: use.getAttribute('href') };
  })()`);
  assert.ok(drawn.width > 0 && drawn.height > 0, `the alert icon is drawn (${JSON.stringify(drawn)})`);
  const sprite = await page.request.get(new URL(drawn.href as string, kuvert.url).href);
  assert.equal(sprite.status(), 200);
  assert.match(await sprite.text(), /<symbol id="success"/);
  await context.close();
});
