/**
 * The dependency order of .dependency-cruiser.cjs (docs/ARCHITECTURE.md, "Dependency order") bites: on a small fixture
 * tree it reports exactly the back-imports, the cycle and the reaches into another module's files that the fixture
 * holds, and lets the allowed imports pass; the real tree breaks no rule beyond the known-violations baseline.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixture = path.join(root, 'test', 'fixtures', 'architecture');

async function cruiseTree(baseDir: string, knownViolations?: IViolation[]): Promise<ICruiseResult> {
  const options = await extractDepcruiseOptions(path.join(root, '.dependency-cruiser.cjs'));
  const tsConfig = extractTSConfig(path.join(root, 'tsconfig.json'));
  // No cache: the cache holds one tree's result, and `npm run check` keeps it for the real tree.
  const { output } = await cruise(
    ['src'],
    { ...options, baseDir, cache: false, ...(knownViolations && { knownViolations }) },
    {},
    {
      tsConfig,
    },
  );
  assert.equal(typeof output, 'object');
  return output as ICruiseResult;
}

const describe = (violations: IViolation[]) =>
  violations.map((violation) => `${violation.rule.name}: ${violation.from} -> ${violation.to}`).sort();

test('a back-import, a peer import, a cycle (reported once), a reach into another module and strings that import are reported, and nothing else', async () => {
  const result = await cruiseTree(fixture);
  assert.deepEqual(
    describe(result.summary.violations),
    [
      'layer-order: src/http/problem.ts -> src/modules/audit/index.ts',
      'layer-order: src/modules/audit/record.ts -> src/modules/identity/session.ts',
      'layer-order: src/modules/identity/login.ts -> src/config.ts',
      'layer-order: src/modules/statistics/figures.ts -> src/modules/status/index.ts',
      // Strings are platform data: importing a module is a back-import too.
      'layer-order: src/modules/status/status.i18n.ts -> src/modules/status/index.ts',
      'no-circular: src/modules/mailbox/a.ts -> src/modules/mailbox/b.ts',
      'no-foreign-repository: src/modules/access/grant.ts -> src/modules/registry/registry.repository.ts',
      'public-index-only: src/modules/access/grant.ts -> src/modules/registry/registry.repository.ts',
      'public-index-only: src/modules/audit/record.ts -> src/modules/identity/session.ts',
      'strings-are-data: src/modules/status/status.i18n.ts -> src/modules/status/index.ts',
    ].sort(),
  );
  assert.equal(result.summary.error, 10);
});

test('the real tree breaks no rule beyond the baseline, and the baseline holds no fixed violation', async () => {
  const baseline: IViolation[] = JSON.parse(
    readFileSync(path.join(root, '.dependency-cruiser-known-violations.json'), 'utf8'),
  );
  // Since 2026-12-06 the code follows the order: the baseline is empty, and a violation fails below.
  assert.deepEqual(baseline, [], 'the baseline is empty: pay a new violation down instead of listing it');
  const result = await cruiseTree(root, baseline);
  const unknown = result.summary.violations.filter((violation) => violation.rule.severity !== 'ignore');
  assert.deepEqual(describe(unknown), [], 'new violations: fix them (see docs/ARCHITECTURE.md, "Dependency order")');
  assert.equal(
    result.summary.baselineStale ?? 0,
    0,
    'fixed violations left in the baseline: npm run architecture:baseline',
  );
  // Every baseline entry is still a violation, so the baseline counts what is left to pay down.
  assert.equal(result.summary.ignore, baseline.length);
});
