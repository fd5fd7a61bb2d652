import { chromium } from 'playwright-core';
import { LoginBrowser } from '../test/support/login-browser.ts';

const base = process.env.BASE ?? 'http://127.0.0.1:39200';
const out = process.env.OUT ?? '/tmp/shots';
const [persona, ...paths] = process.argv.slice(2);
const login = new LoginBrowser(base);
if (persona && persona !== '-') {
  const result = await login.logInAs(persona as string);
  await login.follow(result.response);
}
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
for (const width of [390, 1280]) {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const url = new URL(base);
  await context.addCookies(
    [...login.cookies].map(([name, value]) => ({ name, value, domain: url.hostname, path: '/' })),
  );
  const page = await context.newPage();
  for (const p of paths) {
    await page.goto(base + p);
    const name = `${out}/${(persona ?? 'anon').split(' ')[0]}${p.replace(/[^a-z0-9]+/gi, '_')}-${width}.png`;
    await page.screenshot({ path: name, fullPage: true });
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    console.log(name, height);
  }
  await context.close();
}
await browser.close();
