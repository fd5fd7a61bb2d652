/**
 * Runs the whole test suite with node's test runner against a real PostgreSQL: the machine's server when
 * DATABASE_URL is set (tests create and drop their own databases on it), else an embedded PostgreSQL started
 * here for the run. Prints "N passed, N failed" last.
 *   npm test                      all tests
 *   npm test -- src/modules/messages/api.test.ts  only the named files
 *   KUVERT_RECORD_DURATIONS=1 npm test            all tests, then their times into test/durations.json (the order)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lockDataDir, startEmbeddedPostgres } from '../src/db/embedded.ts';

function findTests(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (entry === 'node_modules') continue;
    if (statSync(full).isDirectory()) found.push(...findTests(full));
    else if (/\.test\.tsx?$/.test(entry)) found.push(full);
  }
  return found;
}

/**
 * The longest files first, by their times in the last recorded run (test/durations.json; a file not in it first of
 * all, as it may be long): with two files at a time, a long file started last would run on alone at the end.
 * KUVERT_RECORD_DURATIONS=1 with the whole suite writes the times of this run there.
 */
const DURATIONS = 'test/durations.json';
function longestFirst(names: string[]): string[] {
  let seconds: Record<string, number> = {};
  try {
    seconds = JSON.parse(readFileSync(DURATIONS, 'utf8'));
  } catch {
    // no record yet: the order of the names
  }
  const time = (name: string) => seconds[name] ?? Number.POSITIVE_INFINITY;
  return [...names].sort((a, b) => time(b) - time(a) || a.localeCompare(b));
}

const args = process.argv.slice(2);
const files = args.length ? args : longestFirst([...findTests('src'), ...findTests('test')]);
let adminUrl = process.env.DATABASE_URL;
let stopEmbedded: (() => Promise<void>) | undefined;
let tempDir: string | undefined;
if (!adminUrl) {
  tempDir = mkdtempSync(path.join(os.tmpdir(), 'kuvert-test-pg-'));
  const unlock = lockDataDir(tempDir);
  const embedded = await startEmbeddedPostgres(tempDir);
  adminUrl = embedded.url;
  stopEmbedded = async () => {
    await embedded.stop();
    unlock();
  };
  process.stdout.write(`Tests use an embedded PostgreSQL (${tempDir})\n`);
} else {
  process.stdout.write('Tests use the PostgreSQL server at DATABASE_URL\n');
}
// The tests run on this very Node (process.execPath), so this line says which one ran them.
process.stdout.write(`Tests run on Node ${process.version} (${process.execPath})\n`);

const tapFile = path.join(os.tmpdir(), `kuvert-test-${process.pid}.tap`);
const durationsFile = path.join(os.tmpdir(), `kuvert-test-${process.pid}.durations`);
const child = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    `--test-concurrency=${process.env.KUVERT_TEST_CONCURRENCY ?? '2'}`,
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tapFile}`,
    '--test-reporter=./scripts/durations-reporter.ts',
    `--test-reporter-destination=${durationsFile}`,
    ...files,
  ],
  {
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'test', KUVERT_TEST_ADMIN_URL: adminUrl, DATABASE_URL: '' },
  },
);
// Interrupted: stop the test processes and the embedded PostgreSQL before leaving.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    child.kill(signal);
    void (async () => {
      await stopEmbedded?.();
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
      process.exit(130);
    })();
  });
}
const code: number = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
if (stopEmbedded) await stopEmbedded();
if (tempDir) rmSync(tempDir, { recursive: true, force: true });

let passed = 0;
let failed = 0;
try {
  const tap = readFileSync(tapFile, 'utf8');
  // The last summary block is the whole run's.
  passed = Number([...tap.matchAll(/^# pass (\d+)$/gm)].at(-1)?.[1] ?? 0);
  failed = Number([...tap.matchAll(/^# fail (\d+)$/gm)].at(-1)?.[1] ?? 0);
  rmSync(tapFile, { force: true });
} catch {
  failed = Math.max(failed, 1);
}
if (code !== 0 && failed === 0) failed = 1;
if (process.env.KUVERT_RECORD_DURATIONS === '1' && !args.length) recordDurations();
rmSync(durationsFile, { force: true });
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(code === 0 && failed === 0 ? 0 : 1);

function recordDurations(): void {
  const seconds: Record<string, number> = {};
  let lines: string[] = [];
  try {
    lines = readFileSync(durationsFile, 'utf8').split('\n');
  } catch {
    return; // the run ended before any file did
  }
  for (const line of lines) {
    if (!line) continue;
    const { file, ms } = JSON.parse(line) as { file: string; ms: number };
    seconds[path.relative(process.cwd(), file)] = Math.round(ms / 100) / 10;
  }
  const sorted = Object.fromEntries(Object.entries(seconds).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(DURATIONS, `${JSON.stringify(sorted, null, 2)}\n`);
  process.stdout.write(`${DURATIONS}: the times of ${Object.keys(sorted).length} files\n`);
}
