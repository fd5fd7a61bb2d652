import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { link, mkdir, open, opendir, readFile, rename, rm, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { ServerFault } from '../http/problem.ts';

/**
 * Content-addressed storage for document bytes, keyed by SHA-256 (hex): a folder (FileDocumentStore, the default) or
 * PostgreSQL (PgDocumentStore, pg-document-store.ts), chosen by KUVERT_DOCUMENT_STORE; `kuvert documents migrate`
 * copies between them (migrate-documents.ts).
 * Writers put the bytes before the transaction that names them in a `document` row; a file no row names (the
 * transaction failed, the process died) is removed by the orphan sweeper (sweep-documents.ts) once it was last put
 * longer ago than the grace period.
 */
export interface DocumentStore {
  /**
   * Stores the bytes durably (on disk before it returns) and returns their SHA-256. Storing twice is harmless; storing
   * bytes already there marks them as put now, so the sweeper's grace period starts again for the row about to name
   * them.
   */
  put(bytes: Buffer): Promise<string>;
  /** The bytes; a document the store does not hold rejects with an error whose `code` is 'ENOENT' (both stores). */
  get(sha256: string): Promise<Buffer>;
  /** The bytes as a stream, in bounded memory; a missing document fails the stream with code 'ENOENT'. */
  stream(sha256: string): Readable;
  has(sha256: string): Promise<boolean>;
  /** Every stored document, in no promised order, touching nothing (`kuvert documents migrate`). */
  list(): AsyncIterable<string>;
  /** Every stored document last put before `cutoff` (candidates for the sweeper); tidies leftovers of crashed writes. */
  listPutBefore(cutoff: Date): AsyncIterable<string>;
  /** Removes the document unless it was put again at or after `cutoff`; true if it was removed. */
  removeIfPutBefore(sha256: string, cutoff: Date): Promise<boolean>;
}

/**
 * A document the store does not hold; `code` is 'ENOENT' like the file system's error, so callers test one thing. A
 * request that meets it answers 500 `document_missing` (the bytes a row names are gone, e.g. after a restore with an
 * older documents copy: not the caller's doing).
 */
export class DocumentNotFoundError extends ServerFault {
  readonly code = 'ENOENT';
  constructor(readonly sha256: string) {
    super(
      'document_missing',
      'A document of this letter is missing from the document store.',
      `document ${sha256} is not stored`,
    );
  }
}

export const sha256Hex = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

export class FileDocumentStore implements DocumentStore {
  constructor(private readonly root: string) {}

  private pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('invalid document hash');
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(bytes: Buffer): Promise<string> {
    const sha = sha256Hex(bytes);
    const target = this.pathOf(sha);
    try {
      const now = new Date();
      await utimes(target, now, now); // already stored: put again now (see removeIfPutBefore)
      return sha;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const dir = path.dirname(target);
    await mkdir(dir, { recursive: true });
    const temp = path.join(dir, `.${sha}.${randomUUID()}.tmp`);
    const file = await open(temp, 'w');
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    try {
      await rename(temp, target); // atomic: readers see the whole file or none
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    const dirHandle = await open(dir, 'r');
    try {
      await dirHandle.sync(); // the rename itself survives a crash
    } finally {
      await dirHandle.close();
    }
    return sha;
  }

  async get(sha256: string): Promise<Buffer> {
    try {
      return await readFile(this.pathOf(sha256));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new DocumentNotFoundError(sha256);
      throw error;
    }
  }

  stream(sha256: string): Readable {
    return createReadStream(this.pathOf(sha256));
  }

  async has(sha256: string): Promise<boolean> {
    try {
      await stat(this.pathOf(sha256));
      return true;
    } catch {
      return false;
    }
  }

  async *list(): AsyncIterable<string> {
    for await (const { name } of this.files()) if (/^[0-9a-f]{64}$/.test(name)) yield name;
  }

  async *listPutBefore(cutoff: Date): AsyncIterable<string> {
    for await (const { name, file } of this.files()) {
      const modified = await mtimeOf(file);
      if (modified === null) continue;
      if (/^[0-9a-f]{64}$/.test(name)) {
        if (modified < cutoff) yield name;
      } else if (name.endsWith('.sweep')) {
        // A sweep that died between moving a file aside and deciding: put it back; the next run decides again.
        const sha = name.slice(1, 65);
        await link(file, this.pathOf(sha)).catch(ignore('EEXIST'));
        await rm(file, { force: true });
      } else if (name.endsWith('.tmp') && modified < cutoff) {
        await rm(file, { force: true }); // a write that died before its rename
      }
    }
  }

  /** Every file in the two levels of folders, stored or left over. */
  private async *files(): AsyncIterable<{ name: string; file: string }> {
    for (const first of await subfolders(this.root)) {
      for (const second of await subfolders(path.join(this.root, first))) {
        const dir = path.join(this.root, first, second);
        for await (const entry of await opendir(dir)) {
          if (entry.isFile()) yield { name: entry.name, file: path.join(dir, entry.name) };
        }
      }
    }
  }

  async removeIfPutBefore(sha256: string, cutoff: Date): Promise<boolean> {
    const target = this.pathOf(sha256);
    // Moved aside first, then judged by its time: a put() that refreshed it before the move is seen here and the file
    // goes back; a put() after the move finds no file and writes it anew. Never a removed file a put() relied on.
    const aside = path.join(path.dirname(target), `.${sha256}.${randomUUID()}.sweep`);
    try {
      await rename(target, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
    const modified = await mtimeOf(aside);
    if (modified !== null && modified >= cutoff) {
      await link(aside, target).catch(ignore('EEXIST'));
      await rm(aside, { force: true });
      return false;
    }
    await rm(aside, { force: true });
    return true;
  }
}

async function subfolders(dir: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of await opendir(dir)) {
      if (entry.isDirectory() && /^[0-9a-f]{2}$/.test(entry.name)) names.push(entry.name);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return names.sort();
}

async function mtimeOf(file: string): Promise<Date | null> {
  try {
    return (await stat(file)).mtime;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

const ignore = (code: string) => (error: NodeJS.ErrnoException) => {
  if (error.code !== code) throw error;
};
