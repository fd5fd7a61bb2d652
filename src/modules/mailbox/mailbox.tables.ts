import type { ColumnType, Generated } from 'kysely';
import type { NullableTimestamp, Timestamp } from '../../db/columns.ts';

/** System folders and the marker for a user-defined one ('deleted': deleted for good, never shown). */
export type MailboxFolderKind = 'inbox' | 'archive' | 'trash' | 'user' | 'deleted';

export interface MailboxFolderTable {
  id: Generated<string>;
  mailbox_id: string;
  name: string;
  created_at: Timestamp;
}

export interface MailboxItemTable {
  message_id: string;
  mailbox_id: string;
  available_at: Timestamp;
  folder: ColumnType<MailboxFolderKind, MailboxFolderKind | undefined, MailboxFolderKind>;
  folder_id: ColumnType<string | null, string | null | undefined, string | null>;
  unread: ColumnType<boolean | null, boolean | null | undefined, boolean | null>;
  trashed_from: ColumnType<
    'inbox' | 'archive' | 'user' | null,
    'inbox' | 'archive' | 'user' | null | undefined,
    'inbox' | 'archive' | 'user' | null
  >;
  trashed_from_folder_id: ColumnType<string | null, string | null | undefined, string | null>;
  trashed_at: NullableTimestamp;
  legally_notified_at: NullableTimestamp;
  updated_at: Timestamp;
}

export interface MailboxDocumentTextTable {
  sha256: string;
  tsv: ColumnType<string, string, string>;
  /** The extracted text (capped); '' when none could be read. */
  body: ColumnType<string, string | undefined, string>;
  indexed_at: Timestamp;
}

/** A letter forwarded from one person's mailbox to another's: message_id is the copy in the receiving mailbox. */
export interface MailboxForwardTable {
  message_id: string;
  /** Null once the original was purged (migration 0040). */
  original_message_id: string | null;
  from_mailbox_id: string;
  to_mailbox_id: string;
  forwarded_by_id: string;
  forwarded_by_name: string;
  note: string | null;
  form_key: string;
  created_at: Timestamp;
}

/** Search data per delivered letter (migration 0025): filled by a trigger on delivery, documents by a job. */
export interface MailboxSearchTable {
  message_id: string;
  mailbox_id: string;
  sender_id: string;
  available_at: Timestamp;
  terms: ColumnType<string, string, string>;
  documents_pending: ColumnType<boolean, boolean | undefined, boolean>;
}

/** The senders that have written to a mailbox (for the search's sender filter; filled by the delivery trigger). */
export interface MailboxSenderTable {
  mailbox_id: string;
  sender_id: string;
}

/** A routing rule (migration 0032): files a delivered letter into a folder; the lowest position that matches wins. */
export interface MailboxRuleTable {
  id: Generated<string>;
  mailbox_id: string;
  position: number;
  sender_id: string | null;
  /** Folded to lower case (mailbox_search_fold); all must occur in the subject. */
  subject_words: ColumnType<string[], string[] | undefined, string[]>;
  sender_reference: string | null;
  folder_id: string;
  notify_folder_employees: ColumnType<boolean, boolean | undefined, boolean>;
  created_by_id: string;
  created_at: Timestamp;
}

/**
 * A letter that reached a business mailbox, in the inbox API's order (migration 0035; written by a delivery trigger):
 * (tx_id, seq), handed out only once its transaction is older than every running one.
 */
export interface InboxLetterTable {
  message_id: string;
  mailbox_id: string;
  seq: Generated<string>;
  tx_id: Generated<string>;
  available_at: Timestamp;
  acknowledged_at: NullableTimestamp;
  /** The system client that acknowledged it. */
  acknowledged_by: string | null;
}

/** A business's webhook endpoint for its inbox, with its cursor in the inbox order (migration 0035). */
export interface InboxWebhookEndpointTable {
  id: Generated<string>;
  mailbox_id: string;
  url: string;
  secret: string;
  cursor_tx: ColumnType<string, string | undefined, string>;
  cursor_seq: ColumnType<string, string | number | undefined, string | number>;
  created_by: string;
  created_at: Timestamp;
  deleted_at: NullableTimestamp;
  last_success_at: NullableTimestamp;
  last_failure_at: NullableTimestamp;
  last_error: string | null;
}

export type MailboxExportState = 'queued' | 'running' | 'ready' | 'failed' | 'expired';

/** An export of a whole mailbox (migration 0041): built by a job into KUVERT_DATA_DIR/exports, kept 7 days. */
export interface MailboxExportTable {
  id: Generated<string>;
  mailbox_id: string;
  requested_by: string;
  lang: ColumnType<'da' | 'en', 'da' | 'en' | undefined, 'da' | 'en'>;
  state: ColumnType<MailboxExportState, MailboxExportState | undefined, MailboxExportState>;
  letters_done: ColumnType<number, number | undefined, number>;
  letters_total: number | null;
  /** The zip's file name under KUVERT_DATA_DIR/exports (set when ready). */
  file_name: string | null;
  size_bytes: ColumnType<string | null, number | string | null | undefined, number | string | null>;
  error: string | null;
  created_at: Timestamp;
  started_at: NullableTimestamp;
  ready_at: NullableTimestamp;
  expires_at: NullableTimestamp;
}

/** The mailbox module's tables (migration in src/db/migrations); merged into Database in src/db/schema.ts. */
export type MailboxTables = {
  mailbox_folder: MailboxFolderTable;
  mailbox_item: MailboxItemTable;
  mailbox_document_text: MailboxDocumentTextTable;
  mailbox_forward: MailboxForwardTable;
  mailbox_search: MailboxSearchTable;
  mailbox_sender: MailboxSenderTable;
  mailbox_rule: MailboxRuleTable;
  inbox_letter: InboxLetterTable;
  inbox_webhook_endpoint: InboxWebhookEndpointTable;
  mailbox_export: MailboxExportTable;
};
