import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { letterBody } from './support/fixtures.ts';

const DEMO_KEY = 'kuvert-cli-test-demo-key-0123456789';
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kuvert-cli-'));
const children: ChildProcess[] = [];

after(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function startKuvert(port: number) {
  const child = spawn(process.execPath, ['bin/kuvert.js', 'start'], {
    env: {
      ...process.env,
      DATABASE_URL: '',
      NODE_ENV: 'development',
      PORT: String(port),
      HOST: '127.0.0.1',
      KUVERT_DATA_DIR: dataDir,
      KUVERT_DEMO_API_KEY: DEMO_KEY,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const output = { stdout: '', stderr: '' };
  child.stdout?.on('data', (chunk) => {
    output.stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output.stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output, exited };
}

async function waitForPage(url: string, timeoutMs: number): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.ok) return response;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('kuvert start on an empty data folder serves the front page, takes a letter with the demo key, and a second Kuvert on the same folder is refused', async () => {
  const port = await freePort();
  const first = startKuvert(port);
  const started = Date.now();
  const front = await waitForPage(`http://localhost:${port}/`, 60_000);
  assert.match(front.headers.get('content-type') ?? '', /text\/html/);
  assert.ok(Date.now() - started < 60_000);

  // The README's curl example: a letter to the demo citizen Anna Jensen with the demo key.
  const sent = await fetch(`http://localhost:${port}/api/v1/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${DEMO_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(letterBody('1503851234')),
  });
  assert.equal(sent.status, 201, await sent.clone().text());

  const secondPort = await freePort();
  const second = startKuvert(secondPort);
  const code = await second.exited;
  assert.notEqual(code, 0);
  assert.match(second.output.stderr, /already used by another Kuvert/);
  assert.doesNotMatch(second.output.stderr, /at .*\.ts:\d+/, 'no stack trace');

  const health = await fetch(`http://localhost:${port}/healthz`);
  assert.equal(health.status, 200, 'the first Kuvert keeps running');

  assert.doesNotMatch(first.output.stdout, /1503851234|150385-1234/, 'no CPR number in the logs');

  first.child.kill('SIGTERM');
  assert.equal(await first.exited, 0);
  assert.equal(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid')), false, 'PostgreSQL was stopped');
  assert.equal(existsSync(path.join(dataDir, 'kuvert.lock')), false, 'the data folder was unlocked');
});

test('kuvert start again on the same folder reuses the data and needs no second seed', async () => {
  const port = await freePort();
  const again = startKuvert(port);
  await waitForPage(`http://localhost:${port}/healthz`, 60_000);
  again.child.kill('SIGINT');
  assert.equal(await again.exited, 0);
  assert.doesNotMatch(again.output.stdout, /shown once/, 'the demo key banner is printed only on first start');
});

test('kuvert with an unknown command explains the usage', async () => {
  const child = spawn(process.execPath, ['bin/kuvert.js', 'frobnicate'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c) => {
    stderr += c;
  });
  const code = await new Promise((resolve) => child.on('exit', resolve));
  assert.equal(code, 2);
  assert.match(stderr, /Usage: kuvert/);
});

test('a bad configuration value stops start-up with a message naming it', async () => {
  const child = spawn(process.execPath, ['bin/kuvert.js', 'migrate'], {
    env: { ...process.env, PORT: 'eighty' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c) => {
    stderr += c;
  });
  const code = await new Promise((resolve) => child.on('exit', resolve));
  assert.equal(code, 2);
  assert.match(stderr, /PORT/);
});
