/**
 * The two document stores keep one contract (document-store.ts): the same bytes back, whole or not at all, the same
 * "not stored" error, and the sweeper's rules for put-again. Then the PostgreSQL store under a real Kuvert (a letter
 * read back through the mailbox, the orphan sweep), and `kuvert documents migrate` both ways through the real CLI.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { runKuvertCli } from '../../test/support/cli.ts';
import { citizen, getPage, sendLetter } from '../../test/support/correspondence.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { createSender } from '../../test/support/fixtures.ts';
import { startTestKuvert, type TestKuvert } from '../../test/support/kuvert.ts';
import { type DocumentStore, FileDocumentStore, sha256Hex } from './document-store.ts';
import { CHUNK_BYTES, PgDocumentStore } from './pg-document-store.ts';
import { sweepOrphanDocuments } from './sweep-documents.ts';

async function collect(iterable: AsyncIterable<string>): Promise<string[]> {
  const names: string[] = [];
  for await (const name of iterable) names.push(name);
  return names.sort();
}

async function streamed(store: DocumentStore, sha256: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of store.stream(sha256)) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

const absent = 'f'.repeat(64);

for (const kind of ['file', 'postgres'] as const) {
  describe(`the ${kind} document store`, () => {
    let database: TestDatabase;
    let dir: string;
    let store: DocumentStore;
    before(async () => {
      database = await createTestDatabase();
      dir = mkdtempSync(path.join(os.tmpdir(), 'kuvert-store-'));
      store = kind === 'postgres' ? new PgDocumentStore(database.db) : new FileDocumentStore(dir);
    });
    after(async () => {
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    test('gives back the bytes it was given, whole and streamed, at every size around a chunk', async () => {
      for (const size of [0, 1, 1000, CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 1, 4 * CHUNK_BYTES + 7]) {
        const bytes = randomBytes(size);
        const sha = await store.put(bytes);
        assert.equal(sha, sha256Hex(bytes));
        assert.ok(await store.has(sha));
        assert.ok((await store.get(sha)).equals(bytes), `get, ${size} bytes`);
        assert.ok((await streamed(store, sha)).equals(bytes), `stream, ${size} bytes`);
      }
    });

    test('a document it does not hold: has() false, get() and stream() fail with ENOENT', async () => {
      assert.equal(await store.has(absent), false);
      await assert.rejects(store.get(absent), { code: 'ENOENT' });
      await assert.rejects(streamed(store, absent), { code: 'ENOENT' });
      await assert.rejects(store.get('../../etc/passwd'), /invalid document hash/);
    });

    test('the same bytes put at once from many writers are stored once and read whole', async () => {
      const bytes = randomBytes(2 * CHUNK_BYTES + 3);
      const names = await Promise.all(Array.from({ length: 6 }, () => store.put(bytes)));
      assert.deepEqual(new Set(names), new Set([sha256Hex(bytes)]));
      assert.ok((await store.get(sha256Hex(bytes))).equals(bytes));
      if (kind === 'postgres') {
        const chunks = await sql<{ n: number }>`
          select count(*)::int as n from document_chunk where sha256 = ${sha256Hex(bytes)}`.execute(database.db);
        assert.equal(chunks.rows[0]?.n, 3);
      }
    });

    test('the sweeper’s rules: listed when put before the cutoff, kept when put again since, removed otherwise', async () => {
      const old = await store.put(randomBytes(100));
      const again = await store.put(randomBytes(100));
      const cutoff = new Date(Date.now() + 1000);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const listed = await collect(store.listPutBefore(cutoff));
      assert.ok(listed.includes(old) && listed.includes(again));
      assert.deepEqual(await collect(store.listPutBefore(new Date(0))), []);
      await store.put(await store.get(again)); // put again after the cutoff: its grace period starts again
      assert.equal(await store.removeIfPutBefore(again, cutoff), false);
      assert.ok(await store.has(again));
      assert.equal(await store.removeIfPutBefore(old, cutoff), true);
      assert.equal(await store.has(old), false);
      await assert.rejects(store.get(old), { code: 'ENOENT' });
      assert.equal(await store.removeIfPutBefore(old, cutoff), false, 'already gone');
      assert.ok((await collect(store.list())).includes(again));
      assert.ok(!(await collect(store.list())).includes(old));
    });
  });
}

describe('the postgres store reads only whole documents', () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database.drop());

  test('a document that lost a chunk is an error, never a shorter document', async () => {
    const store = new PgDocumentStore(database.db);
    const bytes = randomBytes(3 * CHUNK_BYTES);
    const sha = await store.put(bytes);
    await sql`delete from document_chunk where sha256 = ${sha} and seq = 1`.execute(database.db);
    await assert.rejects(store.get(sha), /missing chunk 1/);
    await assert.rejects(streamed(store, sha), /missing chunk 1/);
    await sql`delete from document_chunk where sha256 = ${sha} and seq = 2`.execute(database.db);
    await assert.rejects(store.get(sha), /incomplete: 1048576 of 3145728 bytes/);
  });
});

describe('Kuvert on the postgres document store (KUVERT_DOCUMENT_STORE=postgres)', () => {
  let kuvert: TestKuvert;
  before(async () => {
    kuvert = await startTestKuvert({ env: { KUVERT_DOCUMENT_STORE: 'postgres' } });
  });
  after(() => kuvert?.stop());

  test('a letter’s document is stored in the database, not the data folder, and the recipient reads it', async () => {
    const sender = await createSender(kuvert.services.db);
    const anna = await citizen(kuvert, '0101801234', 'Anna Andersen');
    const text = `Kære Anna ${randomBytes(8).toString('hex')}\n`;
    const letter = await sendLetter(kuvert, sender.apiKey, '0101801234', {
      documents: [
        {
          title: 'Brev',
          filename: 'brev.txt',
          mediaType: 'text/plain',
          content: Buffer.from(text).toString('base64'),
        },
      ],
    });
    const page = await getPage(kuvert, `/post/${letter.id}/dokumenter/0?download=1`, anna);
    assert.equal(page.status, 200);
    assert.equal(page.text, text);
    const blob = await kuvert.services.db
      .selectFrom('document_blob')
      .select('size_bytes')
      .where('sha256', '=', sha256Hex(text))
      .executeTakeFirst();
    assert.equal(Number(blob?.size_bytes), Buffer.byteLength(text));
    const folder = path.join(kuvert.services.config.dataDir, 'documents');
    assert.ok(!existsSync(folder) || readdirSync(folder).length === 0, 'no document files');
  });

  test('a letter whose document bytes are gone (a restore with an older copy): 500 document_missing, logged', async () => {
    const sender = await createSender(kuvert.services.db);
    await citizen(kuvert, '0303801234', 'Carl Christensen');
    const bytes = Buffer.from(`Brev ${randomBytes(8).toString('hex')}\n`);
    const letter = await sendLetter(kuvert, sender.apiKey, '0303801234', {
      documents: [{ title: 'Brev', filename: 'brev.txt', mediaType: 'text/plain', content: bytes.toString('base64') }],
    });
    await sql`delete from document_blob where sha256 = ${sha256Hex(bytes)}`.execute(kuvert.services.db);
    const response = await fetch(`${kuvert.url}/api/v1/messages/${letter.id}/memo`, {
      headers: { authorization: `Bearer ${sender.apiKey}` },
    });
    assert.equal(response.status, 500);
    assert.equal(((await response.json()) as { code: string }).code, 'document_missing');
    await kuvert.services.documents.put(bytes); // restored, as the operator would
    const again = await fetch(`${kuvert.url}/api/v1/messages/${letter.id}/memo`, {
      headers: { authorization: `Bearer ${sender.apiKey}` },
    });
    assert.equal(again.status, 200);
  });

  test('the orphan sweep removes a blob no row names once its grace period is over, and keeps the named ones', async () => {
    const { db } = kuvert.services;
    const orphan = await kuvert.services.documents.put(randomBytes(64));
    const named = await db.selectFrom('document').select('sha256').execute();
    assert.ok(named.length > 0);
    await sql`update document_blob set put_at = now() - interval '2 days'`.execute(db);
    const result = await sweepOrphanDocuments(kuvert.services);
    assert.equal(result.removed, 1);
    assert.equal(await kuvert.services.documents.has(orphan), false);
    for (const { sha256 } of named) assert.ok(await kuvert.services.documents.has(sha256.trim()));
  });
});

describe('kuvert documents migrate', () => {
  let kuvert: TestKuvert;
  let letters: { id: string; bytes: Buffer }[];
  const env = () => ({ DATABASE_URL: kuvert.database.url, KUVERT_DATA_DIR: kuvert.services.config.dataDir });
  before(async () => {
    kuvert = await startTestKuvert(); // the file store
    const sender = await createSender(kuvert.services.db);
    await citizen(kuvert, '0202801234', 'Bent Berg');
    letters = [];
    for (let i = 0; i < 3; i++) {
      const bytes = Buffer.from(`Brev ${i} ${randomBytes(8).toString('hex')}\n`);
      const letter = await sendLetter(kuvert, sender.apiKey, '0202801234', {
        documents: [
          { title: 'Brev', filename: 'brev.txt', mediaType: 'text/plain', content: bytes.toString('base64') },
        ],
      });
      letters.push({ id: letter.id, bytes });
    }
  });
  after(() => kuvert?.stop());

  test('usage errors exit with 2 and name the problem', async () => {
    const none = await runKuvertCli(['documents', 'migrate'], env());
    assert.equal(none.code, 2);
    assert.match(none.stderr, /--to postgres or --to file/);
    const wrong = await runKuvertCli(['documents', 'migrate', '--to', 's3'], env());
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /--to takes file or postgres, not "s3"/);
  });

  test('file → postgres copies every document, checked, and a second run copies nothing', async () => {
    const first = await runKuvertCli(['documents', 'migrate', '--to', 'postgres'], env());
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /\b3 copied, 0 already there, 0 damaged/);
    const store = new PgDocumentStore(kuvert.services.db);
    for (const { bytes } of letters) assert.ok((await store.get(sha256Hex(bytes))).equals(bytes));
    const second = await runKuvertCli(['documents', 'migrate', '--to', 'postgres'], env());
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /\b0 copied, 3 already there/);
  });

  test('a named document neither store holds: listed, exit code 1', async () => {
    const lost = sha256Hex((letters[0] as { bytes: Buffer }).bytes);
    await new PgDocumentStore(kuvert.services.db).removeIfPutBefore(lost, new Date(Date.now() + 60_000));
    const file = new FileDocumentStore(path.join(kuvert.services.config.dataDir, 'documents'));
    const kept = await file.get(lost);
    await file.removeIfPutBefore(lost, new Date(Date.now() + 60_000));
    const result = await runKuvertCli(['documents', 'migrate', '--to', 'postgres'], env());
    assert.equal(result.code, 1);
    assert.match(result.stderr, new RegExp(`named by a document row but not in the postgres store: ${lost}`));
    await file.put(kept);
  });

  test('postgres → file fills an empty folder; Kuvert on it serves the same bytes', async () => {
    const toPostgres = await runKuvertCli(['documents', 'migrate', '--to', 'postgres'], env());
    assert.equal(toPostgres.code, 0, toPostgres.stderr);
    const folder = path.join(kuvert.services.config.dataDir, 'documents');
    rmSync(folder, { recursive: true, force: true });
    const back = await runKuvertCli(['documents', 'migrate', '--to', 'file'], env());
    assert.equal(back.code, 0, back.stderr);
    assert.match(back.stdout, /\b3 copied, 0 already there/);
    for (const { bytes } of letters) {
      assert.ok((await kuvert.services.documents.get(sha256Hex(bytes))).equals(bytes), 'read by the running Kuvert');
    }
  });
});
