/**
 * The fuzz suite (issue 14): generated inputs through every intake path of a real Kuvert — JSON letters, MeMo
 * letters, NDJSON batches, CSV mailings and web forms — each followed by the invariants of harness.ts (no 5xx, no
 * partial rows, no orphan files, batches finish and add up). The committed corpus (test/fuzz/corpus/) is replayed
 * first. `npm test` runs a bounded sample; `npm run fuzz` the full run (≥ 10,000 inputs).
 *   KUVERT_FUZZ_RUNS   total generated inputs, spread over the paths (default 200)
 *   KUVERT_FUZZ_SEED   the fast-check seed (default: random, printed)
 *   KUVERT_FUZZ_ONLY   comma-separated paths: json,memo,ndjson,csv,form
 *   KUVERT_FUZZ_PATH   with a seed: start at that run (fast-check's replay path)
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type fc from 'fast-check';
import { describeFailures, fuzzPath } from './engine.ts';
import { type FuzzKuvert, startFuzzKuvert } from './harness.ts';
import { csvInput, type FuzzInput, formInput, jsonInput, memoInput, ndjsonInput, type PathName } from './inputs.ts';

const total = Number(process.env.KUVERT_FUZZ_RUNS ?? 200);
const seed = process.env.KUVERT_FUZZ_SEED ? Number(process.env.KUVERT_FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const only = process.env.KUVERT_FUZZ_ONLY?.split(',').map((s) => s.trim());
const replayPath = process.env.KUVERT_FUZZ_PATH;
/** Share of the inputs per path: batches are slow (the worker processes each), forms and letters are quick. */
const SHARE: Record<PathName, number> = { json: 0.3, memo: 0.2, ndjson: 0.07, csv: 0.06, form: 0.37 };

process.stdout.write(`fuzz: seed ${seed}, ${total} generated inputs (replay with KUVERT_FUZZ_SEED=${seed})\n`);

let fk: FuzzKuvert;
before(async () => {
  fk = await startFuzzKuvert();
});
after(async () => fk?.stop());

const arbitraries: Record<PathName, () => fc.Arbitrary<FuzzInput>> = {
  json: () => jsonInput,
  memo: () => memoInput(fk.memoBases),
  ndjson: () => ndjsonInput,
  csv: () => csvInput,
  form: () => formInput,
};

describe('fuzzing every intake path of a real Kuvert', () => {
  for (const path of Object.keys(SHARE) as PathName[]) {
    const runs = Math.max(1, Math.round(total * SHARE[path]));
    test(`${path}: ${runs} generated inputs (and the corpus): no 5xx, no partial rows, no orphan files`, {
      skip: only && !only.includes(path) ? 'not in KUVERT_FUZZ_ONLY' : false,
    }, async () => {
      const report = await fuzzPath(fk, path, arbitraries[path](), {
        runs,
        seed,
        ...(replayPath ? { replayPath } : {}),
        writeCorpus: process.env.KUVERT_FUZZ_WRITE_CORPUS !== '0',
      });
      process.stdout.write(`fuzz: ${path}: ${report.sent} inputs sent\n`);
      assert.equal(report.failures.length, 0, describeFailures(report));
    });
  }
});
