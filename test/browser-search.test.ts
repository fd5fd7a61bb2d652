import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { createSession } from '../src/modules/identity/session.ts';
import { expectNoAxeViolations } from './support/axe.ts';
import { launchBrowser, scrollWidth } from './support/browser.ts';
import { createPerson, createSender } from './support/fixtures.ts';
import { sendAvailableLetter, startTestKuvert, type TestKuvert } from './support/kuvert.ts';

/** Issue 16: Anna searches her mailbox in Debian's Chromium, on a phone and on a desktop. */

const CPR = '1503851234';
let kuvert: TestKuvert;
let browser: Browser;
let sessionId: string;
let skatId: string;

const text = (content: string) => ({
  title: 'Brev',
  filename: 'brev.txt',
  mediaType: 'text/plain',
  content: Buffer.from(content).toString('base64'),
});

before(async () => {
  kuvert = await startTestKuvert();
  browser = await launchBrowser();
  const anna = await createPerson(kuvert.services.db, CPR, 'Anna Jensen');
  const skat = await createSender(kuvert.services.db, 'Skattestyrelsen');
  const kommune = await createSender(kuvert.services.db, 'Københavns Kommune');
  skatId = skat.id;
  ({ sessionId } = await createSession(
    kuvert.services.db,
    { kind: 'citizen', subject: 'demo-citizen-anna', name: 'Anna Jensen', recipientId: anna.id },
    null,
  ));
  await sendAvailableLetter(kuvert, skat.apiKey, CPR, {
    label: 'Du har restskat for 2025',
    notification: 'Betal din restskat inden 1. juli',
    documents: [text('Restskatten skyldes især din løn.')],
  });
  await sendAvailableLetter(kuvert, skat.apiKey, CPR, {
    label: 'Din årsopgørelse er klar',
    documents: [text('Se tallene.')],
  });
  await sendAvailableLetter(kuvert, kommune.apiKey, CPR, {
    label: 'Afgørelse om boligstøtte',
    notification: 'Du får boligstøtte fra 1. januar',
    documents: [text('Boligstøtten udbetales månedligt. Ejendomsskatten er ikke medregnet.')],
  });
});
after(async () => {
  await browser?.close();
  await kuvert?.stop();
});

for (const width of [390, 1280]) {
  test(`Anna searches for "skat" at ${width} px: hits from compounds and the sender, marked, filterable`, {
    timeout: 120_000,
  }, async () => {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    await context.addCookies([{ name: 'kuvert_session', value: sessionId, url: kuvert.url }]);
    const page = await context.newPage();
    await page.goto(`${kuvert.url}/post`);
    await page.getByLabel('Søg i posten').fill('skat');
    await page.getByRole('button', { name: 'Søg', exact: true }).first().click();
    await page.waitForURL(/\/post\/soeg\?q=skat$/);
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Søgeresultater for “skat”');

    const hits = page.locator('.kuvert-search-hit');
    // restskat (subject), Skattestyrelsen (sender) and ejendomsskatten (document text of the boligstøtte letter).
    assert.equal(await hits.count(), 3);
    const first = hits.first();
    assert.match((await first.textContent()) ?? '', /Du har restskat for 2025/);
    assert.deepEqual(await first.locator('.kuvert-search-hit-subject mark').allTextContents(), ['skat']);
    const bolig = hits.filter({ hasText: 'Afgørelse om boligstøtte' });
    assert.match((await bolig.locator('.kuvert-search-hit-snippet').textContent()) ?? '', /Ejendomsskatten/);
    assert.deepEqual(await bolig.locator('.kuvert-search-hit-snippet mark').allTextContents(), ['skat']);
    // The mark is visibly highlighted.
    const background = await page.evaluate<string>(
      "getComputedStyle(document.querySelector('.kuvert-search-hit mark')).backgroundColor",
    );
    assert.equal(background, 'rgb(255, 224, 102)');
    assert.ok((await scrollWidth(page)) <= width, 'no sideways scrolling');
    await expectNoAxeViolations(page, `search results at ${width} px`);

    // Filters, without JavaScript's help: a plain GET form.
    await page.getByText('Afgræns søgningen').click();
    await page.getByLabel('Afsender').selectOption({ label: 'Skattestyrelsen' });
    await page.getByRole('button', { name: 'Søg', exact: true }).last().click();
    await page.waitForURL(new RegExp(`afsender=${skatId}`));
    assert.equal(await hits.count(), 2);
    assert.ok((await scrollWidth(page)) <= width, 'no sideways scrolling with the filters open');
    await expectNoAxeViolations(page, `filtered search results at ${width} px`);

    // The whole hit is the link to the letter.
    await hits.first().click();
    await page.waitForURL(/\/post\/[0-9a-f-]{36}$/);
    assert.match((await page.getByRole('heading', { level: 1 }).textContent()) ?? '', /Du har restskat for 2025/);
    await context.close();
  });
}
