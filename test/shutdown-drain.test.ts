import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createTestDatabase } from './support/database.ts';
import { createPerson, createSender, letterBody } from './support/fixtures.ts';
import { eventually } from './support/kuvert.ts';
import { startKuvertProcess } from './support/kuvert-process.ts';

/**
 * GET /readyz on a new connection: its status, `connection` header and code; null once nothing listens (refused, or
 * reset by a listener that closed as it accepted).
 */
async function readyz(url: string): Promise<{ status: number; connection: string; code?: string } | null> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${url}/readyz`, { agent: false }, (response) => {
      let text = '';
      response.on('data', (chunk) => {
        text += chunk;
      });
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          connection: String(response.headers.connection),
          code: response.statusCode === 503 ? (JSON.parse(text) as { code: string }).code : undefined,
        }),
      );
    });
    request.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNREFUSED' || error.code === 'ECONNRESET' ? resolve(null) : reject(error),
    );
  });
}

async function kuvertWithSender(t: { after(fn: () => unknown): void }, drainMs: number) {
  const database = await createTestDatabase();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kuvert-drain-'));
  let child: ChildProcess | undefined;
  t.after(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const sender = await createSender(database.db);
  await createPerson(database.db, '0101804321');
  const started = await startKuvertProcess({
    databaseUrl: database.url,
    dataDir,
    env: { KUVERT_SHUTDOWN_DRAIN_MS: String(drainMs), KUVERT_DOCUMENT_STORE: 'postgres' },
  });
  child = started.child;
  // The exit code, or the signal that ended the process.
  const exited = new Promise<number | string | null>((resolve) =>
    started.child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  return { url: started.url, child: started.child, exited, apiKey: sender.apiKey };
}

test('a server stopping with SIGTERM drains: /readyz turns 503 at once, a request in flight completes, exit 0', async (t) => {
  const kuvert = await kuvertWithSender(t, 1500);
  assert.equal((await readyz(kuvert.url))?.status, 200);

  // A slow upload, in flight across the whole shutdown: its headers and half its body now, the rest once the server
  // has stopped accepting connections.
  const body = Buffer.from(JSON.stringify(letterBody('0101804321', { messageUuid: randomUUID() })));
  const upload = http.request(`${kuvert.url}/api/v1/messages`, {
    method: 'POST',
    agent: false,
    headers: {
      authorization: `Bearer ${kuvert.apiKey}`,
      'content-type': 'application/json',
      'content-length': String(body.length),
    },
  });
  const answered = new Promise<{ status: number; connection: string; text: string }>((resolve, reject) => {
    upload.on('response', (response) => {
      let text = '';
      response.on('data', (chunk) => {
        text += chunk;
      });
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, connection: String(response.headers.connection), text }),
      );
    });
    upload.on('error', reject);
  });
  upload.write(body.subarray(0, body.length >> 1));

  kuvert.child.kill('SIGTERM');
  // Draining: not ready, told in problem+json, and the connection is not kept alive.
  const draining = await eventually(async () => {
    const answer = await readyz(kuvert.url);
    assert.ok(answer, 'the server still listens while it drains');
    return answer.status === 503 ? answer : null;
  }, 30_000);
  assert.equal(draining.code, 'shutting_down');
  assert.equal(draining.connection, 'close');
  // Then closed: no new connections…
  await eventually(async () => (await readyz(kuvert.url)) === null, 60_000);
  // …while the request in flight is still served, to the end.
  upload.end(body.subarray(body.length >> 1));
  const letter = await answered;
  assert.equal(letter.status, 201, letter.text);
  assert.equal(letter.connection, 'close');
  assert.equal(await kuvert.exited, 0);
});

test('a second signal during the drain ends the process at once', async (t) => {
  // A drain longer than the test waits: only the second signal can end the process in time.
  const kuvert = await kuvertWithSender(t, 600_000);
  kuvert.child.kill('SIGTERM');
  await eventually(async () => (await readyz(kuvert.url))?.status === 503, 30_000);
  kuvert.child.kill('SIGTERM');
  assert.equal(await kuvert.exited, 1);
});
