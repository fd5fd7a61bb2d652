/**
 * Bulk ingest throughput: one NDJSON batch of N letters to N distinct recipients with one shared PDF (given inline
 * once, then named by SHA-256), to recipients of whom seven in ten have a confirmed e-mail address (so their letters
 * schedule a notification), through POST /api/v1/batches of a real Kuvert (HTTP server, batches plugin and
 * graphile-worker in this process, as `kuvert start` runs them), until every letter is accepted, stored and routed.
 * Then a raw COPY (psql \copy) of the equivalent rows into look-alike tables, as the physical limit.
 * Options: --letters 1000000 --pdf-kib 100 --chunk 5000 --parts 2 --embedded (the embedded PostgreSQL)
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { lockDataDir, startEmbeddedPostgres } from '../src/db/embedded.ts';
import { sha256Hex } from '../src/documents/document-store.ts';
import { createLogger } from '../src/logger.ts';
import { batchesPlugin } from '../src/modules/messages/batches/batches.routes.ts';
import { createServices } from '../src/services.ts';
import { startWorker } from '../src/worker.ts';
import { createTestDatabase } from '../test/support/database.ts';
import { createSender } from '../test/support/fixtures.ts';

/** The i-th generated CPR number, as the recipient SQL below makes it: birth date 1950-01-01 + i mod 18000 days. */
function cprOf(i: number): string {
  const d = new Date(Date.UTC(1950, 0, 1) + (i % 18000) * 86_400_000);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${p2(d.getUTCDate())}${p2(d.getUTCMonth() + 1)}${p2(d.getUTCFullYear() % 100)}${String(Math.floor(i / 18000)).padStart(4, '0')}`;
}

/** A well-formed PDF of about `bytes` bytes (a page with a content stream of filler). */
function pdfOf(bytes: number): Buffer {
  const filler = 'BT /F1 12 Tf 72 720 Td (Kuvert benchmark) Tj ET\n'.repeat(Math.ceil(bytes / 48));
  const body = filler.slice(0, Math.max(0, bytes - 300));
  return Buffer.from(
    `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n` +
      `3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R>>endobj\n` +
      `4 0 obj<</Length ${body.length}>>stream\n${body}\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
    'latin1',
  );
}

export async function run(options: Record<string, string>) {
  const letters = Number(options.letters ?? 1_000_000);
  const pdf = pdfOf(Number(options['pdf-kib'] ?? 100) * 1024);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kuvert-bench-ingest-'));
  let stopEmbedded: (() => Promise<void>) | undefined;
  if ('embedded' in options) {
    // Its own temporary folder (as `npm test` does): as root, PostgreSQL runs as "postgres" and must reach it.
    const pgDir = mkdtempSync(path.join(os.tmpdir(), 'kuvert-bench-pg-'));
    const unlock = lockDataDir(pgDir);
    const embedded = await startEmbeddedPostgres(pgDir);
    process.env.KUVERT_TEST_ADMIN_URL = embedded.url;
    stopEmbedded = async () => {
      await embedded.stop();
      unlock();
      rmSync(pgDir, { recursive: true, force: true });
    };
  }
  const database = await createTestDatabase();
  let rssMax = 0;
  const sampler = setInterval(() => {
    rssMax = Math.max(rssMax, process.memoryUsage().rss);
  }, 100);
  try {
    const db = database.db;
    const t0 = performance.now();
    await sql`
      insert into recipient (kind, cpr, name, enrolment)
      select 'person', to_char(date '1950-01-01' + (i % 18000), 'DDMMYY') || lpad((i / 18000)::text, 4, '0'),
             'Person ' || i, 'automatic'
      from generate_series(0, ${letters - 1}) as i
    `.execute(db);
    // Seven in ten have a confirmed e-mail address: their new letters schedule a notification (notify_pending).
    await sql`
      insert into contact_detail (recipient_id, kind, value, confirmed_at, last_confirmed_at)
      select id, 'email', 'p' || substr(cpr, 1, 10) || '@example.dk', now(), now()
      from recipient where (hashtext(cpr) & 2147483647) % 10 < 7
    `.execute(db);
    await sql`analyze recipient`.execute(db);
    await sql`analyze contact_detail`.execute(db);
    const recipientsSeconds = (performance.now() - t0) / 1000;
    const sender = await createSender(db, 'Benchmark Kommune');

    // Batch tuning is read once into config.batches, as in `kuvert start`.
    const config = loadConfig({
      NODE_ENV: 'test',
      KUVERT_DATA_DIR: path.join(dir, 'data'),
      LOG_LEVEL: 'warn',
      KUVERT_BATCH_CHUNK: options.chunk ?? '5000',
      KUVERT_BATCH_PARTS: options.parts ?? '2',
    });
    const logger = createLogger('warn', process.stderr);
    const services = createServices(config, db, database.pool);
    const batchConfig = config.batches;
    const app = await createApp(services, logger);
    if (!app.hasRoute({ method: 'POST', url: '/api/v1/batches' })) await app.register(batchesPlugin, { services });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as { port: number }).port;
    const worker = await startWorker(services, logger, 4);
    rssMax = 0;

    const sha = sha256Hex(pdf);
    async function* ndjson() {
      let buffer: string[] = [];
      for (let i = 0; i < letters; i++) {
        const document =
          i === 0
            ? { title: 'Brev', filename: 'brev.pdf', mediaType: 'application/pdf', content: pdf.toString('base64') }
            : { title: 'Brev', filename: 'brev.pdf', mediaType: 'application/pdf', sha256: sha };
        buffer.push(
          JSON.stringify({
            messageUuid: randomUUID(),
            recipient: { cpr: cprOf(i) },
            label: 'Årsopgørelse 2026',
            documents: [document],
          }),
        );
        if (buffer.length === 2000) {
          yield `${buffer.join('\n')}\n`;
          buffer = [];
        }
      }
      if (buffer.length) yield `${buffer.join('\n')}\n`;
    }
    // The sender's file is ready before the clock starts, as a sender's would be: only Kuvert's work is timed.
    const bodyFile = path.join(dir, 'batch.ndjson');
    await pipeline(Readable.from(ndjson()), createWriteStream(bodyFile));
    const bodyBytes = statSync(bodyFile).size;
    const started = performance.now();
    const answer = await new Promise<{ id: string }>((resolve, reject) => {
      const request = http.request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/v1/batches',
          headers: { authorization: `Bearer ${sender.apiKey}`, 'content-type': 'application/x-ndjson' },
        },
        (response) => {
          let text = '';
          response.on('data', (c) => {
            text += c;
          });
          response.on('end', () =>
            response.statusCode === 202
              ? resolve(JSON.parse(text))
              : reject(new Error(`${response.statusCode} ${text}`)),
          );
        },
      );
      request.on('error', reject);
      pipeline(createReadStream(bodyFile, { highWaterMark: 256 * 1024 }), request).catch(reject);
    });
    const acceptedSeconds = (performance.now() - started) / 1000;
    const batchRow = () => db.selectFrom('batch').selectAll().where('id', '=', answer.id).executeTakeFirstOrThrow();
    let batch = await batchRow();
    while (!['completed', 'failed', 'cancelled'].includes(batch.state)) {
      await new Promise((r) => setTimeout(r, 250));
      batch = await batchRow();
    }
    const storedSeconds = (performance.now() - started) / 1000;
    for (;;) {
      const pending = await sql<{ n: string }>`
        select count(*) as n from graphile_worker.jobs where task_identifier = 'deliver-batch-chunk'
      `.execute(db);
      if (Number(pending.rows[0]?.n) === 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const routedSeconds = (performance.now() - started) / 1000;
    const rssMaxMiB = Math.round(rssMax / 2 ** 20);
    await worker.stop();
    await app.close();

    const states = await sql<{
      status: string;
      n: string;
    }>`select status, count(*) as n from message group by status`.execute(db);
    const events = await sql<{
      type: string;
      n: string;
    }>`select type, count(*) as n from message_event_expanded group by type`.execute(db);
    const documents = await sql<{ n: string }>`select count(*) as n from document`.execute(db);
    const notify = await sql<{ recipients: string; letters: string | null }>`
      select count(*) as recipients, sum(letters) as letters from notify_pending`.execute(db);

    const copy = await rawCopy(database.url, letters, sender.id);
    const lettersPerSecond = Math.round(letters / routedSeconds);
    return {
      letters,
      pdfBytes: pdf.length,
      bodyMiB: Math.round(bodyBytes / 2 ** 20),
      database: stopEmbedded ? 'embedded' : 'server',
      chunk: batchConfig.chunkSize,
      parts: batchConfig.parts,
      recipientsSeconds: Math.round(recipientsSeconds * 10) / 10,
      acceptedSeconds: Math.round(acceptedSeconds * 10) / 10,
      storedSeconds: Math.round(storedSeconds * 10) / 10,
      routedSeconds: Math.round(routedSeconds * 10) / 10,
      lettersPerSecond,
      targetLettersPerSecond: 16_700,
      rssMaxMiB,
      batch: { state: batch.state, accepted: batch.accepted, duplicates: batch.duplicates, failed: batch.failed },
      messages: Object.fromEntries(states.rows.map((r) => [r.status, Number(r.n)])),
      events: Object.fromEntries(events.rows.map((r) => [r.type, Number(r.n)])),
      documentsStored: Number(documents.rows[0]?.n),
      notificationsScheduled: Number(notify.rows[0]?.letters ?? 0),
      rawCopy: { ...copy, ratio: Math.round((lettersPerSecond / copy.lettersPerSecond) * 100) / 100 },
    };
  } finally {
    clearInterval(sampler);
    await database.drop();
    if (stopEmbedded) await stopEmbedded();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The physical limit: the same rows a routed letter ends with (message, message_document, three events) loaded
 * with COPY through psql into tables like the real ones (same columns, defaults and indexes; no foreign keys).
 */
async function rawCopy(url: string, letters: number, senderId: string) {
  const psql = (args: string[], input?: Readable) =>
    new Promise<void>((resolve, reject) => {
      const child = spawn('psql', ['-q', '-v', 'ON_ERROR_STOP=1', url, ...args], {
        stdio: ['pipe', 'ignore', 'inherit'],
      });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`psql exited with ${code}`))));
      if (input) pipeline(input, child.stdin).catch(reject);
      else child.stdin.end();
    });
  await psql([
    '-c',
    `create table copy_message (like message including defaults including indexes);
     create table copy_message_document (like message_document including defaults including indexes);
     create table copy_message_event (like message_event including defaults including indexes);`,
  ]);
  const sha = 'a'.repeat(64);
  const now = new Date().toISOString();
  function* rows(kind: 'message' | 'document' | 'event') {
    let out: string[] = [];
    for (let i = 0; i < letters; i++) {
      const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      if (kind === 'message') {
        out.push(
          `${id}\t${senderId}\t${randomUUID()}\t${randomUUID()}\t${sha}\tÅrsopgørelse 2026\tavailable\t${now}\t${now}`,
        );
      } else if (kind === 'document') out.push(`${id}\t0\tBrev\tbrev.pdf\tapplication/pdf\t${sha}\t102400`);
      else
        for (const type of ['RECEIVED', 'VALIDATED', 'AVAILABLE_TO_RECIPIENT'])
          out.push(`${id}\t${senderId}\t${type}\t${now}`);
      if (out.length >= 3000) {
        yield `${out.join('\n')}\n`;
        out = [];
      }
    }
    if (out.length) yield `${out.join('\n')}\n`;
  }
  const started = performance.now();
  await Promise.all([
    psql(
      [
        '-c',
        '\\copy copy_message (id, sender_id, recipient_id, message_uuid, content_hash, label, status, received_at, available_at) from stdin',
      ],
      Readable.from(rows('message')),
    ),
    psql(
      [
        '-c',
        '\\copy copy_message_document (message_id, position, title, filename, media_type, sha256, size_bytes) from stdin',
      ],
      Readable.from(rows('document')),
    ),
    psql(
      ['-c', '\\copy copy_message_event (message_id, sender_id, type, occurred_at) from stdin'],
      Readable.from(rows('event')),
    ),
  ]);
  const seconds = (performance.now() - started) / 1000;
  return {
    seconds: Math.round(seconds * 10) / 10,
    lettersPerSecond: Math.round(letters / seconds),
    parallelStreams: 3,
  };
}
