import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import { createLogger } from '../src/logger.ts';
import { createSession } from '../src/modules/identity/session.ts';
import { seedStatisticsDemo } from '../src/modules/statistics/statistics.seed.ts';
import { takeSnapshot } from '../src/modules/statistics/take-snapshot.ts';
import { expectNoAxeViolations } from './support/axe.ts';
import { launchBrowser, scrollWidth } from './support/browser.ts';
import { startTestKuvert, type TestKuvert } from './support/kuvert.ts';
import { seedKnownStatistics } from './support/statistics.ts';

let kuvert: TestKuvert;
let browser: Browser;

before(async () => {
  kuvert = await startTestKuvert({ worker: false });
  await seedKnownStatistics(kuvert.services.db);
  await seedStatisticsDemo({
    services: kuvert.services,
    logger: createLogger('warn', process.stderr),
    anchor: new Date('2026-06-01T12:00:00Z'),
    senders: {} as never,
    openLetter: async () => assert.fail('this seed opens no letter'),
  });
  await takeSnapshot(kuvert.services.db, { at: new Date('2026-06-15T10:00:00Z') });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await kuvert?.stop();
});

async function context(width: number, lang: 'da' | 'en', cookie?: string): Promise<BrowserContext> {
  const ctx = await browser.newContext({ viewport: { width, height: 900 }, javaScriptEnabled: false });
  const url = new URL(kuvert.url);
  await ctx.addCookies([
    { name: 'lang', value: lang, domain: url.hostname, path: '/' },
    ...(cookie ? [{ name: 'kuvert_session', value: cookie, domain: url.hostname, path: '/' }] : []),
  ]);
  return ctx;
}

test('the statistics page works without JavaScript at 360 px and 1280 px, in Danish and English, and passes axe', {
  timeout: 600_000,
}, async () => {
  for (const [width, lang] of [
    [360, 'da'],
    [1280, 'en'],
  ] as const) {
    const ctx = await context(width, lang);
    const page = await ctx.newPage();
    const response = await page.goto(`${kuvert.url}/statistik`);
    assert.equal(response?.status(), 200);
    const title = lang === 'da' ? 'Statistik om Digital Post' : 'Digital Post statistics';
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), title);
    // Every chart is an image with a name, and has its data table with a caption.
    const charts = page.locator('svg[role="img"]');
    assert.ok((await charts.count()) >= 10);
    assert.ok(
      await page
        .getByRole('img', { name: lang === 'da' ? /^Tilmelding til Digital Post/ : /^Enrolment in Digital Post/ })
        .isVisible(),
    );
    const table = page.getByRole('table', {
      name: lang === 'da' ? 'Tabel: Fritagelser efter grund' : 'Table: Exemptions by ground',
    });
    assert.ok(await table.isVisible());
    assert.ok(
      await page
        .getByText(lang === 'da' ? 'Demodata:' : 'Demo data:', { exact: false })
        .first()
        .isVisible(),
    );
    assert.ok((await scrollWidth(page)) <= width, `no sideways scrolling at ${width} px`);
    await expectNoAxeViolations(page, `/statistik ${lang} ${width}px`);
    if (width === 360) await page.screenshot({ path: '/tmp/statistik-360.png', fullPage: false });
    // A figure downloads as CSV.
    const csv = await page.request.get(
      `${kuvert.url}${await page.getByRole('link', { name: lang === 'da' ? 'Hent «Fritagelser efter grund» som CSV' : 'Download “Exemptions by ground” as CSV' }).getAttribute('href')}`,
    );
    assert.match(await csv.text(), /^ground,label,people,share\r\n/);
    await ctx.close();
  }
});

test('the scorecard, a municipality page and the operator upload page pass axe at 360 px', {
  timeout: 600_000,
}, async () => {
  const { sessionId } = await createSession(
    kuvert.services.db,
    { kind: 'operator', subject: 'op-browser', name: 'Olga Operatør', staffId: 'op-browser' },
    null,
  );
  for (const lang of ['da', 'en'] as const) {
    const ctx = await context(360, lang, sessionId);
    const page = await ctx.newPage();
    await page.goto(`${kuvert.url}/statistik/selvbetjening`);
    assert.equal(
      await page.getByRole('heading', { level: 1 }).textContent(),
      lang === 'da' ? 'Digitaliseringsgrad for selvbetjening' : 'Digital share of self-service',
    );
    assert.ok(
      await page
        .getByRole('img', { name: lang === 'da' ? /^Digital andel pr\. område/ : /^Digital share by area/ })
        .isVisible(),
    );
    assert.ok((await scrollWidth(page)) <= 360);
    await expectNoAxeViolations(page, `/statistik/selvbetjening ${lang}`);

    // The municipality picker is a plain GET form.
    await page
      .getByLabel(lang === 'da' ? 'Kommune' : 'Municipality', { exact: true })
      .selectOption({ label: 'Aarhus' });
    await page.getByRole('button', { name: lang === 'da' ? 'Vis kommunen' : 'Show the municipality' }).click();
    await page.waitForURL(`${kuvert.url}/statistik/selvbetjening/kommuner/0751`);
    assert.match(String(await page.getByRole('heading', { level: 1 }).textContent()), /Aarhus/);
    assert.ok((await scrollWidth(page)) <= 360);
    await expectNoAxeViolations(page, `municipality page ${lang}`);

    await page.goto(`${kuvert.url}/statistik/selvbetjening/indberet`);
    await page.getByLabel(lang === 'da' ? 'CSV-fil' : 'CSV file').setInputFiles({
      name: 'tal.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('municipality_code,service_area,month,digital,total\n0101,nope,2026-01,5,10\n'),
    });
    await page.getByRole('button', { name: lang === 'da' ? 'Indberet' : 'Report' }).click();
    assert.ok(await page.getByRole('alert').isVisible());
    assert.match(String(await page.getByRole('alert').textContent()), lang === 'da' ? /Linje 2/ : /Line 2/);
    assert.ok((await scrollWidth(page)) <= 360);
    await expectNoAxeViolations(page, `upload page with errors ${lang}`);
    await ctx.close();
  }
});
