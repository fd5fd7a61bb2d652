import { createHash } from 'node:crypto';

/** One audit event as recorded by recordAudit (audit.repository.ts). */
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
export function chainText(prev: string, at: string, entry: AuditEntry): string {
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
