import { Readable } from 'node:stream';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { DocumentNotFoundError, type DocumentStore, sha256Hex } from './document-store.ts';

/** Bytes per chunk row: large enough that a 10 MB letter is ten rows, small enough to stream in bounded memory. */
export const CHUNK_BYTES = 1024 * 1024;
/** Chunks written by one statement and read by one query while streaming. */
const CHUNKS_PER_STATEMENT = 4;
const LIST_PAGE = 1000;

/**
 * The document store in PostgreSQL (KUVERT_DOCUMENT_STORE=postgres; migration 0044): every server node reads what any
 * node stored, and the documents are replicated, backed up and restored to a point in time with the letters that name
 * them. Content-addressed like the file store: `document_blob` names the bytes by their SHA-256 and `document_chunk`
 * holds them in 1 MiB rows.
 * - put() commits the blob and all its chunks in one transaction before it returns, so a reader sees the whole
 *   document or none. Bytes already stored only move `put_at` on (the sweeper's grace period starts again); two puts
 *   of the same new bytes wait for each other on the primary key, and the second writes nothing.
 * - removeIfPutBefore() deletes the blob only if its `put_at` is still before the cutoff when the row is locked: a
 *   put() that refreshed it first keeps it; a put() after the delete writes it anew.
 * - A read checks the chunks' total length against the blob's size, so a missing chunk is an error, never a shorter
 *   document.
 */
export class PgDocumentStore implements DocumentStore {
  constructor(private readonly db: Db) {}

  async put(bytes: Buffer): Promise<string> {
    const sha = sha256Hex(bytes);
    const chunkCount = Math.ceil(bytes.length / CHUNK_BYTES);
    await this.db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ inserted: boolean }>`
        insert into document_blob (sha256, size_bytes, chunk_count) values (${sha}, ${bytes.length}, ${chunkCount})
        on conflict (sha256) do update set put_at = now()
        returning (xmax = 0) as inserted`.execute(trx);
      if (!rows[0]?.inserted) return;
      for (let first = 0; first < chunkCount; first += CHUNKS_PER_STATEMENT) {
        const values = [];
        for (let seq = first; seq < Math.min(first + CHUNKS_PER_STATEMENT, chunkCount); seq++) {
          values.push({ sha256: sha, seq, data: bytes.subarray(seq * CHUNK_BYTES, (seq + 1) * CHUNK_BYTES) });
        }
        await trx.insertInto('document_chunk').values(values).execute();
      }
    });
    return sha;
  }

  /** One query: the size and every chunk (get() holds the whole document anyway). */
  async get(sha256: string): Promise<Buffer> {
    checkName(sha256);
    const rows = await this.db
      .selectFrom('document_blob as b')
      .leftJoin('document_chunk as c', 'c.sha256', 'b.sha256')
      .select(['b.size_bytes', 'c.seq', 'c.data'])
      .where('b.sha256', '=', sha256)
      .orderBy('c.seq')
      .execute();
    if (rows.length === 0) throw new DocumentNotFoundError(sha256);
    const parts: Buffer[] = [];
    for (const row of rows) {
      if (row.data === null) continue; // an empty document: its blob, no chunks
      if (row.seq !== parts.length) throw new Error(`document ${sha256} is missing chunk ${parts.length}`);
      parts.push(row.data);
    }
    return whole(sha256, Buffer.concat(parts), Number((rows[0] as { size_bytes: string }).size_bytes));
  }

  stream(sha256: string): Readable {
    const store = this;
    return Readable.from(
      (async function* () {
        const size = await store.sizeOf(sha256);
        let read = 0;
        for await (const part of store.chunks(sha256)) {
          read += part.length;
          yield part;
        }
        if (read !== size) throw new Error(`document ${sha256} is incomplete: ${read} of ${size} bytes`);
      })(),
      { objectMode: false },
    );
  }

  async has(sha256: string): Promise<boolean> {
    checkName(sha256);
    const row = await this.db
      .selectFrom('document_blob')
      .select('sha256')
      .where('sha256', '=', sha256)
      .executeTakeFirst();
    return row !== undefined;
  }

  list(): AsyncIterable<string> {
    return this.names(null);
  }

  listPutBefore(cutoff: Date): AsyncIterable<string> {
    return this.names(cutoff);
  }

  /** The stored names in order, a page a query; only those put before `cutoff` unless it is null. */
  private async *names(cutoff: Date | null): AsyncIterable<string> {
    let after = '';
    for (;;) {
      const rows = await this.db
        .selectFrom('document_blob')
        .select('sha256')
        .where('sha256', '>', after)
        .$if(cutoff !== null, (q) => q.where('put_at', '<', cutoff as Date))
        .orderBy('sha256')
        .limit(LIST_PAGE)
        .execute();
      for (const row of rows) yield row.sha256;
      if (rows.length < LIST_PAGE) return;
      after = (rows.at(-1) as { sha256: string }).sha256;
    }
  }

  async removeIfPutBefore(sha256: string, cutoff: Date): Promise<boolean> {
    checkName(sha256);
    const removed = await this.db
      .deleteFrom('document_blob')
      .where('sha256', '=', sha256)
      .where('put_at', '<', cutoff)
      .executeTakeFirst();
    return removed.numDeletedRows > 0n;
  }

  private async sizeOf(sha256: string): Promise<number> {
    checkName(sha256);
    const blob = await this.db
      .selectFrom('document_blob')
      .select('size_bytes')
      .where('sha256', '=', sha256)
      .executeTakeFirst();
    if (!blob) throw new DocumentNotFoundError(sha256);
    return Number(blob.size_bytes);
  }

  /** The document's chunks in order, a few rows a query. */
  private async *chunks(sha256: string): AsyncIterable<Buffer> {
    let next = 0;
    for (;;) {
      const rows = await this.db
        .selectFrom('document_chunk')
        .select(['seq', 'data'])
        .where('sha256', '=', sha256)
        .where('seq', '>=', next)
        .orderBy('seq')
        .limit(CHUNKS_PER_STATEMENT)
        .execute();
      for (const row of rows) {
        if (row.seq !== next) throw new Error(`document ${sha256} is missing chunk ${next}`);
        next++;
        yield row.data;
      }
      if (rows.length < CHUNKS_PER_STATEMENT) return;
    }
  }
}

function checkName(sha256: string): void {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('invalid document hash');
}

function whole(sha256: string, bytes: Buffer, size: number): Buffer {
  if (bytes.length !== size) throw new Error(`document ${sha256} is incomplete: ${bytes.length} of ${size} bytes`);
  return bytes;
}
