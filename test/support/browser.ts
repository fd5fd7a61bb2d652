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

/** Opens the header's menu when it is folded away (phones and tablets: a "Menu" disclosure); else does nothing. */
export async function openMenu(page: Page): Promise<void> {
  const menu = page.locator('details.kuvert-menu');
  if ((await menu.count()) === 0) return;
  const summary = menu.locator('> summary');
  if ((await summary.isVisible()) && (await menu.getAttribute('open')) === null) await summary.click();
}
