import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { sha256Hex } from '../../documents/document-store.ts';
import type { Services } from '../../services.ts';
import { addMessageEvent } from '../events/index.ts';
import { PrintError } from './document-to-pdf.ts';
import {
  type BatchedLetter,
  buildingPrintBatches,
  cancelRecalledPrintJobs,
  insertPrintBatch,
  markBatched,
  markPrintBatchReady,
  markPrintFailed,
  oldestQueuedPrintJobs,
  printBatchLetters,
  updateBatchedLetter,
} from './print.repository.ts';
import { renderPrintLetter } from './render-print-pdf.ts';

/** What a print provider finds in `<outbox>/<batch id>/manifest.json`. No CPR numbers, no names. */
export interface PrintManifest {
  format: 'kuvert-print-batch/1';
  batchId: string;
  createdAt: string;
  paper: 'A4';
  sides: 'simplex';
  envelope: string;
  letterCount: number;
  pageCount: number;
  letters: { messageId: string; file: string; pages: number; sha256: string; postcode: string; city: string }[];
}

export const printOutbox = (services: Services) => path.join(services.config.dataDir, 'print', 'outbox');
const printBuilding = (services: Services) => path.join(services.config.dataDir, 'print', 'building');

// One builder at a time across all processes (a session lock on a pool connection: released if the process dies).
const LOCK_KEY = 'kuvert:build-print-batch';

export interface BuildResult {
  batches: { id: string; letters: number; pages: number }[];
  failed: number;
}

/**
 * Job 'build-print-batch': finishes any batch a crash left half-done, then packs queued letters into batches of at
 * most `limit` until the queue is empty. Each batch is rendered into `print/building/<id>/` (every file fsynced,
 * manifest last), committed (print_batch + its letters 'batched' + unprintable letters 'failed', one transaction),
 * then renamed into `print/outbox/<id>/` and marked ready. A crash before the commit leaves only a building folder,
 * which the next run deletes (its letters are still queued); a crash after it leaves a 'building' batch, which the
 * next run moves to the outbox, or renders again if its folder is gone. The outbox thus only ever holds complete
 * batches the database knows, and a letter is in exactly one.
 */
export async function buildPrintBatches(services: Services, options: { limit?: number } = {}): Promise<BuildResult> {
  const limit = options.limit ?? 1000;
  const result: BuildResult = { batches: [], failed: 0 };
  const client = await services.pool.connect();
  try {
    const { rows } = await client.query('select pg_try_advisory_lock(hashtext($1)) as locked', [LOCK_KEY]);
    if (!rows[0]?.locked) return result; // another builder is at it and will take these letters too
    try {
      await recover(services);
      for (;;) {
        const built = await buildOneBatch(services, limit);
        if (!built) break;
        result.failed += built.failed;
        if (built.batch) result.batches.push(built.batch);
      }
    } finally {
      await client.query('select pg_advisory_unlock(hashtext($1))', [LOCK_KEY]);
    }
  } finally {
    client.release();
  }
  return result;
}

async function buildOneBatch(services: Services, limit: number) {
  await cancelRecalledPrintJobs(services.db);
  const jobs = await oldestQueuedPrintJobs(services.db, limit);
  if (jobs.length === 0) return null;
  const batchId = randomUUID();
  const createdAt = new Date();
  const folder = path.join(printBuilding(services), batchId);
  const { letters, failures } = await renderBatchFolder(services, folder, batchId, createdAt, jobs);

  const committed = await services.db.transaction().execute(async (trx) => {
    for (const failure of failures) {
      const job = await markPrintFailed(trx, failure.messageId, failure.reason);
      // channel 'print': the messages module's trigger (migration 0042) makes the letter 'rejected' with this reason.
      if (job) {
        await addMessageEvent(trx, job, 'FAILED', { channel: 'print', reason: failure.reason, detail: failure.detail });
      }
    }
    if (letters.length === 0) return false;
    const pages = letters.reduce((sum, l) => sum + l.pages, 0);
    await insertPrintBatch(trx, { id: batchId, createdAt, letters: letters.length, pages });
    const moved = await markBatched(trx, batchId, letters, createdAt);
    // Only a second builder (which the lock rules out) could have taken them; if so, leave them to it.
    if (moved !== letters.length) throw new Error(`print batch ${batchId}: ${letters.length - moved} letters moved`);
    return true;
  });
  if (!committed) {
    await rm(folder, { recursive: true, force: true });
    return { batch: null, failed: failures.length };
  }
  await publish(services, batchId);
  const pages = letters.reduce((sum, l) => sum + l.pages, 0);
  return { batch: { id: batchId, letters: letters.length, pages }, failed: failures.length };
}

/** Renders the letters and the manifest into `folder`, durably. Letters that cannot be printed are returned apart. */
async function renderBatchFolder(
  services: Services,
  folder: string,
  batchId: string,
  createdAt: Date,
  jobs: { message_id: string }[],
) {
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
  const letters: (BatchedLetter & PrintManifest['letters'][number])[] = [];
  const failures: { messageId: string; reason: string; detail: string }[] = [];
  for (const job of jobs) {
    try {
      const pdf = await renderPrintLetter(services, job.message_id);
      const file = `${job.message_id}.pdf`;
      await writeDurably(path.join(folder, file), pdf.bytes);
      letters.push({
        messageId: job.message_id,
        file,
        pages: pdf.pages,
        sha256: sha256Hex(pdf.bytes),
        postcode: pdf.postcode,
        city: pdf.city,
      });
    } catch (error) {
      if (!(error instanceof PrintError)) throw error; // e.g. a full disk: the job fails and is retried
      failures.push({ messageId: job.message_id, reason: error.code, detail: error.message });
    }
  }
  if (letters.length > 0) {
    const manifest: PrintManifest = {
      format: 'kuvert-print-batch/1',
      batchId,
      createdAt: createdAt.toISOString(),
      paper: 'A4',
      sides: 'simplex',
      envelope:
        'DL or C6/C5 window envelope (DIN 680 / ISO 269); address field 20 mm from the left, 45 mm from the top',
      letterCount: letters.length,
      pageCount: letters.reduce((sum, l) => sum + l.pages, 0),
      letters: letters.map(({ messageId, file, pages, sha256, postcode, city }) => ({
        messageId,
        file,
        pages,
        sha256,
        postcode,
        city,
      })),
    };
    // Written last: a folder with a manifest is complete.
    await writeDurably(path.join(folder, 'manifest.json'), Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
    await fsyncDir(folder);
  }
  return { letters, failures };
}

/** Moves a committed batch's folder into the outbox and marks it ready. */
async function publish(services: Services, batchId: string, pages?: number): Promise<void> {
  const outbox = printOutbox(services);
  await mkdir(outbox, { recursive: true });
  const target = path.join(outbox, batchId);
  if (!(await exists(path.join(target, 'manifest.json')))) {
    await rename(path.join(printBuilding(services), batchId), target);
    await fsyncDir(outbox);
  }
  await markPrintBatchReady(services.db, batchId, pages);
}

/** Finishes what a crash interrupted (see buildPrintBatches). */
async function recover(services: Services): Promise<void> {
  const building = await buildingPrintBatches(services.db);
  const known = new Set(building.map((b) => b.id));
  for (const batch of building) {
    const inOutbox = await exists(path.join(printOutbox(services), batch.id, 'manifest.json'));
    const rendered = await exists(path.join(printBuilding(services), batch.id, 'manifest.json'));
    if (inOutbox || rendered) {
      await publish(services, batch.id);
      continue;
    }
    // Committed, but the folder is gone: render the same letters again under the same batch id.
    const jobs = await printBatchLetters(services.db, batch.id);
    const folder = path.join(printBuilding(services), batch.id);
    const { letters, failures } = await renderBatchFolder(services, folder, batch.id, batch.created_at, jobs);
    if (failures.length > 0) {
      throw new Error(`print batch ${batch.id} cannot be rebuilt: ${failures.map((f) => f.detail).join('; ')}`);
    }
    for (const letter of letters) await updateBatchedLetter(services.db, letter);
    await publish(
      services,
      batch.id,
      letters.reduce((sum, l) => sum + l.pages, 0),
    );
  }
  // Folders of batches that never committed: their letters are still queued and go into a new batch.
  const leftovers = await readdir(printBuilding(services)).catch(() => [] as string[]);
  for (const name of leftovers) {
    if (!known.has(name)) await rm(path.join(printBuilding(services), name), { recursive: true, force: true });
  }
}

async function writeDurably(file: string, bytes: Buffer): Promise<void> {
  const handle = await open(file, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
