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

/** Each chain's head, moved by kuvert_audit_append (migration 0039); chain is the mailbox id or '-'. */
export interface AuditChainHeadTable {
  chain: string;
  last_id: string;
  head_hash: string;
  event_count: string;
  dirty: Generated<boolean>;
}

/** One signed checkpoint an hour (migration 0039, audit/checkpoint.ts): append-only. */
export interface AuditCheckpointTable {
  id: string;
  created_at: Timestamp;
  hour: Timestamp;
  jws: string;
}

/** The heads a checkpoint covers: those that moved since the checkpoint before (append-only). */
export interface AuditCheckpointHeadTable {
  checkpoint_id: string;
  chain: string;
  last_id: string;
  head_hash: string;
  event_count: string;
}

/** The audit module's tables (merged into Database in src/db/schema.ts). */
export interface AuditTables {
  audit_event: AuditEventTable;
  evidence_key: EvidenceKeyTable;
  audit_chain_head: AuditChainHeadTable;
  audit_checkpoint: AuditCheckpointTable;
  audit_checkpoint_head: AuditCheckpointHeadTable;
}
