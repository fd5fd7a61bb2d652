import { statSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { ChunkedImport, type ImportChunk } from '../../kernel/chunked-import.ts';
import type { Services } from '../../services.ts';
import { recordAudit } from '../audit/index.ts';
import type { RegistryActor } from './enrolment.ts';
import { applyPopulationBatch, type BatchCounts } from './population-batch.ts';
import { detectFormat, type FileLine, type FileTally, readPopulationFile, sha256File } from './population-file.ts';
import { type PopulationRecord, parsePopulationLine } from './population-record.ts';

export interface PopulationImportOptions {
  file: string;
  /** Lines per transaction and part (the resume granularity). */
  batchSize?: number;
  /** Parts applied in parallel, each on its own connection; people are split between them by CPR. */
  parts?: number;
  /** The clock the rules use (age 15, delete_after); new Date() per batch by default. */
  now?: () => Date;
  /** Apply a file again even though it was imported completely before. */
  again?: boolean;
  /** Rejected lines, in line order. */
  onRejected?: (line: number, reason: string) => void;
  onProgress?: (progress: PopulationImportProgress) => void;
}

export interface PopulationImportProgress {
  bytesRead: number;
  totalBytes: number;
  lines: number;
  applied: number;
  rejected: number;
}

export interface PopulationImportResult {
  importId: string;
  /** 'already_imported': the same file was imported completely before, nothing was done (see `again`). */
  status: 'imported' | 'already_imported';
  /** The line up to which an interrupted import had been applied (0 unless it was resumed). */
  resumedAfterLine: number;
  /** Totals over the whole import, including lines applied before a resume. */
  lines: number;
  applied: number;
  rejected: number;
  /** Blank lines of the file (neither applied nor rejected): lines + skipped is every line after a CSV header. */
  skipped: number;
  counts: BatchCounts;
  seconds: number;
}

/** A batch of one part: its valid records (items) and its rejected lines (failures). */
type Batch = ImportChunk<PopulationRecord, { line: number; reason: string }>;

export class ImportBusyError extends Error {}

const noCounts = (): BatchCounts => ({ created: 0, updated: 0, enrolled: 0, reopened: 0, closed: 0 });

/**
 * Imports a population file (CSV or NDJSON), streaming. Valid lines are applied set-based in batches; people are
 * split by CPR into parts applied in parallel (a person's lines stay in file order within their part). Each batch
 * is one transaction with its enrolment history, one audit event summarising it, and its part's resume point — so
 * a killed import, run again on the same file, carries on after the last committed batches. Re-applying a line
 * changes nothing. Invalid lines are reported through onRejected once their batch has committed.
 */
export async function importPopulationFile(
  services: Services,
  options: PopulationImportOptions,
): Promise<PopulationImportResult> {
  const started = performance.now();
  const { db } = services;
  const batchSize = options.batchSize ?? 10_000;
  const clock = options.now ?? (() => new Date());
  const totalBytes = statSync(options.file).size;
  const sha256 = await sha256File(options.file);
  const format = await detectFormat(options.file);
  const municipalities = new Set(
    (await db.selectFrom('municipality').select('code').execute()).map((m) => m.code.trim()),
  );

  const finished = await db
    .selectFrom('population_import')
    .selectAll()
    .where('file_sha256', '=', sha256)
    .where('finished_at', 'is not', null)
    .orderBy('finished_at', 'desc')
    .executeTakeFirst();
  const claim = await claimImport(db, sha256, path.basename(options.file), options.parts ?? 3, {
    start: !finished || options.again === true,
  });
  if (!claim) {
    const done = finished!;
    return {
      importId: done.id,
      status: 'already_imported',
      resumedAfterLine: done.resume_line,
      lines: done.lines_total,
      applied: done.lines_applied,
      rejected: done.lines_rejected,
      skipped: 0,
      counts: noCounts(),
      seconds: (performance.now() - started) / 1000,
    };
  }
  const { row: running, resume } = claim;
  const parts = resume.length;
  if (parts === 0) throw new Error(`population import ${running.id} has no parts`);
  const importId = running.id;
  const actor: RegistryActor = { kind: 'population', id: importId, name: `population import ${running.file_name}` };
  const totals = { lines: running.lines_total, applied: running.lines_applied, rejected: running.lines_rejected };
  const counts = noCounts();
  const committed = [...resume];
  let bytesRead = 0;
  const tally: FileTally = { lines: 0, blank: 0 };
  const progress = () => options.onProgress?.({ bytesRead, totalBytes, ...totals });
  // Rejections are reported in line order: held back until every part has committed past them.
  let unreported: { line: number; reason: string }[] = [];
  const report = (all = false) => {
    const upTo = all ? Number.POSITIVE_INFINITY : Math.min(...committed);
    unreported.sort((a, b) => a.line - b.line);
    const due = unreported.filter((r) => r.line <= upTo);
    unreported = unreported.filter((r) => r.line > upTo);
    for (const { line, reason } of due) options.onRejected?.(line, reason);
  };

  await withConnections(db, parts, async (connections) => {
    const statistics = await planStatistics(db);
    const commit = async (batch: Batch) => {
      const part = batch.part;
      const conn = connections[part] as Db;
      const result = await retryOnDeadlock(() =>
        conn.transaction().execute(async (trx) => {
          // Only the holder of a part's resume point may advance it: a second process on the same file stops here.
          const claimed = await sql`
            select 1 from population_import_part
            where import_id = ${importId} and part = ${part} and resume_line = ${committed[part]}
            for update nowait
          `
            .execute(trx)
            .catch((error: { code?: string }) => {
              if (error.code === '55P03') return { rows: [] }; // lock_not_available
              throw error;
            });
          if (claimed.rows.length === 0) throw new ImportBusyError('this file is being imported by another process');
          // Not waiting for the commit to reach the disk is safe here: a batch lost in a server crash is lost
          // together with its resume point, and the re-run applies it again.
          await sql`set local synchronous_commit = off`.execute(trx);
          const applied = await applyPopulationBatch(
            trx,
            batch.items,
            actor,
            clock(),
            services.config.registry.deathRetentionYears,
          );
          const rejected = [...batch.failures, ...applied.rejected];
          const lines = batch.items.length + batch.failures.length;
          await sql`
            update population_import_part set resume_line = ${batch.lastLine}
            where import_id = ${importId} and part = ${part}
          `.execute(trx);
          // Every line up to here is done in all parts once this commits.
          const allDone = Math.min(batch.lastLine, ...committed.filter((_, i) => i !== part));
          await sql`
            update population_import
            set resume_line = greatest(resume_line, ${allDone}), lines_total = lines_total + ${lines},
                lines_applied = lines_applied + ${lines - rejected.length},
                lines_rejected = lines_rejected + ${rejected.length}
            where id = ${importId}
          `.execute(trx);
          // Last, so the audit chain's lock is held only for the moment it takes.
          await recordAudit(trx, {
            actorKind: 'system',
            actorId: `population-import:${importId}`,
            action: 'registry.population_batch',
            subjectType: 'population_import',
            subjectId: importId,
            details: {
              part,
              afterLine: committed[part],
              toLine: batch.lastLine,
              lines,
              rejected: rejected.length,
              ...applied.counts,
            },
          });
          return { rejected, lines, counts: applied.counts };
        }),
      );
      committed[part] = batch.lastLine;
      totals.lines += result.lines;
      totals.applied += result.lines - result.rejected.length;
      totals.rejected += result.rejected.length;
      for (const key of Object.keys(counts) as (keyof BatchCounts)[]) counts[key] += result.counts[key];
      unreported.push(...result.rejected);
      report();
      progress();
      await statistics.grew(result.counts.created);
    };

    // Reading and validating goes on while the database applies the previous batches.
    const batches = new ChunkedImport<Batch['items'][number], Batch['failures'][number]>(resume, batchSize, commit);
    const today = clock().toISOString().slice(0, 10);
    let line = 0;
    try {
      const onBytes = (bytes: number) => {
        bytesRead = bytes;
      };
      for await (const item of readPopulationFile(options.file, format, onBytes, tally)) {
        line = item.line;
        const part = await batches.partFor(cprOf(item), item.line);
        if (part === null) continue;
        const batch = batches.chunk(part);
        if ('error' in item) batch.failures.push({ line: item.line, reason: item.error });
        else {
          const parsed = parsePopulationLine(item.raw, item.line, municipalities, today);
          if (parsed.ok) batch.items.push(parsed.record);
          else batch.failures.push({ line: parsed.line, reason: parsed.reason });
        }
        await batches.added(part, item.line);
      }
      await batches.finish(line);
    } finally {
      // On an error, let the other parts' transactions end before their connections go back to the pool.
      await batches.settle();
    }
    report(true);
    for (const conn of connections) await sql`drop table if exists pg_temp.population_stage`.execute(conn);
  });
  await sql`
    update population_import
    set finished_at = now(),
        resume_line = (select max(resume_line) from population_import_part where import_id = ${importId})
    where id = ${importId} and finished_at is null
  `.execute(db);
  bytesRead = totalBytes;
  progress();
  return {
    importId,
    status: 'imported',
    resumedAfterLine: running.resume_line,
    ...totals,
    // The file is read whole on every run (lines before a resume point included), so this counts them all.
    skipped: Math.max(0, tally.lines - totals.lines),
    counts,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Which part a line belongs to: by the digits of its CPR number, so all of a person's lines go to one part. */
function cprOf(item: FileLine): string {
  return 'raw' in item ? String(item.raw.cpr ?? '').replace(/\D/g, '') : '';
}

/** The unfinished import of this file (to resume) with its parts' resume lines, or a new one when allowed. */
async function claimImport(db: Db, sha256: string, fileName: string, parts: number, options: { start: boolean }) {
  const unfinished = async () => {
    const row = await db
      .selectFrom('population_import')
      .selectAll()
      .where('file_sha256', '=', sha256)
      .where('finished_at', 'is', null)
      .executeTakeFirst();
    if (!row) return null;
    const stored = await sql<{ part: number; resume_line: number }>`
      select part, resume_line from population_import_part where import_id = ${row.id} order by part
    `.execute(db);
    return { row, resume: stored.rows.map((p) => p.resume_line) };
  };
  const existing = await unfinished();
  if (existing || !options.start) return existing;
  await db.transaction().execute(async (trx) => {
    const created = await sql<{ id: string }>`
      insert into population_import (file_sha256, file_name, parts) values (${sha256}, ${fileName}, ${parts})
      on conflict (file_sha256) where finished_at is null do nothing
      returning id
    `.execute(trx);
    const id = created.rows[0]?.id;
    if (id) {
      await sql`
        insert into population_import_part (import_id, part) select ${id}, generate_series(0, ${parts - 1})
      `.execute(trx);
    }
  });
  return unfinished();
}

/** Runs `work` with `count` connections of the pool held for it (the import's parts). */
async function withConnections<T>(db: Db, count: number, work: (connections: Db[]) => Promise<T>): Promise<T> {
  const held: Db[] = [];
  const hold = (): Promise<T> =>
    held.length === count
      ? work(held)
      : db.connection().execute((conn) => {
          held.push(conn);
          return hold();
        });
  return hold();
}

/** A batch that deadlocks with another writer (e.g. the age rule, or a caseworker) is rolled back; try it again. */
async function retryOnDeadlock<T>(work: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt >= attempts || (code !== '40P01' && code !== '40001')) throw error;
    }
  }
}

/**
 * Keeps the planner's idea of the recipient table's size current while an import grows it (autovacuum may be
 * slow or off): it is analysed each time it has doubled, so the batches' lookups by CPR stay index lookups.
 */
async function planStatistics(db: Db) {
  const row = await sql<{ rows: number }>`
    select greatest(reltuples, 0)::float8 as rows from pg_class where oid = 'recipient'::regclass
  `.execute(db);
  let known = Number(row.rows[0]?.rows ?? 0);
  let added = 0;
  let running: Promise<unknown> | null = null;
  return {
    async grew(created: number) {
      added += created;
      if (running || added < Math.max(10_000, known)) return;
      known += added;
      added = 0;
      running = sql`analyze recipient`.execute(db);
      await running;
      running = null;
    },
  };
}
