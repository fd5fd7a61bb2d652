import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { createPerson } from '../../../test/support/fixtures.ts';
import { recordAudit } from './audit.repository.ts';
import { createAuditCheckpoint } from './checkpoint.ts';
import { publicEvidenceKeys } from './evidence-key.ts';
import { exportAuditChain, verifyAuditExport } from './export-audit.ts';
import { verifyAudit } from './verify-audit.ts';

let database: TestDatabase;

before(async () => {
  database = await createTestDatabase();
});
after(async () => {
  await database?.drop();
});

const entry = (mailbox: string, n: number) => ({
  actorKind: 'citizen' as const,
  actorId: mailbox,
  action: 'message.open',
  subjectType: 'message',
  subjectId: `letter-${n}`,
  mailboxRecipientId: mailbox,
  details: { n, note: 'Åbnet på mit.dk ✉️' },
});

test('a signed export verifies with the published keys; a changed, shortened or re-signed one does not', async () => {
  const { db } = database;
  const ida = await createPerson(db, '0909701111', 'Ida Export');
  for (const n of [1, 2, 3]) await recordAudit(db, entry(ida.id, n));
  await createAuditCheckpoint(db, new Date('2026-12-06T11:00:00Z'));
  await recordAudit(db, entry(ida.id, 4)); // newer than the checkpoint: covered by the export's signature alone
  const keys = await publicEvidenceKeys(db);
  const exported = JSON.parse(JSON.stringify(await exportAuditChain(db, ida.id)));
  assert.equal(exported.events.length, 4);
  assert.ok(exported.checkpointJws);
  assert.deepEqual(await verifyAuditExport(exported, keys), []);

  const copy = () => JSON.parse(JSON.stringify(exported));
  const edited = copy();
  edited.events[1].details.n = 7;
  assert.equal((await verifyAuditExport(edited, keys))[0]?.kind, 'edited_row');

  const shortened = copy();
  shortened.events.pop();
  assert.equal((await verifyAuditExport(shortened, keys))[0]?.kind, 'missing_newest_rows');

  const otherCheckpoint = copy();
  otherCheckpoint.checkpointJws = otherCheckpoint.signature;
  assert.equal((await verifyAuditExport(otherCheckpoint, keys))[0]?.kind, 'forged_checkpoint');

  // Keys are only those the verifier trusts: none of Kuvert's, nothing verifies.
  assert.equal((await verifyAuditExport(exported, { keys: [] }))[0]?.kind, 'forged_checkpoint');
});

test('verify streams a 20,000-event chain in pages: it never holds more than one page, and still finds an edit', async () => {
  const { db } = database;
  const jens = await createPerson(db, '1010701111', 'Jens Bulk');
  // 20,000 appends in one statement, through kuvert_audit_append as recordAudit calls it (same tail format).
  await sql`
    select kuvert_audit_append(${jens.id}::uuid, '2026-12-06T10:00:00.000Z'::timestamptz, 'system', 'bulk',
             'test.bulk', 'test', n::text, '{}'::jsonb,
             '"2026-12-06T10:00:00.000Z","system","bulk","test.bulk","test","' || n || '","' || ${jens.id} || '",{}]')
      from generate_series(1, 20000) n`.execute(db);
  await createAuditCheckpoint(db, new Date('2026-12-06T12:00:00Z'));
  const intact = await verifyAudit(db, { mailbox: jens.id, pageSize: 500 });
  assert.deepEqual(intact.findings, []);
  assert.equal(intact.rows, 20000);
  assert.equal(intact.largestPage, 500);

  const { rows } = await sql<{ id: string }>`
    select id::text from audit_event where mailbox_recipient_id = ${jens.id} order by id offset 14999 limit 1`.execute(
    db,
  );
  await db.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx);
    await sql`update audit_event set subject_id = 'other' where id = ${rows[0]?.id}`.execute(trx);
  });
  const whole = await verifyAudit(db, { pageSize: 500 });
  assert.equal(whole.largestPage, 500);
  assert.deepEqual(
    whole.findings.map((f) => [f.kind, f.chain, f.id]),
    [['edited_row', jens.id, rows[0]?.id]],
  );
});
