import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';

/** Content-addressed storage for document bytes, keyed by SHA-256 (hex). A filesystem today; S3-ready by shape. */
export interface DocumentStore {
  /** Stores the bytes durably (on disk before it returns) and returns their SHA-256. Storing twice is harmless. */
  put(bytes: Buffer): Promise<string>;
  get(sha256: string): Promise<Buffer>;
  stream(sha256: string): Readable;
  has(sha256: string): Promise<boolean>;
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
    if (await this.has(sha)) return sha;
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

  get(sha256: string): Promise<Buffer> {
    return readFile(this.pathOf(sha256));
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
}
