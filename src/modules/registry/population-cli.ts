import { existsSync, statSync } from 'node:fs';
import { loadMunicipalities } from '../../db/municipalities.ts';
import type { Services } from '../../services.ts';
import { PopulationFileError, populationCsvHeader } from './population-file.ts';
import { ImportBusyError, importPopulationFile, type PopulationImportProgress } from './population-import.ts';

export const populationImportUsage = `Usage: kuvert import population FILE [--again] [--batch-size N]

Applies a population file (CSV or NDJSON) to the registry: births, move-ins, address changes, emigrations and
deaths, with automatic enrolment of everyone 15 or older. CSV header (address lines separated by "|"):
  ${populationCsvHeader.join(',')}
NDJSON: one object per line with the same keys (address_lines an array). Events: birth, move_in, address_change,
emigration, death ("move-in" and "address change" are accepted too).

Invalid lines are reported on stderr as "line N: reason"; the valid ones are applied. An interrupted import of the
same file resumes after its last committed batch; a file imported completely before is skipped (--again applies
it again, which changes nothing that the file does not change).

Exit codes: 0 every line applied (or nothing to do), 1 some lines rejected (or the import failed),
            2 usage error (no such file, not a population file).
`;

export interface ImportArgs {
  /** What the file holds: people (population register) or businesses (CVR register). */
  kind: 'population' | 'businesses';
  file: string;
  again: boolean;
  batchSize: number | undefined;
}

/** Reads `population|businesses FILE [--again] [--batch-size N]`; a string is a usage error to print. */
export function parseImportArgs(argv: string[]): ImportArgs | string {
  const [what, ...rest] = argv;
  if (what !== 'population' && what !== 'businesses') {
    return 'kuvert import: say what to import: "kuvert import population FILE" or "kuvert import businesses FILE"';
  }
  let file: string | undefined;
  let again = false;
  let batchSize: number | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    if (arg === '--again') again = true;
    else if (arg === '--batch-size') {
      batchSize = Number(rest[++i]);
      if (!Number.isInteger(batchSize) || batchSize < 1) return 'kuvert import: --batch-size needs a positive number';
    } else if (arg.startsWith('--')) return `kuvert import: unknown option ${arg}`;
    else if (file === undefined) file = arg;
    else return 'kuvert import: give one file';
  }
  if (!file) return 'kuvert import: give the file to import';
  if (!existsSync(file) || !statSync(file).isFile()) return `kuvert import: no such file: ${file}`;
  return { kind: what, file, again, batchSize };
}

/** Runs the import for the CLI: a progress bar on a terminal, rejected lines and a summary on stderr; the exit code. */
export async function runPopulationImport(
  services: Services,
  args: ImportArgs,
  stderr: NodeJS.WriteStream = process.stderr,
): Promise<number> {
  const bar = stderr.isTTY ? progressBar(stderr) : null;
  // Lines are checked against the 98 municipality codes: make sure the reference data is there (adds nothing if so).
  await loadMunicipalities(services.db);
  try {
    const result = await importPopulationFile(services, {
      file: args.file,
      again: args.again,
      batchSize: args.batchSize,
      onRejected: (line, reason) => {
        bar?.clear();
        stderr.write(`line ${line}: ${reason}\n`);
      },
      onProgress: (progress) => bar?.update(progress),
    });
    bar?.clear();
    const n = (value: number) => value.toLocaleString('en-GB');
    if (result.status === 'already_imported') {
      stderr.write(
        `${args.file} was imported completely before (${n(result.lines)} lines, ${n(result.applied)} applied, ` +
          `${n(result.rejected)} rejected); nothing to do. Use --again to apply it again.\n`,
      );
      return 0;
    }
    const resumed = result.resumedAfterLine ? `, resumed after line ${n(result.resumedAfterLine)}` : '';
    const rate = result.seconds > 0 ? Math.round(result.lines / result.seconds) : 0;
    stderr.write(
      `Imported ${args.file}: ${n(result.lines + result.skipped)} lines, ${n(result.applied)} applied, ` +
        `${n(result.rejected)} rejected${result.skipped ? `, ${n(result.skipped)} blank` : ''}` +
        ` (${result.counts.created} created, ${result.counts.enrolled} enrolled, ${result.counts.reopened} reopened,` +
        ` ${result.counts.closed} closed, ${result.counts.updated} updated; ${result.seconds.toFixed(1)} s` +
        `${resumed}${resumed ? '' : `, ${n(rate)} lines/s`}).\n`,
    );
    return result.rejected > 0 ? 1 : 0;
  } catch (error) {
    bar?.clear();
    if (error instanceof PopulationFileError) {
      stderr.write(`kuvert import: ${args.file}: ${error.message}\n`);
      return 2;
    }
    if (error instanceof ImportBusyError) {
      stderr.write(`kuvert import: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

/** A one-line progress bar, redrawn at most five times a second. */
export function progressBar(stream: NodeJS.WriteStream) {
  const started = performance.now();
  let last = 0;
  let shown = false;
  return {
    update(p: PopulationImportProgress) {
      const now = performance.now();
      if (now - last < 200 && p.bytesRead < p.totalBytes) return;
      last = now;
      const share = p.totalBytes ? Math.min(1, p.bytesRead / p.totalBytes) : 1;
      const width = 30;
      const filled = Math.round(share * width);
      const rate = Math.round(p.lines / Math.max(0.001, (now - started) / 1000));
      stream.write(
        `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(share * 100)).padStart(3)}% ` +
          `${p.lines.toLocaleString('en-GB')} lines, ${p.rejected.toLocaleString('en-GB')} rejected, ` +
          `${rate.toLocaleString('en-GB')} lines/s\x1b[K`,
      );
      shown = true;
    },
    clear() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
