import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { type App, createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { batchesPlugin } from '../../src/modules/messages/batches/batches.routes.ts';
import { createServices, type Services } from '../../src/services.ts';
import { startWorker, type Worker } from '../../src/worker.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { tinyPdf } from './fixtures.ts';
import { eventually } from './kuvert.ts';

/** A Kuvert with the batches API on a fresh database (the messages module's batch tests). */
export interface BatchEnv {
  database: TestDatabase;
  services: Services;
  app: App;
  url: string;
  worker: Worker | null;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startBatchEnv(options: { worker: boolean; env?: Record<string, string> }): Promise<BatchEnv> {
  const database = await createTestDatabase();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kuvert-batches-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    KUVERT_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    KUVERT_BATCH_CHUNK: '3',
    KUVERT_BATCH_PARTS: '2',
    ...options.env,
  });
  const logger = createLogger('warn', process.stderr);
  const services = createServices(config, database.db, database.pool);
  const app = await createApp(services, logger);
  if (!app.hasRoute({ method: 'POST', url: '/api/v1/batches' })) await app.register(batchesPlugin, { services });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address() as { port: number };
  const worker = options.worker ? await startWorker(services, logger, 2) : null;
  return {
    database,
    services,
    app,
    url: `http://127.0.0.1:${address.port}`,
    worker,
    dataDir,
    async stop() {
      await worker?.stop();
      await app.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** problem+json and status bodies, read loosely in tests. */
export type Json = any;

export async function postBatch(env: BatchEnv, key: string, body: RequestInit['body'], contentType?: string) {
  const response = await fetch(`${env.url}/api/v1/batches`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, ...(contentType ? { 'content-type': contentType } : {}) },
    body,
  });
  return { status: response.status, body: (await response.json()) as Json };
}

export async function getJson(env: BatchEnv, key: string, pathname: string) {
  const response = await fetch(`${env.url}${pathname}`, { headers: { authorization: `Bearer ${key}` } });
  return { status: response.status, body: (await response.json()) as Json };
}

export const waitBatchFinished = (env: BatchEnv, key: string, id: string) =>
  eventually(async () => {
    const { body } = await getJson(env, key, `/api/v1/batches/${id}`);
    return ['completed', 'cancelled', 'failed'].includes(body.state) ? body : null;
  }, 30_000);

/** A MeMo 1.2 letter with the tiny PDF, to `cpr`. */
export function memoXml(uuid: string, cpr: string, options: { label?: string; notification?: string } = {}) {
  return `<?xml version="1.0" encoding="UTF-8"?>
<memo:Message xmlns:memo="https://DigitalPost.dk/MeMo-1" memoVersion="1.2">
  <memo:MessageHeader>
    <memo:messageType>DIGITALPOST</memo:messageType>
    <memo:messageUUID>${uuid}</memo:messageUUID>
    <memo:label>${options.label ?? 'Pladsanvisning'}</memo:label>
    ${options.notification ? `<memo:notification>${options.notification}</memo:notification>` : ''}
    <memo:Sender>
      <memo:senderID>12345678</memo:senderID>
      <memo:idType>CVR</memo:idType>
      <memo:label>Kommunen</memo:label>
    </memo:Sender>
    <memo:Recipient>
      <memo:recipientID>${cpr}</memo:recipientID>
      <memo:idType>CPR</memo:idType>
    </memo:Recipient>
  </memo:MessageHeader>
  <memo:MessageBody>
    <memo:createdDateTime>2026-05-03T12:00:00Z</memo:createdDateTime>
    <memo:MainDocument>
      <memo:File>
        <memo:encodingFormat>application/pdf</memo:encodingFormat>
        <memo:filename>Pladsanvisning.pdf</memo:filename>
        <memo:language>da</memo:language>
        <memo:content>${tinyPdf.toString('base64')}</memo:content>
      </memo:File>
    </memo:MainDocument>
  </memo:MessageBody>
</memo:Message>
`;
}

/** A tar archive (gzip-compressed with `gzip`) of the given files, plus a directory entry, as tar(1) makes. */
export async function tarOf(files: [string, string | Buffer][], gzip = false): Promise<Buffer> {
  const archive = pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    archive.on('data', (chunk: unknown) => {
      chunks.push(chunk as Buffer);
    });
    archive.on('end', () => resolve());
    archive.on('error', reject);
  });
  archive.entry({ name: 'post/', type: 'directory' });
  for (const [name, content] of files) archive.entry({ name, size: Buffer.byteLength(content) }, content);
  archive.finalize();
  await done;
  const tar = Buffer.concat(chunks);
  return gzip ? gzipSync(tar) : tar;
}
