import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

/**
 * Starts `kuvert start` on a port of its own choosing (PORT=0). Its URL is read from its log, never guessed: a port
 * picked here and freed could be taken by another test's server before Kuvert binds it, and that server would answer.
 */
function startKuvert() {
  const child = spawn(process.execPath, ['bin/kuvert.js', 'start'], {
    env: {
      ...process.env,
      DATABASE_URL: '',
      NODE_ENV: 'development',
      PORT: '0',
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
  const exited = new Promise<number | string | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal)),
  );
  const url = new Promise<string>((resolve, reject) => {
    const look = () => {
      const found = /Kuvert is running at (http:\/\/localhost:\d+)/.exec(output.stdout);
      if (found?.[1]) resolve(found[1]);
    };
    child.stdout?.on('data', look);
    exited.then((code) => reject(new Error(`kuvert exited with ${code} before it was running:\n${output.stderr}`)));
  });
  url.catch(() => {});
  return { child, output, exited, url };
}

async function runningUrl(kuvert: ReturnType<typeof startKuvert>, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`kuvert was not running within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([kuvert.url, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Exit code 0; else the code or the signal (e.g. SIGTRAP for a crash inside Node) and the end of its output. */
async function exitsCleanly(kuvert: ReturnType<typeof startKuvert>): Promise<void> {
  const code = await kuvert.exited;
  const { stderr, stdout } = kuvert.output;
  assert.equal(code, 0, `kuvert exited with ${code}\nstderr:\n${stderr.slice(-3000)}\nstdout:\n${stdout.slice(-3000)}`);
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
  const first = startKuvert();
  const started = Date.now();
  const base = await runningUrl(first, 60_000);
  const front = await waitForPage(`${base}/`, 10_000);
  assert.match(front.headers.get('content-type') ?? '', /text\/html/);
  assert.ok(Date.now() - started < 60_000);

  // The README's curl example: a letter to the demo citizen Anna Jensen with the demo key.
  const sent = await fetch(`${base}/api/v1/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${DEMO_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(letterBody('1503851234')),
  });
  assert.equal(sent.status, 201, await sent.clone().text());

  const second = startKuvert();
  const code = await second.exited;
  assert.notEqual(code, 0);
  assert.match(second.output.stderr, /already used by another Kuvert/);
  assert.doesNotMatch(second.output.stderr, /at .*\.ts:\d+/, 'no stack trace');

  const health = await fetch(`${base}/healthz`);
  assert.equal(health.status, 200, 'the first Kuvert keeps running');

  assert.doesNotMatch(first.output.stdout, /1503851234|150385-1234/, 'no CPR number in the logs');

  first.child.kill('SIGTERM');
  await exitsCleanly(first);
  assert.equal(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid')), false, 'PostgreSQL was stopped');
  assert.equal(existsSync(path.join(dataDir, 'kuvert.lock')), false, 'the data folder was unlocked');
});

test('kuvert start again on the same folder reuses the data and needs no second seed', async () => {
  const again = startKuvert();
  const base = await runningUrl(again, 60_000);
  await waitForPage(`${base}/healthz`, 10_000);
  again.child.kill('SIGINT');
  await exitsCleanly(again);
  assert.doesNotMatch(again.output.stdout, /shown once/, 'the demo key banner is printed only on first start');
});

test('Ctrl-C while Kuvert is still starting stops it in order: exit code 0, PostgreSQL stopped, the folder unlocked', async () => {
  const starting = startKuvert();
  const deadline = Date.now() + 60_000;
  while (!/Starting PostgreSQL/.test(starting.output.stdout)) {
    assert.ok(Date.now() < deadline, 'kuvert did not begin to start');
    await new Promise((r) => setTimeout(r, 20));
  }
  starting.child.kill('SIGINT');
  await exitsCleanly(starting);
  assert.equal(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid')), false, 'PostgreSQL was stopped');
  assert.equal(existsSync(path.join(dataDir, 'kuvert.lock')), false, 'the data folder was unlocked');
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

test('Kuvert stops when told to even after its embedded PostgreSQL died under it, and starts again afterwards', async () => {
  const kuvert = startKuvert();
  const base = await runningUrl(kuvert, 60_000);
  await waitForPage(`${base}/healthz`, 10_000);
  // The postmaster's PID is the first line of postmaster.pid; killing it stands in for a crash or an OOM kill.
  const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
  const postmaster = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  assert.ok(postmaster > 0);
  process.kill(postmaster, 'SIGKILL');
  const gone = Date.now() + 10_000;
  while (isAlive(postmaster)) {
    assert.ok(Date.now() < gone, 'PostgreSQL did not die');
    await new Promise((r) => setTimeout(r, 50));
  }
  kuvert.child.kill('SIGINT');
  const code = await Promise.race([kuvert.exited, new Promise((r) => setTimeout(() => r('hung'), 45_000))]);
  assert.notEqual(code, 'hung', `kuvert did not exit:\n${kuvert.output.stdout.slice(-2000)}`);
  await exitsCleanly(kuvert); // it stopped what there was left to stop: nothing went wrong on its side
  assert.equal(existsSync(path.join(dataDir, 'kuvert.lock')), false, 'the data folder was unlocked');

  const again = startKuvert();
  const url = await runningUrl(again, 60_000);
  await waitForPage(`${url}/healthz`, 10_000);
  again.child.kill('SIGINT');
  await exitsCleanly(again);
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
