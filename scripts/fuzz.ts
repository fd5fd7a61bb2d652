/**
 * The full fuzz run (issue 14): test/fuzz/fuzz.test.ts with at least 10,000 generated inputs, through the test runner
 * (scripts/test.ts: the machine's PostgreSQL at DATABASE_URL, else an embedded one). `npm test` runs a small sample
 * of the same suite.
 *   npm run fuzz                                   10,000 inputs, a random seed (printed)
 *   KUVERT_FUZZ_RUNS=50000 npm run fuzz            more
 *   KUVERT_FUZZ_SEED=123 npm run fuzz              the same inputs again
 *   KUVERT_FUZZ_ONLY=json,memo npm run fuzz        only some paths (json, memo, ndjson, csv, form)
 */
import { spawn } from 'node:child_process';

const env = {
  ...process.env,
  KUVERT_FUZZ_RUNS: process.env.KUVERT_FUZZ_RUNS ?? '10000',
  KUVERT_TEST_CONCURRENCY: '1',
};
const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/test.ts', 'test/fuzz/fuzz.test.ts'], {
  stdio: 'inherit',
  env,
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 1));
