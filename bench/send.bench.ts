/**
 * Sending throughput: N letters (one PDF each) posted to POST /api/v1/messages by C concurrent clients, then the
 * time until the worker has made all of them available. Options: --letters 2000 --concurrency 16
 */
import { createPerson, createSender, letterBody } from '../test/support/fixtures.ts';
import { startTestKuvert } from '../test/support/kuvert.ts';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export async function run(options: Record<string, string>) {
  const letters = Number(options.letters ?? 2000);
  const concurrency = Number(options.concurrency ?? 16);
  // The benchmark measures sending, not the per-key rate limit (6000/min by default), so that is lifted here.
  const kuvert = await startTestKuvert({ env: { KUVERT_RATE_LIMIT_API: '10000000/min' } });
  try {
    const sender = await createSender(kuvert.services.db, 'Benchmark Kommune');
    await createPerson(kuvert.services.db, '1503851234', 'Anna Jensen');
    const body = JSON.stringify(letterBody('1503851234'));
    const latencies: number[] = [];
    let next = 0;
    let failures = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < letters) {
          next++;
          const t0 = performance.now();
          const response = await fetch(`${kuvert.url}/api/v1/messages`, {
            method: 'POST',
            headers: { authorization: `Bearer ${sender.apiKey}`, 'content-type': 'application/json' },
            body,
          });
          await response.arrayBuffer();
          if (response.status !== 201) failures++;
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const accepted = performance.now() - started;
    const db = kuvert.services.db;
    for (;;) {
      const row = await db
        .selectFrom('message')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('status', '=', 'received')
        .executeTakeFirstOrThrow();
      if (Number(row.n) === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const delivered = performance.now() - started;
    latencies.sort((a, b) => a - b);
    return {
      letters,
      concurrency,
      failures,
      acceptedPerSecond: Math.round((letters / accepted) * 1000),
      deliveredPerSecond: Math.round((letters / delivered) * 1000),
      latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99) },
    };
  } finally {
    await kuvert.stop();
  }
}
