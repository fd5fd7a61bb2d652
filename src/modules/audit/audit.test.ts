import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { createPerson } from '../../../test/support/fixtures.ts';
import { recordAudit, verifyAuditChain } from './audit.repository.ts';

let database: TestDatabase;

before(async () => {
  database = await createTestDatabase();
});
after(async () => {
  await database?.drop();
});

const entry = (mailbox: string | null, n: number, details: Record<string, unknown> = {}) => ({
  actorKind: 'citizen' as const,
  actorId: mailbox ?? 'system',
  action: 'message.open',
  subjectType: 'message',
  subjectId: `letter-${n}`,
  mailboxRecipientId: mailbox,
  details,
});

test('concurrent appends to one mailbox, to another and to no mailbox keep every chain whole', async () => {
  const { db } = database;
  const anna = await createPerson(db, '0101701234', 'Anna Audit');
  const bo = await createPerson(db, '0202701234', 'Bo Audit');
  // Forty appends at once on ten connections, each its own statement (autocommit), spread over three chains.
  await Promise.all(
    Array.from({ length: 40 }, (_, n) =>
      recordAudit(db, entry(n % 3 === 0 ? anna.id : n % 3 === 1 ? bo.id : null, n, { n })),
    ),
  );
  // And some inside transactions, as the letter pages' first reads do.
  await Promise.all(
    [0, 1, 2, 3].map((n) => db.transaction().execute((trx) => recordAudit(trx, entry(anna.id, 100 + n)))),
  );
  assert.equal(await verifyAuditChain(db), null);

  const rows = await db
    .selectFrom('audit_event')
    .select(['mailbox_recipient_id', 'prev_hash', 'hash'])
    .orderBy('id')
    .execute();
  assert.equal(rows.length, 44);
  for (const mailbox of [anna.id, bo.id, null]) {
    const chain = rows.filter((r) => r.mailbox_recipient_id === mailbox);
    // Each chain starts at the genesis hash and each event points at the one before it in its own chain.
    assert.equal(chain[0]?.prev_hash, '0'.repeat(64));
    for (const [i, row] of chain.entries()) if (i > 0) assert.equal(row.prev_hash, chain[i - 1]?.hash);
    assert.equal(new Set(chain.map((r) => r.prev_hash)).size, chain.length, 'no two events share a predecessor');
  }
});

test('the hash covers details as sent: nested keys in any order, Danish letters, quotes, control characters and emoji', async () => {
  const { db } = database;
  const carl = await createPerson(db, '0303701234', 'Carl Audit');
  await recordAudit(
    db,
    entry(carl.id, 1, { z: 1, a: { æøå: 'Ærø "citat"\n\t\u0001', b: [3, 'x', null, true] }, position: 2 }),
  );
  await recordAudit(db, entry(carl.id, 2, { emoji: '✉️ 📬' }));
  // A Date is stored as its ISO text and hashed as stored; undefined is left out.
  await recordAudit(db, entry(carl.id, 3, { endsAt: new Date('2027-12-06T23:25:42.669Z'), gone: undefined }));
  assert.equal(await verifyAuditChain(db), null);
});

test('changing or removing a stored event (with the append-only triggers bypassed) breaks the chain there', async () => {
  const { db } = database;
  const dora = await createPerson(db, '0404701234', 'Dora Audit');
  for (const n of [1, 2, 3]) await recordAudit(db, entry(dora.id, n, { n }));
  const ids = (
    await db.selectFrom('audit_event').select('id').where('mailbox_recipient_id', '=', dora.id).orderBy('id').execute()
  ).map((r) => r.id);
  assert.equal(await verifyAuditChain(db), null);
  // Only someone who can switch triggers off (a superuser) can change the log at all.
  const tamper = (statement: ReturnType<typeof sql>) =>
    db.transaction().execute(async (trx) => {
      await sql`set local session_replication_role = replica`.execute(trx);
      await statement.execute(trx);
    });

  await tamper(sql`update audit_event set details = '{"n": 9}' where id = ${ids[1]}`);
  assert.equal(await verifyAuditChain(db), ids[1]);
  await tamper(sql`update audit_event set details = '{"n": 2}' where id = ${ids[1]}`);
  assert.equal(await verifyAuditChain(db), null);

  await tamper(sql`delete from audit_event where id = ${ids[1]}`);
  assert.equal(await verifyAuditChain(db), ids[2]);
});
