import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { verifyAudit } from './verify-audit.ts';

export interface AuditEntry {
  actorKind: 'citizen' | 'caseworker' | 'sender_staff' | 'operator' | 'sender_api' | 'system' | 'system_client';
  /** A pseudonymous id (recipient id, staff id, api key id) — never a CPR number. */
  actorId: string;
  action: string;
  subjectType: string;
  subjectId: string;
  /** The mailbox this concerns, so its owner can see the entry in their activity log. */
  mailboxRecipientId?: string | null;
  details?: Record<string, unknown>;
}

/** The previous hash of a chain's first event. */
export const GENESIS = '0'.repeat(64);

/** JSON with object keys sorted, so the hash survives jsonb's reordering of keys. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The hashed text: the canonical JSON array of the previous hash, the time and the entry. */
function chainText(prev: string, at: string, entry: AuditEntry): string {
  return canonicalJson([
    prev,
    at,
    entry.actorKind,
    entry.actorId,
    entry.action,
    entry.subjectType,
    entry.subjectId,
    entry.mailboxRecipientId ?? null,
    entry.details ?? {},
  ]);
}

/** The hash of an event after `prev` (what kuvert_audit_append stores). */
export function chainHash(prev: string, at: string, entry: AuditEntry): string {
  return createHash('sha256')
    .update(chainText(prev, at, entry))
    .digest('hex');
}

/**
 * Appends an audit event inside the caller's transaction (or as a statement of its own when given the database),
 * chained to the previous event's hash in its chain: one chain per mailbox (mailbox_recipient_id) and one for
 * everything else. One statement: kuvert_audit_append (migration 0022) takes the chain's lock, reads its head and
 * inserts the event; Node gives it the hashed text after the head, so the hash is the same as chainHash computes.
 */
export async function recordAudit(trx: Db, entry: AuditEntry): Promise<void> {
  // One chain per mailbox (and one for events about no mailbox), so opening letters in different mailboxes does not
  // queue on one lock. One writer at a time extends a chain; the lock is released when the caller's transaction ends.
  const at = new Date().toISOString();
  const details = entry.details ?? {};
  const tail = chainText(GENESIS, at, entry).slice(GENESIS.length + 4);
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
