import type { Services } from '../../services.ts';
import { importBusinessFile } from './business-import.ts';
import { businessCsvHeader } from './business-record.ts';
import { type ImportArgs, populationImportUsage, progressBar } from './population-cli.ts';
import { PopulationFileError } from './population-file.ts';
import { ImportBusyError } from './population-import.ts';

export const businessImportUsage = `Usage: kuvert import businesses FILE [--again] [--batch-size N]

Applies a business file (the CVR register's companies and production units, CSV or NDJSON) to the registry.
CSV header (address lines separated by "|"):
  ${businessCsvHeader.join(',')}
NDJSON: one object per line with the same keys (address_lines an array). A line with an empty p_number is a
company; a line with a p_number (10 digits) is a production unit of the company cvr and must come after it.
status: NORMAL/AKTIV/active (also UNDER KONKURS, UNDER FRIVILLIG LIKVIDATION: the company still exists) or
OPHØRT/OPLØST/TVANGSOPLØST/ceased, with ceased_date (YYYY-MM-DD) exactly when ceased.
Every active company is enrolled; a ceased company's mailbox is closed and keeps its post until its ceased date
plus KUVERT_BUSINESS_RETENTION_YEARS (default 5); a company active again is reopened.

Invalid lines are reported on stderr as "line N: reason", N the file's line (the CSV header is line 1). An
interrupted import of the same file resumes after its last committed batch; a file imported completely before is
skipped (--again applies it again, which changes nothing that the file does not change).

Exit codes: 0 every line applied (or nothing to do), 1 some lines rejected (or the import failed),
            2 usage error (no such file, not a business file).
`;

/** `kuvert import --help`: both kinds. */
export const importUsage = `${populationImportUsage}\n${businessImportUsage}`;

/** Runs the business import for the CLI: progress on a terminal, rejected lines and a summary on stderr. */
export async function runBusinessImport(
  services: Services,
  args: ImportArgs,
  stderr: NodeJS.WriteStream = process.stderr,
): Promise<number> {
  const bar = stderr.isTTY ? progressBar(stderr) : null;
  try {
    const result = await importBusinessFile(services, {
      file: args.file,
      again: args.again,
      batchSize: args.batchSize,
      retentionYears: services.config.registry.businessRetentionYears,
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
    const c = result.counts;
    const resumed = result.resumedAfterLine ? `, resumed after line ${n(result.resumedAfterLine)}` : '';
    stderr.write(
      `Imported ${args.file}: ${n(result.lines + result.skipped)} lines, ${n(result.applied)} applied, ` +
        `${n(result.rejected)} rejected${result.skipped ? `, ${n(result.skipped)} blank` : ''}` +
        ` (${c.created} created, ${c.enrolled} enrolled, ${c.reopened} reopened, ${c.closed} closed,` +
        ` ${c.updated} updated, ${c.units} production units added or changed; ${result.seconds.toFixed(1)} s${resumed}).\n`,
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
