import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createSession } from '../src/modules/identity/session.ts';
import { renderLetterPdf } from '../src/seed/pdf.ts';
import { expectNoAxeViolations } from './support/axe.ts';
import { launchBrowser, scrollWidth } from './support/browser.ts';
import { createPerson, createSender } from './support/fixtures.ts';
import { sendAvailableLetter, startTestKuvert, type TestKuvert } from './support/kuvert.ts';
import { readPdf } from './support/print.ts';

const CPR = '1503851234';

let kuvert: TestKuvert;
let browser: Browser;
let sender: Awaited<ReturnType<typeof createSender>>;
let sessionId: string;
let letterId: string;

const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64');

async function newPage(width: number): Promise<{ context: BrowserContext; page: Page; csp: string[] }> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  await context.addCookies([{ name: 'kuvert_session', value: sessionId, url: kuvert.url }]);
  const page = await context.newPage();
  const csp: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) csp.push(message.text());
  });
  return { context, page, csp };
}

before(async () => {
  kuvert = await startTestKuvert();
  browser = await launchBrowser();
  const anna = await createPerson(kuvert.services.db, CPR, 'Anna Jensen');
  sender = await createSender(kuvert.services.db, 'Skattestyrelsen');
  ({ sessionId } = await createSession(
    kuvert.services.db,
    { kind: 'citizen', subject: 'demo-citizen-anna', name: 'Anna Jensen', recipientId: anna.id },
    null,
  ));
  const pdf = await renderLetterPdf({
    sender: {
      name: 'Skattestyrelsen',
      unit: 'Personskat',
      addressLines: ['Nykøbingvej 76'],
      phone: '72 22 18 18',
      web: 'skat.dk',
      color: '#14143c',
    },
    recipient: { name: 'Anna Jensen', addressLines: ['Ryesgade 14', '2200 København N'] },
    date: new Date('2026-12-03T10:00:00Z'),
    reference: 'SKAT-RS-2025-7731',
    subject: 'Du har restskat for 2025',
    paragraphs: ['Din årsopgørelse viser en restskat på 4.312 kr.'],
    signature: { name: 'Skattestyrelsen', title: 'Personskat' },
  });
  letterId = await sendAvailableLetter(kuvert, sender.apiKey, CPR, {
    label: 'Du har restskat for 2025',
    notification: 'Betal din restskat inden 1. juli',
    replyAllowed: true,
    documents: [
      { title: 'Brev', filename: 'brev.pdf', mediaType: 'application/pdf', content: b64(pdf) },
      {
        title: 'Restskat',
        filename: 'restskat.html',
        mediaType: 'text/html',
        content: b64(
          '<h1>Restskat for 2025</h1><p>Din restskat er <strong>4.312 kr.</strong></p>' +
            '<p><a href="https://skat.example.dk/betal">Betal her</a></p><script>document.body.remove()</script>',
        ),
      },
      {
        title: 'Klagevejledning',
        filename: 'klage.txt',
        mediaType: 'text/plain',
        content: b64('Du kan klage inden 3 måneder.'),
      },
    ],
    actions: [{ actionCode: 'BETALING', label: 'Betal restskat', url: 'https://skat.example.dk/betal' }],
  });
});
after(async () => {
  await browser?.close();
  await kuvert?.stop();
});

test('the action bar is at the top, and printing gives the letter and its text documents only', {
  timeout: 120_000,
}, async () => {
  const { context, page, csp } = await newPage(1280);
  await page.goto(`${kuvert.url}/post/${letterId}`);
  const bar = page.locator('.kuvert-letter-toolbar');
  for (const name of ['Svar', 'Videresend']) assert.ok(await bar.getByRole('link', { name }).isVisible(), name);
  for (const name of ['Slet', 'Markér som ulæst', 'Udskriv']) {
    assert.ok(await bar.getByRole('button', { name, exact: true }).isVisible(), name);
  }
  assert.equal(
    await bar.getByRole('link', { name: 'Videresend' }).getAttribute('href'),
    `/post/${letterId}/videresend`,
  );
  // The bar comes before the letter's contents: above the notification, not under it.
  const barTop = (await bar.boundingBox())?.y ?? Number.POSITIVE_INFINITY;
  const noticeTop = (await page.getByRole('heading', { name: 'Meddelelse' }).boundingBox())?.y ?? 0;
  assert.ok(barTop < noticeTop, `the action bar (${barTop}) is above "Meddelelse" (${noticeTop})`);
  // Move opens a small form in place.
  await bar.locator('summary', { hasText: 'Flyt' }).click();
  assert.ok(await page.getByLabel('Flyt til').isVisible());
  assert.ok((await scrollWidth(page)) <= 1280);
  await expectNoAxeViolations(page, 'a letter with the action bar open');

  // Udskriv calls the browser's print.
  await page.evaluate('window.__printed = 0; window.print = () => { window.__printed += 1; }');
  await bar.getByRole('button', { name: 'Udskriv' }).click();
  assert.equal(await page.evaluate('window.__printed'), 1);

  // The HTML letter is part of the page, in the design system's font, as tall as its content.
  const html = page.locator('.kuvert-html-letter');
  assert.match(
    await page.evaluate<string>("getComputedStyle(document.querySelector('.kuvert-html-letter')).fontFamily"),
    /IBM Plex Sans/,
  );
  assert.ok(await html.getByRole('heading', { name: 'Restskat for 2025' }).isVisible());
  assert.ok(((await html.boundingBox())?.height ?? 1000) < 400, 'no fixed-height frame around a short letter');

  await page.emulateMedia({ media: 'print' });
  for (const selector of [
    'header.kuvert-header',
    '.kuvert-nav',
    'footer',
    '.kuvert-letter-toolbar',
    'iframe.kuvert-pdf',
  ]) {
    assert.equal(await page.locator(selector).first().isVisible(), false, `${selector} is not printed`);
  }
  // Buttons do not print; an action that is a link prints as its label and address.
  assert.equal(await page.locator('main .button:visible:not([href^="https:"])').count(), 0, 'no buttons on paper');
  assert.ok(await page.getByText('Betal restskat').isVisible());
  assert.equal(await page.locator('main form:visible').count(), 0, 'no forms on paper');
  for (const text of [
    'Du har restskat for 2025',
    'Din restskat er',
    'Du kan klage inden 3 måneder.',
    'Betal din restskat',
  ]) {
    assert.ok(await page.getByText(text).first().isVisible(), `"${text}" is printed`);
  }
  assert.ok(await page.getByText('PDF-dokumentet brev.pdf kommer ikke med her').isVisible());

  // What the browser really prints: the PDF it makes holds the letter and none of the page around it.
  const printed = (await readPdf(await page.pdf({ format: 'A4' })))
    .flatMap((p) => p.lines.map((l) => l.text))
    .join('\n');
  for (const text of ['Du har restskat for 2025', 'Restskat for 2025', '4.312 kr.', 'Du kan klage inden 3 måneder.']) {
    assert.ok(printed.includes(text), `the printout has "${text}":\n${printed}`);
  }
  assert.match(printed, /Betal her \(https:\/\/skat\.example\.dk\/betal\)/, 'a link prints with its address');
  for (const text of [
    'Log af',
    'Min post',
    'Kontaktoplysninger',
    'Udskriv',
    'Videresend',
    'Hent brev.pdf',
    'Hent alle dokumenter',
    'API-dokumentation',
  ]) {
    assert.ok(!printed.includes(text), `the printout has no "${text}":\n${printed}`);
  }
  assert.deepEqual(csp, []);
  await context.close();
});

test('on a phone a PDF shows as page images drawn on the server, with the download beside them', {
  timeout: 120_000,
}, async () => {
  const { context, page, csp } = await newPage(390);
  await page.goto(`${kuvert.url}/post/${letterId}`);
  const image = page.locator('.kuvert-pdf-pages img').first();
  await image.waitFor({ state: 'visible' });
  const firstImage = "document.querySelector('.kuvert-pdf-pages img')";
  await page.waitForFunction(`${firstImage}.complete && ${firstImage}.naturalWidth > 0`, undefined, {
    timeout: 30_000,
  });
  assert.equal(await page.evaluate<number>(`${firstImage}.naturalWidth`), 1000);
  assert.equal(await image.getAttribute('alt'), 'Side 1 af 1 af Brev');
  assert.equal(await page.locator('iframe.kuvert-pdf').isVisible(), false, 'no empty PDF box on a phone');
  assert.ok(await page.getByRole('link', { name: 'Hent brev.pdf' }).isVisible());
  assert.ok((await scrollWidth(page)) <= 390, `${await scrollWidth(page)} px wide`);
  await expectNoAxeViolations(page, 'a PDF letter on a phone');

  // On a wide screen the browser's viewer is shown instead, and the images are not.
  await page.setViewportSize({ width: 1280, height: 900 });
  assert.equal(await page.locator('.kuvert-pdf-pages').isVisible(), false);
  assert.ok(await page.locator('iframe.kuvert-pdf').isVisible());
  assert.deepEqual(csp, []);
  await context.close();
});
