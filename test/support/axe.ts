import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
let axeSource: Promise<string> | undefined;

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA rules) on the page as it is now and fails with a readable list of the
 * violations. The page's DOM is copied into a fresh page of a JavaScript-enabled context at the same URL and viewport
 * (stylesheets and images load from the server as usual), and axe is injected there through the DevTools protocol:
 * so it works for pages tested with JavaScript disabled, and Kuvert's strict CSP stays untouched.
 */
export async function expectNoAxeViolations(page: Page, context = ''): Promise<void> {
  axeSource ??= readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  const source = await axeSource;
  const html = await page.content();
  const url = page.url();
  const browser = page.context().browser();
  assert.ok(browser, 'axe needs a page from a launched browser');
  const probeContext = await browser.newContext({ viewport: page.viewportSize(), javaScriptEnabled: true });
  let violations: AxeViolation[];
  try {
    const probe = await probeContext.newPage();
    await probe.route(
      (candidate) => candidate.href === url,
      (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
    );
    await probe.goto(url);
    violations = (await probe.evaluate(
      `(async () => {
        if (!window.axe) { ${source}\n }
        const result = await window.axe.run(document, {
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
          resultTypes: ['violations'],
        });
        return result.violations.map((v) => ({
          id: v.id, impact: v.impact, help: v.help,
          nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
        }));
      })()`,
    )) as AxeViolation[];
  } finally {
    await probeContext.close();
  }
  const report = violations
    .map(
      (v) =>
        `- ${v.id} (${v.impact}): ${v.help}\n${v.nodes
          .slice(0, 5)
          .map((n) => `    at ${JSON.stringify(n.target)}: ${n.failureSummary ?? ''}`)
          .join('\n')}`,
    )
    .join('\n');
  assert.equal(violations.length, 0, `axe found accessibility violations on ${context || page.url()}:\n${report}`);
}
