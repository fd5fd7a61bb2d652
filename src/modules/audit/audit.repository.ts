import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

export interface AuditEntry {
  actorKind: 'citizen' | 'caseworker' | 'sender_staff' | 'operator' | 'sender_api' | 'system';
  /** A pseudonymous id (recipient id, staff id, api key id) — never a CPR number. */
  actorId: string;
  action: string;
  subjectType: string;
  subjectId: string;
  /** The mailbox this concerns, so its owner can see the entry in their activity log. */
  mailboxRecipientId?: string | null;
  details?: Record<string, unknown>;
}

const GENESIS = '0'.repeat(64);

/** JSON with object keys sorted, so the hash survives jsonb's reordering of keys. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

function chainHash(prev: string, at: string, entry: AuditEntry): string {
  const canonical = canonicalJson([
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
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * Appends an audit event inside the caller's transaction, chained to the previous event's hash in its chain: one
 * chain per mailbox (mailbox_recipient_id) and one for everything else.
 */
export async function recordAudit(trx: Db, entry: AuditEntry): Promise<void> {
  // One chain per mailbox (and one for events about no mailbox), so opening letters in different mailboxes does not
  // queue on one lock. One writer at a time extends a chain; the lock is released when the caller's transaction ends.
  const mailbox = entry.mailboxRecipientId ?? null;
  if (mailbox) await sql`select pg_advisory_xact_lock(7373001, hashtext(${mailbox}))`.execute(trx);
  else await sql`select pg_advisory_xact_lock(7373001)`.execute(trx);
  const last = await trx
    .selectFrom('audit_event')
    .select('hash')
    .where('mailbox_recipient_id', mailbox ? '=' : 'is', mailbox)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const prev = last?.hash ?? GENESIS;
  const at = new Date().toISOString();
  await trx
    .insertInto('audit_event')
    .values({
      occurred_at: at,
      actor_kind: entry.actorKind,
      actor_id: entry.actorId,
      action: entry.action,
      subject_type: entry.subjectType,
      subject_id: entry.subjectId,
      mailbox_recipient_id: entry.mailboxRecipientId ?? null,
      details: JSON.stringify(entry.details ?? {}),
      prev_hash: prev,
      hash: chainHash(prev, at, entry),
    })
    .execute();
}

/** Recomputes every chain; returns the id of the first event that does not match, or null if all are intact. */
export async function verifyAuditChain(db: Db): Promise<string | null> {
  const rows = await db.selectFrom('audit_event').selectAll().orderBy('id').execute();
  const heads = new Map<string | null, string>();
  for (const row of rows) {
    const prev = heads.get(row.mailbox_recipient_id) ?? GENESIS;
    const expected = chainHash(prev, new Date(row.occurred_at).toISOString(), {
      actorKind: row.actor_kind as AuditEntry['actorKind'],
      actorId: row.actor_id,
      action: row.action,
      subjectType: row.subject_type,
      subjectId: row.subject_id,
      mailboxRecipientId: row.mailbox_recipient_id,
      details: row.details,
    });
    if (row.prev_hash !== prev || row.hash !== expected) return row.id;
    heads.set(row.mailbox_recipient_id, row.hash);
  }
  return null;
}
