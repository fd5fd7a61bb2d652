import { type Browser, chromium, type Page } from 'playwright-core';

/**
 * Debian's Chromium, headless, as root (no sandbox) and without the background traffic this closed network refuses.
 * CHROMIUM_PATH overrides the binary.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** The page's full width; more than the viewport means it scrolls sideways. (Evaluated in the browser.) */
export function scrollWidth(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth');
}
