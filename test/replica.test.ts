import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { loadConfig } from '../src/config.ts';
import { READ_AFTER_COOKIE, READ_AFTER_HEADER, READ_SOURCE_HEADER } from '../src/http/read-after.ts';
import { createLogger } from '../src/logger.ts';
import { createSession } from '../src/modules/identity/session.ts';
import { type Running, startKuvert } from '../src/runtime.ts';
import { createPerson, createSender, letterBody } from './support/fixtures.ts';
import { eventually } from './support/kuvert.ts';
import { type ReplicaCluster, startReplicaCluster } from './support/replica-cluster.ts';

// Replica reads against a real streaming replica that applies every commit 2 s late (recovery_min_apply_delay), and
// whose replay the test pauses to make "the replica is behind" certain rather than likely. The assertions are
// invariants over every read, never timings: what a reader has done or seen never goes back.
const CPR = '1503851234';
const TIMEOUT = 60_000;
/** A writer's reads continue until this many of them came from the replica (it has caught up with the writer). */
const REPLICA_READS = 3;

let cluster: ReplicaCluster | undefined;
let kuvert: Running | undefined;
let dataDir: string | undefined;
let url = '';
let apiKey = '';
let personId = '';

before(async () => {
  cluster = await startReplicaCluster({ applyDelay: '2s' });
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'kuvert-replica-data-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    KUVERT_DATA_DIR: dataDir,
    KUVERT_SEED: 'false',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    KUVERT_STATUS_DB_SLOW_MS: '60000',
    DATABASE_URL: cluster.primary.url,
    DATABASE_REPLICA_URL: cluster.replica.url,
  });
  kuvert = await startKuvert(config, createLogger(config.logLevel, process.stderr), {
    server: true,
    worker: true,
    seed: false,
  });
  url = kuvert.url ?? '';
  const db = kuvert.services.db;
  apiKey = (await createSender(db, 'Replikakommune')).apiKey;
  personId = (await createPerson(db, CPR, 'Rikke Replika')).id;
  // The replica has the schema and the person before anything is asked of it (until then the table is missing).
  const replica = cluster;
  await eventually(
    () =>
      replica
        .query(replica.replica, `select 1 from recipient where id = '${personId}'`)
        .then((rows) => rows.length === 1)
        .catch(() => false),
    TIMEOUT,
  );
});

after(async () => {
  await kuvert?.stop();
  await cluster?.destroy();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** A browser: the session cookie, and whatever cookies Kuvert sets (the read position among them). */
class Browser {
  readonly cookies = new Map<string, string>();
  csrf = '';
  constructor(readonly keepsCookies = true) {}

  static async logIn(keepsCookies = true): Promise<Browser> {
    const db = kuvert?.services.db;
    assert.ok(db);
    const actor = { kind: 'citizen' as const, subject: `test-${CPR}`, name: 'Rikke Replika', recipientId: personId };
    const { sessionId, csrfToken } = await createSession(db, actor, null);
    const browser = new Browser(keepsCookies);
    browser.cookies.set('kuvert_session', sessionId);
    browser.csrf = csrfToken;
    return browser;
  }

  async fetch(pathname: string, init: RequestInit = {}) {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(`${url}${pathname}`, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie },
    });
    if (this.keepsCookies) {
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const at = pair?.indexOf('=') ?? -1;
        if (pair && at > 0) this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
      }
    }
    const text = await response.text();
    return { status: response.status, text, source: response.headers.get(READ_SOURCE_HEADER) };
  }

  post(pathname: string, fields: Record<string, string>) {
    return this.fetch(pathname, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: this.csrf, ...fields }),
    });
  }
}

/** The list row of a letter on a mailbox page, or null when the page does not list it. */
const rowOf = (html: string, id: string) =>
  html.split('<li class="kuvert-letter').find((row) => row.includes(`/post/${id}`)) ?? null;

async function sendLetter(label: string): Promise<string> {
  const response = await fetch(`${url}/api/v1/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(letterBody(CPR, { label })),
  });
  const body = (await response.json()) as { id: string };
  assert.equal(response.status, 201, JSON.stringify(body));
  await eventually(
    async () =>
      (
        await kuvert?.services.db
          .selectFrom('message')
          .select('available_at')
          .where('id', '=', body.id)
          .executeTakeFirst()
      )?.available_at,
    TIMEOUT,
  );
  return body.id;
}

async function pauseReplay() {
  assert.ok(cluster);
  await cluster.query(cluster.replica, 'select pg_wal_replay_pause()');
  await eventually(async () => {
    const [row] = await (cluster as ReplicaCluster).query<{ state: string }>(
      cluster?.replica as never,
      'select pg_get_wal_replay_pause_state() as state',
    );
    return row?.state === 'paused';
  }, TIMEOUT);
}

const resumeReplay = () => cluster?.query(cluster.replica, 'select pg_wal_replay_resume()');

/** What a fresh reader (no position) is shown once the replica answers it: the page read from the replica. */
async function freshReplicaRead(pathname: string) {
  return eventually(async () => {
    const page = await (await Browser.logIn(false)).fetch(pathname);
    assert.equal(page.status, 200);
    return page.source === 'replica' ? page : null;
  }, TIMEOUT);
}

/**
 * Reads `pathname` as `browser` again and again, checking `invariant` on every page, until REPLICA_READS of them came
 * from the replica. Returns how many came from each.
 */
async function readUntilReplicaCaughtUp(browser: Browser, pathname: string, invariant: (html: string) => void) {
  const sources = { replica: 0, primary: 0 };
  await eventually(async () => {
    const page = await browser.fetch(pathname);
    assert.equal(page.status, 200);
    invariant(page.text);
    sources[page.source === 'replica' ? 'replica' : 'primary']++;
    return sources.replica >= REPLICA_READS;
  }, TIMEOUT);
  return sources;
}

test('a moved letter never goes back: the mover reads from the primary until the replica has the move', async () => {
  const id = await sendLetter('Flyttes til arkivet');
  const writer = await Browser.logIn();
  // The replica has the letter in the Inbox.
  await eventually(async () => rowOf((await freshReplicaRead('/post')).text, id), TIMEOUT);

  await pauseReplay();
  try {
    assert.equal((await writer.post('/post/handling', { id, handling: 'move', mappe: 'arkiv' })).status, 303);
    const inbox = await writer.fetch('/post');
    assert.equal(inbox.source, 'primary', 'the replica has not replayed the move');
    assert.equal(rowOf(inbox.text, id), null);
    // Someone with no position is served by the replica, which still has the letter in the Inbox: the replica is
    // really behind, and only the position keeps the mover from seeing that.
    assert.notEqual(rowOf((await freshReplicaRead('/post')).text, id), null);
  } finally {
    await resumeReplay();
  }
  const sources = await readUntilReplicaCaughtUp(writer, '/post', (html) =>
    assert.equal(rowOf(html, id), null, 'the moved letter is back in the Inbox'),
  );
  assert.ok(sources.primary >= 1);
  await readUntilReplicaCaughtUp(writer, '/post?mappe=arkiv', (html) =>
    assert.notEqual(rowOf(html, id), null, 'the moved letter is missing from the archive'),
  );
});

test('a read mark never goes back: opening a letter (a write on a GET) is read from the primary after', async () => {
  const id = await sendLetter('Læses nu');
  const reader = await Browser.logIn();
  await eventually(async () => rowOf((await freshReplicaRead('/post')).text, id), TIMEOUT);

  await pauseReplay();
  try {
    assert.equal((await reader.fetch(`/post/${id}`)).status, 200);
    const inbox = await reader.fetch('/post');
    assert.equal(inbox.source, 'primary');
    assert.doesNotMatch(rowOf(inbox.text, id) ?? 'missing', />Ulæst</);
    assert.match(rowOf((await freshReplicaRead('/post')).text, id) ?? '', />Ulæst</, 'the replica is behind');
  } finally {
    await resumeReplay();
  }
  await readUntilReplicaCaughtUp(reader, '/post', (html) => {
    const row = rowOf(html, id);
    assert.ok(row, 'the letter is listed');
    assert.doesNotMatch(row, />Ulæst</, 'the letter is unread again');
  });
});

test('a new letter never goes back: once a page from the primary has shown it, no older replica answers', async () => {
  const reader = await Browser.logIn();
  const earlier = await sendLetter('Et tidligere brev');
  await eventually(async () => rowOf((await reader.fetch('/post')).text, earlier), TIMEOUT);

  await pauseReplay();
  let id = '';
  try {
    // The worker delivers it: not the reader's write, so the replica may show it later.
    id = await sendLetter('Et nyt brev');
    const before = await reader.fetch('/post');
    if (before.source === 'replica') assert.equal(rowOf(before.text, id), null, 'replay is paused before the letter');
    // Opening another letter is served by the primary and moves the reader's position past the new letter.
    assert.equal((await reader.fetch(`/post/${earlier}`)).status, 200);
    const seen = await reader.fetch('/post');
    assert.equal(seen.source, 'primary');
    assert.notEqual(rowOf(seen.text, id), null, 'the primary shows the new letter');
  } finally {
    await resumeReplay();
  }
  await readUntilReplicaCaughtUp(reader, '/post', (html) =>
    assert.notEqual(rowOf(html, id), null, 'the new letter disappeared after it was shown'),
  );
});

test('API clients carry their position in the Kuvert-Read-After header', async () => {
  const read = async (position?: string) => {
    const response = await fetch(`${url}/api/v1/stats`, { headers: position ? { [READ_AFTER_HEADER]: position } : {} });
    await response.arrayBuffer();
    assert.equal(response.status, 200);
    return { source: response.headers.get(READ_SOURCE_HEADER), position: response.headers.get(READ_AFTER_HEADER) };
  };
  // A position the replica cannot have replayed: the primary, and the position comes back at least as far.
  const far = await read('FFFFFF/0');
  assert.equal(far.source, 'primary');
  assert.equal(far.position, 'FFFFFF/0');
  // A position long replayed: the replica (once the poller has seen it), and the answer names where it was.
  const near = await eventually(async () => {
    const answer = await read('0/1');
    return answer.source === 'replica' ? answer : null;
  }, TIMEOUT);
  assert.match(near.position ?? '', /^[0-9A-F]+\/[0-9A-F]+$/);
  // A forged cookie position is ignored (it is signed): the reader is routed as one with no position.
  await eventually(async () => {
    const forged = await fetch(`${url}/api/v1/stats`, { headers: { cookie: `${READ_AFTER_COOKIE}=FFFFFF/0` } });
    await forged.arrayBuffer();
    assert.equal(forged.status, 200);
    return forged.headers.get(READ_SOURCE_HEADER) === 'replica';
  }, TIMEOUT);
});

test('with the replica stopped every page and the API still answer, from the primary', async () => {
  assert.ok(cluster && kuvert);
  const reader = await Browser.logIn();
  const id = await sendLetter('Mens replikaen er væk');
  await eventually(async () => rowOf((await reader.fetch('/post')).text, id), TIMEOUT);
  await cluster.stopReplica();
  const paths = ['/post', '/post?mappe=arkiv', '/post/soeg?q=brev', '/statistik', '/drift', '/api/v1/stats'];
  const readAll = async () => {
    for (const pathname of paths) {
      for (const browser of [reader, await Browser.logIn(false)]) {
        const page = await browser.fetch(pathname);
        assert.equal(page.status, 200, `${pathname}: ${page.text.slice(0, 300)}`);
        assert.equal(page.source, 'primary', pathname);
        if (pathname === '/post') assert.notEqual(rowOf(page.text, id), null);
      }
    }
  };
  await readAll();
  // Also once the poller has noticed (no position at all), and the API of a sender.
  await eventually(async () => kuvert?.services.reads.stats().healthy === false, TIMEOUT);
  await readAll();
  const status = await fetch(`${url}/api/v1/messages/${id}`, { headers: { authorization: `Bearer ${apiKey}` } });
  await status.arrayBuffer();
  assert.equal(status.status, 200);
});
