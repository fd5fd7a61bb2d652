import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { expectNoAxeViolations } from './support/axe.ts';
import { launchBrowser } from './support/browser.ts';

// The accessibility check every browser test relies on must itself be able to fail.
let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

async function pageWith(html: string, javaScriptEnabled: boolean) {
  const context = await browser.newContext({ javaScriptEnabled });
  const page = await context.newPage();
  await page.route('http://kuvert.test/', (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
  );
  await page.goto('http://kuvert.test/');
  return { page, close: () => context.close() };
}

const good =
  '<!doctype html><html lang="da"><head><title>God side</title></head><body><main><h1>Hej</h1></main></body></html>';
const bad =
  '<!doctype html><html><head><title>Dårlig side</title></head><body><main><img src="x.png"><input type="text"></main></body></html>';

for (const javaScriptEnabled of [true, false]) {
  test(`axe passes a clean page and names the violations of a bad one (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
    const clean = await pageWith(good, javaScriptEnabled);
    await expectNoAxeViolations(clean.page, 'a clean page');
    await clean.close();
    const broken = await pageWith(bad, javaScriptEnabled);
    await assert.rejects(expectNoAxeViolations(broken.page, 'a bad page'), (error: Error) => {
      assert.match(error.message, /image-alt/);
      assert.match(error.message, /html-has-lang/);
      assert.match(error.message, /label/);
      return true;
    });
    await broken.close();
  });
}
