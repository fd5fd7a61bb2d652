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
    // The data table is folded away under its chart, and opens without JavaScript.
    const table = page.getByRole('table', {
      name: lang === 'da' ? 'Tabel: Fritagelser efter grund' : 'Table: Exemptions by ground',
    });
    assert.equal(await table.isVisible(), false, 'the table starts folded away');
    await page
      .getByRole('group')
      .getByText(
        lang === 'da'
          ? 'Vis tallene som tabel: Fritagelser efter grund'
          : 'Show the figures as a table: Exemptions by ground',
      )
      .click();
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

test('on a 390 px phone every chart text is at least 12 px, all five regions are named, the tables are folded away, and the numbers are Danish', {
  timeout: 300_000,
}, async () => {
  const ctx = await context(390, 'da');
  const page = await ctx.newPage();
  await page.goto(`${kuvert.url}/statistik`);
  // The rendered size of every text in every chart the phone shows (the other drawing is display: none).
  const sizes = (await page.evaluate(`[...document.querySelectorAll('svg.kuvert-chart-svg')]
    .filter((svg) => svg.getBoundingClientRect().width > 0)
    .map((svg) => {
      const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
      return {
        label: svg.getAttribute('aria-label'),
        texts: [...svg.querySelectorAll('text')].map((text) => ({
          content: text.textContent,
          px: parseFloat(getComputedStyle(text).fontSize) * scale,
        })),
      };
    })`)) as { label: string; texts: { content: string; px: number }[] }[];
  assert.ok(sizes.length >= 11, `the phone shows every chart (${sizes.length})`);
  for (const chart of sizes) {
    assert.ok(chart.texts.length > 0, `${chart.label} has axis labels`);
    for (const text of chart.texts) {
      assert.ok(text.px >= 12, `"${text.content}" in ${chart.label} is ${text.px.toFixed(1)} px on a phone`);
    }
  }
  // Every region of the table is named in the chart (charts.test.ts draws all five).
  const region = sizes.find((chart) => chart.label.startsWith('Tilmelding pr. region'));
  assert.ok(region);
  const regionText = region.texts.map((text) => text.content).join(' ');
  const regions = await page.locator('#fig-enrolment-by-region ~ details tbody th').allTextContents();
  assert.ok(regions.length >= 2);
  for (const name of regions) assert.ok(regionText.includes(name), `the region chart names ${name}`);

  // Every data table sits in a closed <details> under its chart.
  const tables = (await page.evaluate(`[...document.querySelectorAll('.kuvert-figure table')].map((table) => {
    const details = table.closest('details');
    return { inDetails: Boolean(details), open: details ? details.open : null, visible: table.checkVisibility() };
  })`)) as { inDetails: boolean; open: boolean | null; visible: boolean }[];
  assert.ok(tables.length >= 12);
  for (const table of tables) assert.deepEqual(table, { inDetails: true, open: false, visible: false });

  // Danish numbers and dates in the sentences and tables: "94,4 %", "4.949.948", "30. nov. 2026" — no ISO dates.
  const main = (await page.textContent('main')) ?? '';
  assert.doesNotMatch(main, /\d+\.\d %/, 'no English decimal point before a per cent sign');
  assert.doesNotMatch(main, /\b\d{4}-\d{2}(-\d{2})?\b/, 'no ISO dates or months');
  assert.match(main, /Tallene gælder 15\. jun\. 2026\./);
  assert.match(main, /\d+,\d\u00a0% modtager post digitalt/);
  assert.ok((await scrollWidth(page)) <= 390);
  await ctx.close();

  // On a desktop the page is no longer a 20,000 px scroll.
  const desktop = await context(1280, 'da');
  const wide = await desktop.newPage();
  await wide.goto(`${kuvert.url}/statistik`);
  const height = (await wide.evaluate('document.documentElement.scrollHeight')) as number;
  assert.ok(height <= 6500, `/statistik is ${height} px tall at 1280 px`);
  await desktop.close();
});
