import type { ColumnType, Generated } from 'kysely';
import type { NullableTimestamp, Timestamp } from '../../db/columns.ts';

export type MessageStatus =
  | 'received'
  | 'scheduled'
  | 'available'
  | 'print_queued'
  | 'rejected'
  | 'recalled'
  | 'returned';

export interface DocumentTable {
  sha256: string;
  media_type: string;
  size_bytes: ColumnType<string, number, number>;
  created_at: Timestamp;
}

export interface MessageTable {
  id: Generated<string>;
  sender_id: string;
  recipient_id: string;
  message_uuid: string;
  content_hash: string;
  sender_reference: string | null;
  label: string;
  status: MessageStatus;
  received_at: Timestamp;
  available_at: NullableTimestamp;
  first_read_at: NullableTimestamp;
  rejected_reason: string | null;
  message_type: ColumnType<'DIGITALPOST' | 'NEMSMS', 'DIGITALPOST' | 'NEMSMS' | undefined, 'DIGITALPOST' | 'NEMSMS'>;
  notification: ColumnType<string | null, string | null | undefined, string | null>;
  reply_allowed: ColumnType<boolean, boolean | undefined, boolean>;
  reply_by: NullableTimestamp;
  /** xs:date as written, e.g. '2026-12-01'. */
  do_not_deliver_until: ColumnType<string | null, string | null | undefined, string | null>;
  deliver_after: NullableTimestamp;
  mandatory: ColumnType<boolean, boolean | undefined, boolean>;
  legal_notification: ColumnType<boolean, boolean | undefined, boolean>;
  post_type: ColumnType<string | null, string | null | undefined, string | null>;
  sender_message_id: ColumnType<string | null, string | null | undefined, string | null>;
  recalled_at: NullableTimestamp;
  memo_version: ColumnType<'1.1' | '1.2' | null, '1.1' | '1.2' | null | undefined, '1.1' | '1.2' | null>;
  /** The MeMo model minus file bytes (files name their sha256): see messages/stored-memo.ts. */
  memo: ColumnType<unknown, string | null | undefined, string | null>;
  /** A letter forwarded by a recipient: the original it is a copy of. Not the sender's delivery (never shown to it). */
  forwarded_from: ColumnType<string | null, string | null | undefined, string | null>;
  /** Sent with a test credential: routed, but never delivered (messages/test-mode.ts); never has an available_at. */
  test: ColumnType<boolean, boolean | undefined, boolean>;
  /** A test letter's routing outcome (where it would have gone), set when it was due. */
  test_route: ColumnType<string | null, string | null | undefined, string | null>;
  test_routed_at: NullableTimestamp;
  /** Sent on behalf of the sender by another organisation's system: that system client (migration 0036). */
  technical_sender_client_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** When the letter is purged (retention.ts; migration 0040); null: kept until its mailbox or owner deletes it. */
  delete_after: NullableTimestamp;
}

export type TombstoneReason = 'retention' | 'mailbox_closed' | 'owner_deleted';

/** What is left of a purged letter (purge-letters.ts): enough for 410 Gone and a messageUuid that stays taken. */
export interface MessageTombstoneTable {
  message_id: string;
  sender_id: string;
  message_uuid: string;
  received_at: Timestamp;
  available_at: NullableTimestamp;
  deleted_at: Timestamp;
  reason: TombstoneReason;
}

export interface MessageDocumentTable {
  message_id: string;
  position: number;
  title: string;
  filename: string;
  media_type: string;
  sha256: string;
  size_bytes: ColumnType<string, number, number>;
  role: ColumnType<DocumentRole, DocumentRole | undefined, DocumentRole>;
  document_id: ColumnType<string | null, string | null | undefined, string | null>;
  language: ColumnType<string | null, string | null | undefined, string | null>;
}
export type DocumentRole = 'main' | 'additional' | 'technical';

export interface MessageActionTable {
  message_id: string;
  position: number;
  document_position: ColumnType<number, number | undefined, number>;
  action_code: string;
  label: string;
  start_at: NullableTimestamp;
  end_at: NullableTimestamp;
  url: string | null;
  reservation: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  status: 'pending' | 'done' | null;
}

export interface BatchTable {
  id: string;
  sender_id: string;
  api_key_id: string | null;
  staff_user_id: string | null;
  /** ndjson: JSON letters; tar: MeMo files (optionally gzip); csv: recipients merged into one template. */
  format: 'ndjson' | 'tar' | 'csv';
  /** Submitted with a test credential: its letters are test letters. */
  test: ColumnType<boolean, boolean | undefined, boolean>;
  /** The system client that submitted it (access token), and whether on the sender's behalf (migration 0036). */
  system_client_id: ColumnType<string | null, string | null | undefined, string | null>;
  on_behalf: ColumnType<boolean, boolean | undefined, boolean>;
  state: ColumnType<BatchState, BatchState | undefined, BatchState>;
  spool_path: string;
  size_bytes: ColumnType<string, number, number>;
  lines_total: number;
  lines_done: ColumnType<number, number | undefined, number>;
  accepted: ColumnType<number, number | undefined, number>;
  duplicates: ColumnType<number, number | undefined, number>;
  failed: ColumnType<number, number | undefined, number>;
  parts: ColumnType<number, number | undefined, number>;
  lease_owner: string | null;
  lease_until: NullableTimestamp;
  failure: string | null;
  created_at: Timestamp;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
}
export type BatchState = 'received' | 'processing' | 'completed' | 'cancelled' | 'failed';

export interface BatchItemErrorTable {
  batch_id: string;
  /** NDJSON line, tar entry number or CSV row (1-based, the header not counted). */
  line: number;
  /** The tar entry's file name; null for other formats. */
  entry: string | null;
  message_uuid: string | null;
  code: string;
  field: string | null;
  detail: string;
}

/** The messages module's tables (merged into Database in src/db/schema.ts). */
export interface MessagesTables {
  document: DocumentTable;
  message: MessageTable;
  message_tombstone: MessageTombstoneTable;
  message_document: MessageDocumentTable;
  message_action: MessageActionTable;
  batch: BatchTable;
  batch_item_error: BatchItemErrorTable;
}
