import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { logIn } from '../src/modules/identity/log-in.ts';
import { createServices } from '../src/services.ts';
import { type CliResult, runKuvertCli } from './support/cli.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';

let database: TestDatabase;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kuvert-cli-senders-'));

before(async () => {
  database = await createTestDatabase();
});
after(async () => {
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Runs `kuvert senders …` against the test database; its exit code and output. */
function kuvert(args: string[]): Promise<CliResult> {
  return runKuvertCli(['senders', ...args], {
    DATABASE_URL: database.url,
    KUVERT_DATA_DIR: dataDir,
    NODE_ENV: 'development',
  });
}

const add = [
  '--cvr',
  '29189846',
  '--name',
  'Nordby Kommune',
  '--kind',
  'municipality',
  '--municipality',
  '0851',
  '--contact-email',
  'digitalpost@nordby.dk',
  '--admin-subject',
  'nordby-admin',
  '--admin-name',
  'Inge Nielsen',
];

test('kuvert senders add creates a sender whose administrator can log in and reach the portal; the same CVR again is refused', async () => {
  const created = await kuvert(['add', ...add]);
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stdout, /Created sender Nordby Kommune \(CVR 29189846\)/);

  const again = await kuvert(['add', ...add.slice(0, -4), '--admin-subject', 'other', '--admin-name', 'Other']);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /--cvr: There is already a sender with this CVR number/);

  const listed = await kuvert(['list']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, /29189846\s+municipality\s+1\/1\s+Nordby Kommune/);

  // The administrator logs in (the login use case the OIDC callback runs) and reaches the portal and its staff page.
  const config = loadConfig({ NODE_ENV: 'test', KUVERT_DATA_DIR: dataDir, LOG_LEVEL: 'warn', PORT: '0' });
  const services = createServices(config, database.db, database.pool);
  const app = await createApp(services, createLogger('warn', process.stderr));
  try {
    const { actor, sessionId } = await logIn(database.db, {
      claims: { sub: 'nordby-admin', name: 'Inge Nielsen' },
      issuer: 'https://idp.example',
      idToken: undefined,
    });
    assert.equal(actor.kind, 'sender_staff');
    for (const url of ['/afsender', '/afsender/medarbejdere', '/afsender/api-noegler']) {
      const page = await app.inject({ url, headers: { cookie: `kuvert_session=${sessionId}` } });
      assert.equal(page.statusCode, 200, url);
    }
  } finally {
    await app.close();
    await services.notifications.close();
    await services.pageImages.stop();
  }
});

test('kuvert senders: usage errors exit 2 and say what is wrong', async () => {
  const missing = await kuvert(['add', '--cvr', '29189846']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /missing --name, --kind, --contact-email, --admin-subject, --admin-name/);
  const unknown = await kuvert(['add', ...add, '--colour', 'blue']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /colour/);
  const nothing = await kuvert([]);
  assert.equal(nothing.code, 2);
  assert.match(nothing.stderr, /say "add" or "list"/);
  const invalid = await kuvert(['add', ...add.slice(0, 2).map((a, i) => (i === 1 ? '1234' : a)), ...add.slice(2)]);
  assert.equal(invalid.code, 1);
  assert.match(invalid.stderr, /--cvr: Enter a valid CVR number/);
});
