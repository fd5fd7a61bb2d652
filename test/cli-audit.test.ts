import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { recordAudit } from '../src/modules/audit/audit.repository.ts';
import { createAuditCheckpoint, exportAuditChain, publicEvidenceKeys } from '../src/modules/audit/index.ts';
import { type CliResult, runKuvertCli } from './support/cli.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { createPerson } from './support/fixtures.ts';

let database: TestDatabase;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kuvert-cli-audit-'));

before(async () => {
  database = await createTestDatabase();
});
after(async () => {
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Runs `kuvert audit …` against the test database; its exit code and output. */
function kuvert(args: string[]): Promise<CliResult> {
  return runKuvertCli(['audit', ...args], {
    DATABASE_URL: database.url,
    KUVERT_DATA_DIR: dataDir,
    NODE_ENV: 'development',
  });
}

const entry = (mailbox: string, n: number) => ({
  actorKind: 'citizen' as const,
  actorId: mailbox,
  action: 'message.open',
  subjectType: 'message',
  subjectId: `letter-${n}`,
  mailboxRecipientId: mailbox,
  details: { n },
});

test('kuvert audit verify: 0 when intact, 1 with the chain and event when tampered, 2 for usage errors', async () => {
  const { db } = database;
  const kim = await createPerson(db, '1111701111', 'Kim Cli');
  for (const n of [1, 2, 3]) await recordAudit(db, entry(kim.id, n));
  await createAuditCheckpoint(db);

  assert.equal((await kuvert(['verify', '--mailbox', 'not-a-uuid'])).code, 2);
  const intact = await kuvert(['verify']);
  assert.equal(intact.code, 0, intact.stderr + intact.stdout);
  assert.match(intact.stdout, /intact/);

  // The export, checked offline against a saved copy of the keys: intact, then edited.
  const keysFile = path.join(dataDir, 'keys.json');
  writeFileSync(keysFile, JSON.stringify(await publicEvidenceKeys(db)));
  const exported = await exportAuditChain(db, kim.id);
  const file = path.join(dataDir, 'export.json');
  writeFileSync(file, JSON.stringify(exported));
  // (An intact export verifies: export-audit.test.ts; here the exit code of an edited one.)
  exported.events[0] = { ...(exported.events[0] as (typeof exported.events)[0]), actorId: 'someone-else' };
  writeFileSync(file, JSON.stringify(exported));
  const edited = await kuvert(['verify', '--file', file, '--keys', keysFile]);
  assert.equal(edited.code, 1);
  assert.match(edited.stdout, /edited_row/);

  const [row] = await db
    .selectFrom('audit_event')
    .select('id')
    .where('mailbox_recipient_id', '=', kim.id)
    .orderBy('id', 'desc')
    .execute();
  await db.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx);
    await sql`delete from audit_event where id = ${row?.id}`.execute(trx);
  });
  const tampered = await kuvert(['verify', '--mailbox', kim.id]);
  assert.equal(tampered.code, 1, tampered.stderr);
  assert.match(tampered.stdout, new RegExp(`missing_newest_rows chain ${kim.id} event ${row?.id}`));
});
