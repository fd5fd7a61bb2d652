import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createLogger } from '../src/logger.ts';
import { seedDemoData } from '../src/seed.ts';
import { expectNoAxeViolations } from './support/axe.ts';
import { launchBrowser, scrollWidth } from './support/browser.ts';
import { letterBody } from './support/fixtures.ts';
import { eventually, startTestKuvert, type TestKuvert } from './support/kuvert.ts';

/*
 * Issue 16: axe passes at 360 px and 1280 px on the pages no other browser test checks — the sender portal, citizen
 * service, /tilmelding, the built-in provider's login picker, the development outbox — and on /statistik and /drift.
 * The demo data is seeded, so the pages have rows, letters, keys and messages to show, and every login goes through
 * the real picker.
 */

let kuvert: TestKuvert;
let browser: Browser;

before(async () => {
  kuvert = await startTestKuvert();
  await seedDemoData(kuvert.services, createLogger('warn', process.stderr));
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await kuvert?.stop();
});

const widths = [360, 1280] as const;

/** Axe, no sideways scrolling, and nothing in <main> wider than <main> (a table running out of its column). */
async function check(page: Page, what: string) {
  const width = page.viewportSize()?.width ?? 0;
  assert.ok((await scrollWidth(page)) <= width, `${what} scrolls sideways at ${width} px`);
  const overflowing = (await page.evaluate(`(() => {
    const main = document.querySelector('main');
    const right = main.getBoundingClientRect().right;
    return [...main.querySelectorAll('table, form, .alert, pre, code')]
      .filter((el) => el.checkVisibility() && !el.closest('.table--responsive-scroll') && el.getBoundingClientRect().right > right + 1)
      .map((el) => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : ''));
  })()`)) as string[];
  assert.deepEqual(overflowing, [], `${what} at ${width} px: these run out of the page's column`);
  await expectNoAxeViolations(page, `${what} at ${width} px`);
}

async function open(page: Page, path: string, what: string) {
  const response = await page.goto(`${kuvert.url}${path}`);
  assert.equal(response?.status(), 200, `${what} (${path})`);
  await check(page, what);
}

/** Logs in through the built-in provider's persona picker (checked with axe on the way) and returns the page. */
async function logIn(width: number, name: string, entry = '/login'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${kuvert.url}${entry}`);
  await page.getByRole('button', { name, exact: true }).waitFor();
  await check(page, 'the login picker');
  await page.getByRole('button', { name, exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/idp') && !url.pathname.startsWith('/auth'));
  return { context, page };
}

test('public pages: /statistik, /drift and the development outbox with messages in it', {
  timeout: 600_000,
}, async () => {
  // A code e-mail for the outbox: Anna adds an address (the worker "sends" it to the development outbox).
  const { context, page } = await logIn(1280, 'Anna Jensen');
  await page.goto(`${kuvert.url}/indstillinger/kontakt`);
  const form = page.locator('form', { has: page.getByLabel('E-mailadresse', { exact: true }) });
  await form.getByLabel('E-mailadresse', { exact: true }).fill('anna.axe@example.org');
  await form.getByRole('button', { name: 'Tilføj og send kode' }).click();
  await context.close();
  await eventually(async () => {
    const text = await (await fetch(`${kuvert.url}/udvikling/udbakke`)).text();
    return text.includes('anna.axe@example.org');
  }, 30_000);

  for (const width of widths) {
    const ctx = await browser.newContext({ viewport: { width, height: 900 } });
    const anonymous = await ctx.newPage();
    await open(anonymous, '/statistik', '/statistik');
    await open(anonymous, '/drift', '/drift');
    await open(anonymous, '/udvikling/udbakke', 'the development outbox');
    assert.match((await anonymous.textContent('main')) ?? '', /anna\.axe@example\.org/);
    await ctx.close();
  }
});

test('the sender portal: letters, a letter, compose, batches, webhooks and API keys', {
  timeout: 600_000,
}, async () => {
  for (const width of widths) {
    const { context, page } = await logIn(width, 'Lars Andersen');
    assert.equal(new URL(page.url()).pathname, '/afsender');
    await check(page, 'sent letters');
    const letter = await page.locator('main a[href^="/afsender/breve/"]').first().getAttribute('href');
    assert.ok(letter, 'the demo sender has letters');
    await open(page, letter, 'a sent letter');
    await open(page, '/afsender/nyt-brev', 'write a letter');
    // A mistake, so the error summary and the field's error are checked too.
    await page.getByRole('button', { name: 'Send brevet' }).click();
    await page.waitForLoadState();
    await check(page, 'write a letter, with errors');
    await open(page, '/afsender/masseforsendelser', 'batches');

    await open(page, '/afsender/webhooks', 'webhooks');
    await page.getByLabel('URL').fill(`https://hooks.example.org/kuvert/${width}/a-rather-long-path/for-the-layout`);
    await page.getByRole('button', { name: 'Tilføj endpoint' }).click();
    await page.waitForLoadState();
    await check(page, 'webhooks, with an endpoint and its secret');

    // A new key: the one-time secret and an active key with its revoke button, in a table that must fit at 1280 px.
    await open(page, '/afsender/api-noegler', 'API keys');
    await page.getByLabel('Navn på nøglen').fill('Fagsystem med et ret langt navn til integrationen');
    await page.getByRole('button', { name: 'Opret nøgle' }).click();
    await page.waitForLoadState();
    assert.ok(
      await page
        .getByRole('button', { name: /^Tilbagekald/ })
        .first()
        .isVisible(),
    );
    await check(page, 'API keys, with a new key');
    await context.close();
  }
});

test('citizen service: the search, a person page, and a citizen’s /tilmelding', { timeout: 600_000 }, async () => {
  for (const width of widths) {
    const caseworker = await logIn(width, 'Sofie Madsen');
    const page = caseworker.page;
    assert.equal(new URL(page.url()).pathname, '/borgerservice');
    await check(page, 'citizen service');
    await page.locator('input[name=cpr]').fill('1503851234');
    await page.locator('form[action="/borgerservice/soeg"] button[type=submit]').click();
    await page.waitForURL(/\/borgerservice\/personer\/[0-9a-f-]{36}$/);
    await check(page, "a person's page");
    await caseworker.context.close();

    const citizen = await logIn(width, 'Anna Jensen');
    await open(citizen.page, '/tilmelding', '/tilmelding');
    await citizen.context.close();
  }
});

test("issue 17: business administrators, rules, the operator's senders, staff, a test key and the test mailbox", {
  timeout: 600_000,
}, async () => {
  for (const width of widths) {
    // The picker's business section is checked on the way in.
    const anna = await logIn(width, 'Anna Jensen (Jensen Design ApS)', '/login?returnTo=%2Fpost');
    await open(anna.page, '/post/adgang/administratorer', 'the business administrators');
    await open(anna.page, '/post/regler', 'the rules page');
    await anna.context.close();

    const ole = await logIn(width, 'Ole Kristensen');
    await open(ole.page, '/drift/styring/afsendere', "the operator's senders");
    await ole.context.close();

    const lars = await logIn(width, 'Lars Andersen');
    const page = lars.page;
    await open(page, '/afsender/medarbejdere', 'the staff page');
    await open(page, '/afsender/api-noegler', 'API keys');
    await page.getByLabel('Navn på nøglen').fill(`Testsystem ${width}`);
    await page.getByLabel('Testnøgle').check();
    await page.getByRole('button', { name: 'Opret nøgle' }).click();
    await page.waitForLoadState();
    await check(page, 'API keys, with a new test key');
    const key = /kuv_test_[A-Za-z0-9_-]+/.exec((await page.locator('main code').first().textContent()) ?? '')?.[0];
    assert.ok(key, 'the new test key is shown');
    const sent = await fetch(`${kuvert.url}/api/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(letterBody('1503851234', { label: `Testbrev ${width}: afgørelse om boligstøtte` })),
    });
    assert.equal(sent.status, 201);
    // The worker routes the test letter; then it is in the test mailbox.
    const letter = await eventually(async () => {
      await page.goto(`${kuvert.url}/afsender/testpostkasse`);
      const link = page.locator('main a[href^="/afsender/testpostkasse/"]').first();
      return (await link.count()) > 0 ? link.getAttribute('href') : null;
    }, 30_000);
    await check(page, 'the test mailbox');
    await open(page, letter, 'a test letter');
    await lars.context.close();
  }
});
