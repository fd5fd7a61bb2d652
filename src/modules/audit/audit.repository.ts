import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { type AuditEntry, chainText, GENESIS } from './chain-hash.ts';
import { verifyAudit } from './verify-audit.ts';

export { type AuditEntry, chainHash, GENESIS } from './chain-hash.ts';

/**
 * Appends an audit event inside the caller's transaction (or as a statement of its own when given the database),
 * chained to the previous event's hash in its chain: one chain per mailbox (mailbox_recipient_id) and one for
 * everything else. One statement: kuvert_audit_append (migrations 0022, 0039) takes the chain's lock, reads its head,
 * inserts the event and marks the chain as moved for the next checkpoint; Node gives it the hashed text after the
 * head, so the hash is the same as chainHash computes. The log is append-only (triggers and privileges, 0039).
 */
export async function recordAudit(trx: Db, entry: AuditEntry): Promise<void> {
  // One chain per mailbox (and one for events about no mailbox), so opening letters in different mailboxes does not
  // queue on one lock. One writer at a time extends a chain; the lock is released when the caller's transaction ends.
  const at = new Date().toISOString();
  // Details as they will be stored: the JSON of them (a Date becomes its ISO text, undefined goes), so that the hash
  // covers what the verifier reads back. Hashing the objects themselves hashed a Date as {}.
  const details = JSON.parse(JSON.stringify(entry.details ?? {})) as Record<string, unknown>;
  const tail = chainText(GENESIS, at, { ...entry, details }).slice(GENESIS.length + 4);
  await sql`select kuvert_audit_append(${entry.mailboxRecipientId ?? null}::uuid, ${at}::timestamptz,
              ${entry.actorKind}, ${entry.actorId}, ${entry.action}, ${entry.subjectType}, ${entry.subjectId},
              ${JSON.stringify(details)}::jsonb, ${tail})`.execute(trx);
}

/**
 * Checks every chain (verify-audit.ts, streaming, against the checkpoints); returns the id of the first event (or the
 * first chain) found wrong, or null if all are intact. Kept for tests that only ask "is the log whole".
 */
export async function verifyAuditChain(db: Db): Promise<string | null> {
  const report = await verifyAudit(db, {});
  const first = report.findings[0];
  return first ? (first.id ?? first.chain ?? first.checkpoint ?? 'unknown') : null;
}
