/**
 * Population import throughput: a reproducible CSV of N lines (seeded; valid CPR numbers; mostly move-ins, with
 * births, address changes, emigrations, deaths and returns), imported into a fresh database through the same code
 * as `kuvert import population FILE`. Options: --lines 1000000 --batch 10000 --parts 3 --seed 1
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import { loadMunicipalities } from '../src/db/municipalities.ts';
import { importPopulationFile } from '../src/modules/registry/population-import.ts';
import { writeSamplePopulation } from '../src/modules/registry/population-sample.ts';
import { createServices } from '../src/services.ts';
import { createTestDatabase } from '../test/support/database.ts';

export async function run(options: Record<string, string>) {
  const lines = Number(options.lines ?? 1_000_000);
  const batchSize = Number(options.batch ?? 10_000);
  const seed = Number(options.seed ?? 1);
  const parts = Number(options.parts ?? 3);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kuvert-bench-import-'));
  const file = path.join(dir, 'population.csv');
  const database = await createTestDatabase();
  try {
    const t0 = performance.now();
    await writeSamplePopulation(file, lines, { seed });
    const generatedSeconds = (performance.now() - t0) / 1000;
    await loadMunicipalities(database.db);
    const services = createServices(loadConfig({ NODE_ENV: 'test', KUVERT_DATA_DIR: dir }), database.db, database.pool);
    let lastReport = 0;
    const result = await importPopulationFile(services, {
      file,
      batchSize,
      parts,
      onProgress: (p) => {
        if (process.stderr.isTTY && p.lines - lastReport >= 100_000) {
          lastReport = p.lines;
          process.stderr.write(`  ${p.lines} lines\n`);
        }
      },
    });
    const people = await database.db
      .selectFrom('recipient')
      .select(['enrolment', (eb) => eb.fn.countAll<string>().as('n')])
      .groupBy('enrolment')
      .execute();
    const history = await database.db
      .selectFrom('enrolment_change')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    return {
      lines,
      batchSize,
      parts,
      fileMiB: Math.round((statSync(file).size / 2 ** 20) * 10) / 10,
      generatedSeconds: Math.round(generatedSeconds * 10) / 10,
      importSeconds: Math.round(result.seconds * 10) / 10,
      linesPerSecond: Math.round(lines / result.seconds),
      applied: result.applied,
      rejected: result.rejected,
      changes: result.counts,
      people: Object.fromEntries(people.map((p) => [p.enrolment, Number(p.n)])),
      historyRows: Number(history.n),
    };
  } finally {
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}
