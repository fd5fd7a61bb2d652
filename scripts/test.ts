/**
 * Runs the whole test suite with node's test runner against a real PostgreSQL: the machine's server when
 * DATABASE_URL is set (tests create and drop their own databases on it), else an embedded PostgreSQL started
 * here for the run. Prints "N passed, N failed" last.
 *   npm test                      all tests
 *   npm test -- src/modules/messages/api.test.ts  only the named files
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
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

const args = process.argv.slice(2);
const files = args.length ? args : [...findTests('src'), ...findTests('test')].sort();
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
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(code === 0 && failed === 0 ? 0 : 1);
