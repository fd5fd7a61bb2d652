import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { safeFilename } from '../../http/content-disposition.ts';

/**
 * A zip written to a file as it is built (yazl). Entries are added lazily: a document's stream is opened only when
 * the zip reaches it, and `drain()` waits until everything added so far is written, so the builder adds a page of
 * letters, drains, and adds the next: memory holds one page's documents in flight at most, not the mailbox. (yazl
 * keeps each entry's name and sizes for the central directory: a few hundred bytes per file.)
 */
export class ZipFileSink {
  private readonly zip = new yazl.ZipFile();
  private readonly written: Promise<void>;
  private readonly failure: Promise<never>;
  private fail: (error: unknown) => void = () => {};
  private last: Promise<void> = Promise.resolve();

  constructor(readonly file: string) {
    const out: WriteStream = createWriteStream(file, { flags: 'wx' });
    this.written = pipeline(this.zip.outputStream, out);
    // Errors reach the builder through `written`; a write that lands after an abort must not end the process.
    out.on('error', () => {});
    (this.zip.outputStream as unknown as Readable).on('error', () => {});
    this.failure = new Promise<never>((_, reject) => {
      this.fail = reject;
      this.zip.on('error', reject);
      this.written.catch(reject);
    });
    this.failure.catch(() => {}); // observed through drain/finish
  }

  /** Adds an entry whose bytes `open` gives when the zip reaches it. */
  add(name: string, mtime: Date, openStream: () => Promise<Readable>): void {
    let ended: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      ended = resolve;
    });
    // A document that cannot be read stops the whole zip (yazl waits for that entry for ever): fail, not hang.
    this.zip.addReadStreamLazy(name, { mtime }, (callback) => {
      openStream().then(
        (stream) => {
          stream.once('end', ended);
          stream.once('error', (error) => this.fail(error));
          callback(null, stream);
        },
        (error: unknown) => this.fail(error),
      );
    });
    this.last = done;
  }

  addBuffer(name: string, mtime: Date, bytes: Buffer): void {
    this.zip.addBuffer(bytes, name, { mtime });
  }

  /** Adds a file from disk (read when the zip reaches it). */
  addFile(name: string, path: string, mtime: Date): void {
    this.zip.addFile(path, name, { mtime });
  }

  /** Waits until every entry added so far has been read into the zip. */
  async drain(): Promise<void> {
    await Promise.race([this.last, this.failure]);
  }

  /** Ends the zip and waits until the file is complete and on disk. */
  async finish(): Promise<void> {
    this.zip.end();
    await Promise.race([this.written, this.failure]);
    const handle = await open(this.file, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  /** Stops writing (after a failure): the caller removes the file. */
  abort(): void {
    (this.zip.outputStream as unknown as Readable).destroy();
  }
}

/** A text file written line by line, with backpressure (the export's index and activity files, on disk). */
export class LineFile {
  private readonly out: WriteStream;
  private error: Error | null = null;
  constructor(readonly path: string) {
    this.out = createWriteStream(path, { flags: 'wx', encoding: 'utf8' });
    // Kept for the next write or close; after destroy() (a failed build) a write still in flight reports here too.
    this.out.on('error', (error) => {
      this.error ??= error;
    });
  }

  async write(text: string): Promise<void> {
    if (this.error) throw this.error;
    if (!this.out.write(text)) await once(this.out, 'drain');
  }

  async close(): Promise<void> {
    if (this.error) throw this.error;
    this.out.end();
    await once(this.out, 'finish');
  }

  destroy(): void {
    this.out.destroy();
  }
}

const copenhagenDay = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Copenhagen',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The date in Copenhagen as YYYY-MM-DD (for folder names in the zip). */
export const dayOf = (date: Date) => copenhagenDay.format(date);

/**
 * Names that stay unique (case-insensitively, as on Windows and macOS) inside one directory of the zip: a name
 * already taken gets " (2)", " (3)", … before its extension. Each name is made safe first (safeFilename).
 */
export class UniqueNames {
  private readonly used = new Set<string>();

  take(raw: string, fallback: string, keepExtension = true): string {
    // A slash in a subject or folder name is part of the name, not a directory: kept as "_" (safeFilename keeps
    // only a path's last segment).
    const clean = safeFilename(raw.replace(/[/\\]/g, '_'), fallback);
    let candidate = clean;
    for (let n = 2; this.used.has(candidate.toLocaleLowerCase('da')); n++) {
      const dot = keepExtension ? clean.lastIndexOf('.') : -1;
      candidate = dot > 0 ? `${clean.slice(0, dot)} (${n})${clean.slice(dot)}` : `${clean} (${n})`;
    }
    this.used.add(candidate.toLocaleLowerCase('da'));
    return candidate;
  }
}
