import { statSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { ChunkedImport, type ImportChunk } from '../../kernel/chunked-import.ts';
import type { Services } from '../../services.ts';
import { recordAudit } from '../audit/index.ts';
import { applyBusinessBatch } from './business-batch.ts';
import { type BusinessCounts, noBusinessCounts } from './business-line.ts';
import { type BusinessRecord, businessCsvHeader, parseBusinessLine, type RawBusinessLine } from './business-record.ts';
import type { RegistryActor } from './enrolment.ts';
import { detectFormat, type FileTally, readPopulationFile, sha256File } from './population-file.ts';
import { ImportBusyError, type PopulationImportProgress } from './population-import.ts';

export interface BusinessImportOptions {
  file: string;
  /** Lines per transaction (the resume granularity). */
  batchSize?: number;
  /** Years a ceased company's post is kept (config.registry.businessRetentionYears). */
  retentionYears: number;
  now?: () => Date;
  /** Apply a file again even though it was imported completely before. */
  again?: boolean;
  onRejected?: (line: number, reason: string) => void;
  onProgress?: (progress: PopulationImportProgress) => void;
  /** Tests: called after each committed batch with its last line (throwing there interrupts the import). */
  afterBatch?: (lastLine: number) => void;
}

export interface BusinessImportResult {
  importId: string;
  status: 'imported' | 'already_imported';
  resumedAfterLine: number;
  lines: number;
  applied: number;
  rejected: number;
  skipped: number;
  counts: BusinessCounts;
  seconds: number;
}

type Batch = ImportChunk<BusinessRecord, { line: number; reason: string }>;

/**
 * Imports a business file (the CVR register's companies and production units, CSV or NDJSON), streaming, through
 * the kernel's chunked import in one part (a company's units follow it in file order). Each batch is one
 * transaction with its enrolment changes, one audit event and the import's resume line, so a killed import run
 * again on the same file carries on after its last committed batch. Line numbers are the file's lines (a CSV
 * header is line 1). A file imported completely before is not read again (status 'already_imported').
 */
export async function importBusinessFile(
  services: Services,
  options: BusinessImportOptions,
): Promise<BusinessImportResult> {
  const started = performance.now();
  const { db } = services;
  const clock = options.now ?? (() => new Date());
  const totalBytes = statSync(options.file).size;
  const sha256 = await sha256File(options.file);
  const format = await detectFormat(options.file);
  const municipalities = new Set(
    (await db.selectFrom('municipality').select('code').execute()).map((m) => m.code.trim()),
  );
  const finished = await db
    .selectFrom('business_import')
    .selectAll()
    .where('file_sha256', '=', sha256)
    .where('finished_at', 'is not', null)
    .orderBy('finished_at', 'desc')
    .executeTakeFirst();
  if (finished && !options.again) {
    return {
      importId: finished.id,
      status: 'already_imported',
      resumedAfterLine: 0,
      lines: finished.lines_total,
      applied: finished.lines_applied,
      rejected: finished.lines_rejected,
      skipped: 0,
      counts: noBusinessCounts(),
      seconds: (performance.now() - started) / 1000,
    };
  }
  await sql`
    insert into business_import (file_sha256, file_name) values (${sha256}, ${path.basename(options.file)})
    on conflict (file_sha256) where finished_at is null do nothing
  `.execute(db);
  const running = await db
    .selectFrom('business_import')
    .selectAll()
    .where('file_sha256', '=', sha256)
    .where('finished_at', 'is', null)
    .executeTakeFirstOrThrow();
  const importId = running.id;
  const actor: RegistryActor = {
    kind: 'business_register',
    id: importId,
    name: `business import ${running.file_name}`,
  };
  const totals = { lines: running.lines_total, applied: running.lines_applied, rejected: running.lines_rejected };
  const counts = noBusinessCounts();
  let resumeLine = running.resume_line;
  let bytesRead = 0;
  const tally: FileTally = { lines: 0, blank: 0 };
  const progress = () => options.onProgress?.({ bytesRead, totalBytes, ...totals });

  const commit = async (batch: Batch) => {
    const result = await db.transaction().execute(async (trx) => {
      // Only the holder of the resume point may advance it: a second process on the same file stops here.
      const claimed = await sql`
        select 1 from business_import where id = ${importId} and resume_line = ${resumeLine} for update nowait
      `
        .execute(trx)
        .catch((error: { code?: string }) => {
          if (error.code === '55P03') return { rows: [] };
          throw error;
        });
      if (claimed.rows.length === 0) throw new ImportBusyError('this file is being imported by another process');
      const applied = await applyBusinessBatch(trx, batch.items, actor, options.retentionYears, clock());
      const rejected = [...batch.failures, ...applied.rejected].sort((a, b) => a.line - b.line);
      const lines = batch.items.length + batch.failures.length;
      await sql`
        update business_import
        set resume_line = ${batch.lastLine}, lines_total = lines_total + ${lines},
            lines_applied = lines_applied + ${lines - rejected.length},
            lines_rejected = lines_rejected + ${rejected.length}
        where id = ${importId}
      `.execute(trx);
      await recordAudit(trx, {
        actorKind: 'system',
        actorId: `business-import:${importId}`,
        action: 'registry.business_batch',
        subjectType: 'business_import',
        subjectId: importId,
        details: { afterLine: resumeLine, toLine: batch.lastLine, lines, rejected: rejected.length, ...applied.counts },
      });
      return { rejected, lines, counts: applied.counts };
    });
    resumeLine = batch.lastLine;
    totals.lines += result.lines;
    totals.applied += result.lines - result.rejected.length;
    totals.rejected += result.rejected.length;
    for (const key of Object.keys(counts) as (keyof BusinessCounts)[]) counts[key] += result.counts[key];
    for (const { line, reason } of result.rejected) options.onRejected?.(line, reason);
    progress();
    options.afterBatch?.(batch.lastLine);
  };

  // One part: the kernel's engine reads on while the previous batch commits, and skips lines before the resume line.
  const batches = new ChunkedImport<BusinessRecord, Batch['failures'][number]>(
    [running.resume_line],
    options.batchSize ?? 1000,
    commit,
  );
  const today = clock().toISOString().slice(0, 10);
  let line = 0;
  try {
    const onBytes = (bytes: number) => {
      bytesRead = bytes;
    };
    for await (const item of readPopulationFile<RawBusinessLine>(
      options.file,
      format,
      onBytes,
      tally,
      businessCsvHeader,
    )) {
      line = item.line;
      const part = await batches.partFor(null, item.line);
      if (part === null) continue;
      const batch = batches.chunk(part);
      if ('error' in item) batch.failures.push({ line: item.line, reason: item.error });
      else {
        const parsed = parseBusinessLine(item.raw, item.line, municipalities, today);
        if (parsed.ok) batch.items.push(parsed.record);
        else batch.failures.push({ line: parsed.line, reason: parsed.reason });
      }
      await batches.added(part, item.line);
    }
    await batches.finish(line);
  } finally {
    await batches.settle();
  }
  await sql`update business_import set finished_at = now() where id = ${importId} and finished_at is null`.execute(db);
  bytesRead = totalBytes;
  progress();
  return {
    importId,
    status: 'imported',
    resumedAfterLine: running.resume_line,
    ...totals,
    skipped: Math.max(0, tally.lines - totals.lines),
    counts,
    seconds: (performance.now() - started) / 1000,
  };
}
