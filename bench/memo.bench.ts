/**
 * MeMo parsing and schema validation, without a database: the latency of one message through `parseMemo` (what
 * `POST /api/v1/messages` with application/xml does) and the per-message cost of `parseMemoBatch` (what a tar batch
 * does). The validator (libxml2 in a worker thread) stays warm between calls; starting xmllint per message took
 * 70–150 ms. Options: --singles 200 --batch 200 --rounds 5 --file MeMo_Full_Example.v11.xml (in test/fixtures/memo)
 */
import { readFileSync, statSync } from 'node:fs';
import { MemoError, parseMemo, parseMemoBatch, stopMemoValidator } from '../src/modules/messages/memo/index.ts';

const FIXTURES = new URL('../test/fixtures/memo/', import.meta.url);

const percentile = (sorted: number[], p: number) =>
  Number((sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0).toFixed(2));

export async function run(options: Record<string, string>) {
  const singles = Number(options.singles ?? 200);
  const batchSize = Number(options.batch ?? 200);
  const rounds = Number(options.rounds ?? 5);
  const name = options.file ?? 'MeMo_Full_Example.v11.xml';
  const file = new URL(name, FIXTURES);
  const xml = readFileSync(file);
  try {
    const t0 = performance.now();
    const first = await parseMemo(xml); // cold: schema files read, validator thread started
    const coldMs = performance.now() - t0;
    if (first instanceof MemoError) throw first;

    const latencies: number[] = [];
    for (let i = 0; i < singles; i++) {
      const start = performance.now();
      await parseMemo(xml);
      latencies.push(performance.now() - start);
    }
    latencies.sort((a, b) => a - b);

    const perMessage: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const start = performance.now();
      const results = await parseMemoBatch(Array.from({ length: batchSize }, () => xml));
      perMessage.push((performance.now() - start) / batchSize);
      const failed = results.filter((x) => x instanceof MemoError).length;
      if (failed > 0) throw new Error(`${failed} of ${batchSize} messages failed to parse`);
    }
    perMessage.sort((a, b) => a - b);
    const batchMedian = perMessage[Math.floor(perMessage.length / 2)] ?? 0;
    const result = {
      file: name,
      bytes: statSync(file).size,
      coldFirstMessageMs: Number(coldMs.toFixed(1)),
      singleMessageMs: {
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        p99: percentile(latencies, 99),
      },
      batch: {
        size: batchSize,
        rounds,
        msPerMessage: Number(batchMedian.toFixed(3)),
        messagesPerSecond: Math.round(1000 / batchMedian),
      },
    };
    console.error(
      `parseMemo ${name}: p50 ${result.singleMessageMs.p50} ms, p99 ${result.singleMessageMs.p99} ms; ` +
        `parseMemoBatch: ${result.batch.msPerMessage} ms per message (${result.batch.messagesPerSecond}/s)`,
    );
    return result;
  } finally {
    await stopMemoValidator();
  }
}
