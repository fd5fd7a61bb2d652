import { chromium } from 'playwright-core';
const base = 'http://localhost:39105';
const out = '/tmp/paper-shots';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
for (const width of [390, 1280]) {
  const ctx = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(base);
  await page.getByRole('link', { name: 'Log ind som afsender' }).click();
  await page.getByRole('button', { name: 'Lars Andersen', exact: true }).click();
  await page.waitForURL(`${base}/afsender`);
  await page.screenshot({ path: `${out}/portal-list-${width}.png`, fullPage: true });
  for (const label of ['Din årsopgørelse for 2025', 'Din forskudsopgørelse for 2027']) {
    await page.goto(`${base}/afsender`);
    await page.getByRole('link', { name: label }).first().click();
    await page.waitForURL(/\/afsender\/breve\//);
    await page.screenshot({ path: `${out}/portal-${label.includes('års') ? 'returned' : 'failed'}-${width}.png`, fullPage: true });
  }
  await ctx.close();
  const ctx2 = await browser.newContext({ viewport: { width, height: 900 } });
  const p2 = await ctx2.newPage();
  await p2.goto(base);
  await p2.getByRole('link', { name: 'Log ind som sagsbehandler' }).click();
  await p2.getByRole('button', { name: 'Sofie Madsen', exact: true }).click();
  await p2.waitForURL(`${base}/borgerservice`);
  await p2.getByLabel('CPR-nummer').fill('120758-1235');
  await p2.getByRole('button', { name: 'Søg' }).click();
  await p2.waitForURL(/\/borgerservice\/personer\//);
  await p2.screenshot({ path: `${out}/caseworker-${width}.png`, fullPage: true });
  await ctx2.close();
}
await browser.close();
