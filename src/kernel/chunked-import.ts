/**
 * The chunked-import engine shared by bulk batches (messages/batches/process-batch.ts), population files
 * (registry/population-import.ts) and business files (registry/business-import.ts, in one part): a file's lines are
 * split into parts (by a key, so one key's lines stay in file order within one part), each part collects lines into
 * chunks, and a full chunk is committed — in its caller's own transaction, together with the part's resume line —
 * while reading goes on. A part's chunks commit one after the other; the parts commit side by side. A killed import
 * run again skips every line at or below its part's resume line.
 */

/** A chunk of one part: the lines after the part's previous resume line up to `lastLine`, parsed or failed. */
export interface ImportChunk<Item, Failure> {
  part: number;
  lastLine: number;
  items: Item[];
  failures: Failure[];
}

/** The part a line belongs to: by its key's FNV-1a hash, or by its line number when it has no key. */
export function partOf(key: string | null | undefined, line: number, parts: number): number {
  if (parts === 1) return 0;
  if (!key) return line % parts;
  let hash = 2166136261;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 16777619);
  return (hash >>> 0) % parts;
}

export class ChunkedImport<Item, Failure> {
  readonly parts: number;
  readonly #resume: readonly number[];
  readonly #size: number;
  readonly #commit: (chunk: ImportChunk<Item, Failure>) => Promise<void>;
  readonly #chunks: ImportChunk<Item, Failure>[];
  readonly #pending: (Promise<void> | null)[];
  #sinceYield = 0;

  /**
   * @param resume each part's resume line (its length is the number of parts)
   * @param size lines (items and failures) per chunk
   * @param commit applies one chunk and advances its part's resume line to `chunk.lastLine`
   */
  constructor(resume: readonly number[], size: number, commit: (chunk: ImportChunk<Item, Failure>) => Promise<void>) {
    this.parts = resume.length;
    this.#resume = resume;
    this.#size = size;
    this.#commit = commit;
    this.#chunks = resume.map((line, part) => ({ part, lastLine: line, items: [], failures: [] }));
    this.#pending = resume.map(() => null);
  }

  /**
   * The part of a line, or null when that part had already committed it (before a resume). Now and then it lets
   * the database's answers in: the parser alone would keep the event loop busy.
   */
  async partFor(key: string | null | undefined, line: number): Promise<number | null> {
    const part = partOf(key, line, this.parts);
    if (line <= (this.#resume[part] as number)) return null;
    if (++this.#sinceYield === 500) {
      this.#sinceYield = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
    return part;
  }

  /** The chunk a part is filling: push the line's item or failure to it, then call `added`. */
  chunk(part: number): ImportChunk<Item, Failure> {
    return this.#chunks[part] as ImportChunk<Item, Failure>;
  }

  /** Flushes the part's chunk, up to `line`, once it is full. */
  async added(part: number, line: number): Promise<void> {
    const chunk = this.chunk(part);
    if (chunk.items.length + chunk.failures.length >= this.#size) await this.#flush(part, line);
  }

  /** At the end of the file (its last line `line`): flushes every part's rest and waits for all commits. */
  async finish(line: number): Promise<void> {
    for (let part = 0; part < this.parts; part++) {
      const chunk = this.chunk(part);
      if (chunk.items.length + chunk.failures.length > 0) await this.#flush(part, line);
    }
    await Promise.all(this.#pending);
  }

  /** After an error: lets the other parts' transactions end (their connections may then go back to the pool). */
  async settle(): Promise<void> {
    await Promise.allSettled(this.#pending);
  }

  async #flush(part: number, lastLine: number): Promise<void> {
    const chunk = this.chunk(part);
    chunk.lastLine = lastLine;
    this.#chunks[part] = { part, lastLine, items: [], failures: [] };
    await this.#pending[part];
    const next = this.#commit(chunk);
    next.catch(() => {});
    this.#pending[part] = next;
  }
}
