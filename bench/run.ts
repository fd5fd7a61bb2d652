/**
 * Benchmarks: `npm run bench -- NAME [--key value ...]` runs bench/NAME.ts and writes bench/results/NAME.json.
 * They run against the PostgreSQL server at DATABASE_URL (default: this machine's, 127.0.0.1:5432), in a fresh
 * database that is dropped afterwards.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [name, ...rest] = process.argv.slice(2);
const available = readdirSync(path.dirname(new URL(import.meta.url).pathname))
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace('.bench.ts', ''));
if (!name || !available.includes(name)) {
  console.error(`Usage: npm run bench -- <name> [--option value]\nBenchmarks: ${available.join(', ')}`);
  process.exit(2);
}
const options: Record<string, string> = {};
for (let i = 0; i < rest.length; i += 2) options[(rest[i] ?? '').replace(/^--/, '')] = rest[i + 1] ?? '';
process.env.KUVERT_TEST_ADMIN_URL ||= process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
process.env.DATABASE_URL = '';

const module = (await import(`./${name}.bench.ts`)) as {
  run(options: Record<string, string>): Promise<Record<string, unknown>>;
};
const started = new Date();
const results = await module.run(options);
const report = {
  benchmark: name,
  startedAt: started.toISOString(),
  node: process.version,
  machine: { cpus: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30) },
  options,
  results,
};
mkdirSync(path.join('bench', 'results'), { recursive: true });
const file = path.join('bench', 'results', `${name}.json`);
writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
console.log(JSON.stringify(report, null, 2));
console.log(`written to ${file}`);
process.exit(0);
