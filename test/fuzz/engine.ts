/**
 * Runs one intake path's fuzzing: first the committed corpus (inputs that once failed), then `runs` fresh inputs
 * from fast-check with a known seed. It does not stop at the first failure: every input is checked, failures are
 * grouped by signature (what broke, e.g. "json: 500 internal_error"), and the smallest input of each new signature
 * is written to test/fuzz/corpus/ so the next run replays it first.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { type FuzzKuvert, send, type Violation } from './harness.ts';
import type { FuzzInput, PathName } from './inputs.ts';

const CORPUS = new URL('./corpus/', import.meta.url);

export interface CorpusEntry {
  path: PathName;
  signature: string;
  detail: string;
  seed: number | null;
  run: number | null;
  desc: string;
  input: FuzzInput;
}

export interface Failure {
  signature: string;
  count: number;
  /** The smallest failing input seen, and where it came from (a corpus file or a fast-check run). */
  input: FuzzInput;
  detail: string;
  origin: string;
}

export interface PathReport {
  path: PathName;
  sent: number;
  seed: number;
  failures: Failure[];
  written: string[];
}

const size = (input: FuzzInput) => JSON.stringify(input).length;

export function corpusEntries(path: PathName): { file: string; entry: CorpusEntry }[] {
  if (!existsSync(CORPUS)) return [];
  return readdirSync(CORPUS)
    .filter((f) => f.startsWith(`${path}-`) && f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, entry: JSON.parse(readFileSync(new URL(file, CORPUS), 'utf8')) as CorpusEntry }));
}

export async function fuzzPath(
  fk: FuzzKuvert,
  path: PathName,
  arbitrary: fc.Arbitrary<FuzzInput>,
  options: { runs: number; seed: number; replayPath?: string; writeCorpus: boolean },
): Promise<PathReport> {
  const failures = new Map<string, Failure>();
  const note = (violations: Violation[], input: FuzzInput, origin: string) => {
    for (const v of violations) {
      const seen = failures.get(v.signature);
      if (!seen) failures.set(v.signature, { signature: v.signature, count: 1, input, detail: v.detail, origin });
      else {
        seen.count++;
        if (size(input) < size(seen.input)) Object.assign(seen, { input, detail: v.detail, origin });
      }
    }
  };

  let sent = 0;
  const replayed = corpusEntries(path);
  for (const { file, entry } of replayed) {
    note(await send(fk, entry.input), entry.input, `corpus ${file}`);
    sent++;
  }
  const fromCorpus = new Set(failures.keys());

  let run = 0;
  await fc.check(
    fc.asyncProperty(arbitrary, async (input) => {
      run++;
      note(await send(fk, input), input, `seed ${options.seed} run ${run - 1}`);
      sent++;
      return true;
    }),
    { seed: options.seed, numRuns: options.runs, ...(options.replayPath ? { path: options.replayPath } : {}) },
  );

  const written: string[] = [];
  if (options.writeCorpus) {
    mkdirSync(CORPUS, { recursive: true });
    for (const failure of failures.values()) {
      if (fromCorpus.has(failure.signature) || failure.origin.startsWith('corpus')) continue;
      const hash = createHash('sha256').update(JSON.stringify(failure.input)).digest('hex').slice(0, 12);
      const file = `${path}-${hash}.json`;
      const match = /^seed (\d+) run (\d+)$/.exec(failure.origin);
      const entry: CorpusEntry = {
        path,
        signature: failure.signature,
        detail: failure.detail,
        seed: match ? Number(match[1]) : null,
        run: match ? Number(match[2]) : null,
        desc: failure.input.desc,
        input: failure.input,
      };
      writeFileSync(new URL(file, CORPUS), `${JSON.stringify(entry, null, 2)}\n`);
      written.push(file);
    }
  }
  return { path, sent, seed: options.seed, failures: [...failures.values()], written };
}

/** A readable account of a path's failures, with what to run to see each again. */
export function describeFailures(report: PathReport): string {
  const lines = [
    `${report.path}: ${report.failures.length} kind(s) of failure in ${report.sent} inputs (seed ${report.seed})`,
  ];
  for (const f of report.failures) {
    lines.push(`  ✗ ${f.signature} — ${f.count}×`);
    lines.push(`      input: ${f.input.desc.slice(0, 400)}`);
    lines.push(`      saw:   ${f.detail.slice(0, 300)}`);
    const run = /^seed (\d+) run (\d+)$/.exec(f.origin);
    lines.push(
      run
        ? `      again: KUVERT_FUZZ_SEED=${run[1]} KUVERT_FUZZ_PATH=${run[2]} KUVERT_FUZZ_ONLY=${report.path} KUVERT_FUZZ_RUNS=1 npm run fuzz`
        : `      again: replayed from test/fuzz/${f.origin.replace('corpus ', 'corpus/')} on every run`,
    );
  }
  if (report.written.length)
    lines.push(`  corpus: wrote ${report.written.map((w) => `test/fuzz/corpus/${w}`).join(', ')}`);
  return lines.join('\n');
}
