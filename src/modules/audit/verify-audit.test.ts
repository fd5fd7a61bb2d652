import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, test } from 'node:test';
import { CompactSign, importJWK, type JWK } from 'jose';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { createPerson } from '../../../test/support/fixtures.ts';
import type { Db } from '../../db/database.ts';
import { chainHash, GENESIS, recordAudit } from './audit.repository.ts';
import { CHECKPOINT_TYP, createAuditCheckpoint, latestAuditCheckpoint, sha256 } from './checkpoint.ts';
import { verifyAudit } from './verify-audit.ts';

let database: TestDatabase;

before(async () => {
  database = await createTestDatabase();
});
after(async () => {
  await database?.drop();
});

const entry = (mailbox: string | null, n: number) => ({
  actorKind: 'citizen' as const,
  actorId: mailbox ?? 'system',
  action: 'message.open',
  subjectType: 'message',
  subjectId: `letter-${n}`,
  mailboxRecipientId: mailbox,
  details: { n },
});

/** What an attacker who can bypass triggers (a superuser) does: the statement with the triggers off. */
async function tamper(db: Db, statement: ReturnType<typeof sql>) {
  await db.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx);
    await statement.execute(trx);
  });
}

async function chainIds(db: Db, mailbox: string): Promise<string[]> {
  const rows = await db
    .selectFrom('audit_event')
    .select('id')
    .where('mailbox_recipient_id', '=', mailbox)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

let hour = Date.parse('2026-12-06T10:30:00Z');
/** A checkpoint in the next hour (each test's checkpoint is a new one). */
const checkpoint = (db: Db) => {
  hour += 3_600_000;
  return createAuditCheckpoint(db, new Date(hour));
};

test('the owner cannot update, delete or truncate the audit tables: the triggers refuse', async () => {
  const { db } = database;
  const anna = await createPerson(db, '0101701111', 'Anna Append');
  await recordAudit(db, entry(anna.id, 1));
  await checkpoint(db);
  const [id] = await chainIds(db, anna.id);
  for (const statement of [
    sql`update audit_event set details = '{"n": 2}' where id = ${id}`,
    sql`delete from audit_event where id = ${id}`,
    sql`truncate audit_event cascade`,
    sql`update audit_checkpoint set jws = 'x'`,
    sql`delete from audit_checkpoint`,
    sql`truncate audit_checkpoint`,
    sql`delete from audit_checkpoint_head`,
  ]) {
    await assert.rejects(statement.execute(db), /append-only/, statement.compile(db).sql);
  }
  const row = await db
    .selectFrom('audit_event')
    .select('details')
    .where('id', '=', id as string)
    .executeTakeFirst();
  assert.deepEqual(row?.details, { n: 1 });
});

test('the application role kuvert_app may insert audit events but not change them (privileges)', async () => {
  const { db } = database;
  const bo = await createPerson(db, '0202701111', 'Bo Append');
  await recordAudit(db, entry(bo.id, 1));
  const [id] = await chainIds(db, bo.id);
  const asApp = (statement: ReturnType<typeof sql>) =>
    db.transaction().execute(async (trx) => {
      await sql`set local role kuvert_app`.execute(trx);
      return statement.execute(trx);
    });
  // It can do its work: append (through kuvert_audit_append) and change other tables.
  await db.transaction().execute(async (trx) => {
    await sql`set local role kuvert_app`.execute(trx);
    await recordAudit(trx, entry(bo.id, 2));
  });
  await asApp(sql`update recipient set name = 'Bo Append' where id = ${bo.id}`);
  for (const statement of [
    sql`update audit_event set details = '{}' where id = ${id}`,
    sql`delete from audit_event where id = ${id}`,
    sql`truncate audit_event`,
    sql`update audit_chain_head set dirty = true`,
    sql`delete from audit_checkpoint`,
  ]) {
    await assert.rejects(asApp(statement), /permission denied/, statement.compile(db).sql);
  }
  assert.equal((await chainIds(db, bo.id)).length, 2);
});

test('a checkpoint per hour: idempotent, records only the heads that moved, links to the one before', async () => {
  const { db } = database;
  const carl = await createPerson(db, '0303701111', 'Carl Checkpoint');
  const dora = await createPerson(db, '0404701111', 'Dora Checkpoint');
  await recordAudit(db, entry(carl.id, 1));
  await recordAudit(db, entry(dora.id, 1));
  hour += 3_600_000;
  const at = new Date(hour);
  // Two workers at once: one checkpoint.
  const made = await Promise.all([createAuditCheckpoint(db, at), createAuditCheckpoint(db, at)]);
  assert.equal(made.filter((id) => id !== null).length, 1);
  const first = await latestAuditCheckpoint(db);
  assert.ok(first);
  const chains = await db
    .selectFrom('audit_checkpoint_head')
    .select('chain')
    .where('checkpoint_id', '=', first.seq)
    .execute();
  assert.ok(chains.some((c) => c.chain === carl.id) && chains.some((c) => c.chain === dora.id));

  await recordAudit(db, entry(carl.id, 2));
  const second = await checkpoint(db);
  const heads = await db
    .selectFrom('audit_checkpoint_head')
    .select(['chain', 'event_count'])
    .where('checkpoint_id', '=', second as string)
    .execute();
  assert.deepEqual(heads, [{ chain: carl.id, event_count: '2' }]);
  const latest = await latestAuditCheckpoint(db);
  assert.equal(latest?.payload.previous, sha256(first.jws));
  assert.equal(latest?.payload.heads, 1);
  assert.deepEqual((await verifyAudit(db, {})).findings, []);
});

test('an edited row is found, in the chain it belongs to', async () => {
  const { db } = database;
  const eva = await createPerson(db, '0505701111', 'Eva Edited');
  for (const n of [1, 2, 3]) await recordAudit(db, entry(eva.id, n));
  await checkpoint(db);
  const ids = await chainIds(db, eva.id);
  await tamper(db, sql`update audit_event set details = '{"n": 9}' where id = ${ids[1]}`);
  const { findings } = await verifyAudit(db, { mailbox: eva.id });
  assert.equal(findings[0]?.kind, 'edited_row');
  assert.equal(findings[0]?.id, ids[1]);
  await tamper(db, sql`update audit_event set details = '{"n": 2}' where id = ${ids[1]}`);
  assert.deepEqual((await verifyAudit(db, { mailbox: eva.id })).findings, []);
});

test('deleting the newest rows leaves a chain that is whole in itself, but short of its checkpoint', async () => {
  const { db } = database;
  const finn = await createPerson(db, '0606701111', 'Finn Deleted');
  for (const n of [1, 2, 3]) await recordAudit(db, entry(finn.id, n));
  await checkpoint(db);
  const ids = await chainIds(db, finn.id);
  // A thorough attacker also puts the head table back: only the signed checkpoint remembers.
  await tamper(db, sql`delete from audit_event where id = ${ids[2]}`);
  await tamper(
    db,
    sql`update audit_chain_head h set last_id = e.id, head_hash = e.hash, event_count = 2
          from audit_event e where e.id = ${ids[1]} and h.chain = ${finn.id}`,
  );
  const { findings } = await verifyAudit(db, { mailbox: finn.id });
  assert.deepEqual(
    findings.map((f) => [f.kind, f.id]),
    [['missing_newest_rows', ids[2]]],
  );
});

test('a chain recomputed after an edit hashes well, but not as its checkpoint recorded', async () => {
  const { db } = database;
  const gro = await createPerson(db, '0707701111', 'Gro Recomputed');
  for (const n of [1, 2, 3]) await recordAudit(db, entry(gro.id, n));
  await checkpoint(db);
  const rows = await db
    .selectFrom('audit_event')
    .selectAll()
    .where('mailbox_recipient_id', '=', gro.id)
    .orderBy('id')
    .execute();
  // Rewrite event 2's details and every hash from there on, as the database's owner could.
  let prev = rows[0]?.hash as string;
  for (const [i, row] of rows.entries()) {
    if (i === 0) continue;
    const details = i === 1 ? { n: 99 } : row.details;
    const hash = chainHash(prev, new Date(row.occurred_at).toISOString(), {
      ...entry(gro.id, 0),
      subjectId: row.subject_id,
      details,
    });
    await tamper(
      db,
      sql`update audit_event set details = ${JSON.stringify(details)}::jsonb, prev_hash = ${prev}, hash = ${hash}
          where id = ${row.id}`,
    );
    prev = hash;
  }
  await tamper(db, sql`update audit_chain_head set head_hash = ${prev} where chain = ${gro.id}`);
  const { findings } = await verifyAudit(db, { mailbox: gro.id });
  assert.deepEqual(
    findings.map((f) => [f.kind, f.id]),
    [['recomputed_chain', rows[2]?.id]],
  );
});

test('a forged checkpoint is found: signed with another key, or with its heads changed', async () => {
  const { db } = database;
  const hans = await createPerson(db, '0808701111', 'Hans Forged');
  await recordAudit(db, entry(hans.id, 1));
  const real = await checkpoint(db);
  const before = await verifyAudit(db, {});
  // Earlier tests tampered on purpose; what matters here is what forging adds.
  const already = before.findings.filter((f) => f.kind === 'forged_checkpoint');
  assert.deepEqual(already, []);

  // 1. Extra head rows slipped into the real checkpoint: its signed digest no longer matches.
  await db
    .insertInto('audit_checkpoint_head')
    .values({ checkpoint_id: real as string, chain: GENESIS, last_id: '1', head_hash: GENESIS, event_count: '1' })
    .execute();
  let forged = (await verifyAudit(db, {})).findings.filter((f) => f.kind === 'forged_checkpoint');
  assert.deepEqual(
    forged.map((f) => f.checkpoint),
    [real],
  );

  // 2. A new checkpoint signed with a key Kuvert never published.
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' }) as JWK;
  const latest = await latestAuditCheckpoint(db);
  const payload = { ...latest?.payload, seq: '999', previous: sha256(latest?.jws ?? '') };
  const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'EdDSA', kid: 'forger', typ: CHECKPOINT_TYP })
    .sign(await importJWK(jwk, 'EdDSA'));
  await db
    .insertInto('audit_checkpoint')
    .values({ id: '999', hour: new Date(0), jws })
    .execute();
  forged = (await verifyAudit(db, {})).findings.filter((f) => f.kind === 'forged_checkpoint');
  assert.deepEqual(
    forged.map((f) => f.checkpoint),
    [real, '999'],
  );
  assert.match(forged[1]?.reason ?? '', /signature/);
});
