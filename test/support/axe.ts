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
 * violations. axe is injected through the DevTools protocol (page.evaluate), so Kuvert's strict CSP (no inline or
 * foreign scripts) stays on during the test.
 */
export async function expectNoAxeViolations(page: Page, context = ''): Promise<void> {
  axeSource ??= readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  const source = await axeSource;
  const violations = (await page.evaluate(
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
