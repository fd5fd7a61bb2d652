import type { Generated } from 'kysely';
import type { Json, Timestamp } from '../../db/columns.ts';

export interface AuditEventTable {
  id: Generated<string>;
  occurred_at: Timestamp;
  actor_kind: string;
  actor_id: string;
  action: string;
  subject_type: string;
  subject_id: string;
  mailbox_recipient_id: string | null;
  details: Json<Record<string, unknown>>;
  prev_hash: string;
  hash: string;
}

/** Kuvert's evidence keys (migration 0037, audit/evidence-key.ts). */
export interface EvidenceKeyTable {
  kid: string;
  created_at: Generated<Timestamp>;
  retired_at: Timestamp | null;
  public_jwk: Json<Record<string, unknown>>;
  private_jwk: Json<Record<string, unknown>> | null;
}

/** The audit module's tables (merged into Database in src/db/schema.ts). */
export interface AuditTables {
  audit_event: AuditEventTable;
  evidence_key: EvidenceKeyTable;
}
