import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { AccessTables } from '../modules/access/access.tables.ts';
import type { CorrespondenceTables } from '../modules/correspondence/correspondence.tables.ts';
import type { MailboxTables } from '../modules/mailbox/mailbox.tables.ts';
import type { NotifyTables } from '../modules/notify/notify.tables.ts';
import type { StatisticsTables } from '../modules/statistics/statistics.tables.ts';
import type { StatusTables } from '../modules/status/status.tables.ts';

export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
export type Json<T = unknown> = ColumnType<T, string | T | undefined, string | T>;

export type Enrolment = 'not_enrolled' | 'automatic' | 'voluntary' | 'exempted' | 'closed';
export type ExemptionGround =
  | 'disability'
  | 'no_internet'
  | 'emigrated'
  | 'homeless'
  | 'language'
  | 'no_mitid'
  | 'other';
export type EnrolmentChangeKind =
  | 'created'
  | 'enrolled_automatically'
  | 'enrolled_voluntarily'
  | 'exempted'
  | 're_enrolled'
  | 'closed'
  | 'reopened';
export type MessageStatus = 'received' | 'scheduled' | 'available' | 'print_queued' | 'rejected' | 'recalled';

export interface MunicipalityTable {
  code: string;
  name: string;
  region_code: string;
  region_name: string;
}

export interface SenderTable {
  id: Generated<string>;
  name: string;
  kind: 'municipality' | 'state' | 'region' | 'other';
  cvr: string | null;
  municipality_code: string | null;
  created_at: Timestamp;
}

export interface ApiKeyTable {
  id: Generated<string>;
  sender_id: string;
  prefix: string;
  secret_hash: string;
  label: string;
  created_at: Timestamp;
  revoked_at: NullableTimestamp;
}

export interface RecipientTable {
  id: Generated<string>;
  kind: 'person' | 'business';
  cpr: string | null;
  cvr: string | null;
  name: string;
  birth_date: ColumnType<Date | null, string | null | undefined, string | null>;
  municipality_code: string | null;
  enrolment: ColumnType<Enrolment, Enrolment | undefined, Enrolment>;
  created_at: Timestamp;
  sex: 'F' | 'M' | null;
  address_lines: ColumnType<string[], string[] | undefined, string[]>;
  postcode: string | null;
  city: string | null;
  exemption_ground: ExemptionGround | null;
  enrolment_changed_at: Timestamp;
  closed_reason: 'death' | 'emigration' | null;
  delete_after: ColumnType<string | null, string | null | undefined, string | null>;
  population_updated_at: NullableTimestamp;
}

export interface EnrolmentChangeTable {
  id: Generated<string>;
  recipient_id: string;
  occurred_at: Timestamp;
  kind: EnrolmentChangeKind;
  from_state: Enrolment | null;
  to_state: Enrolment;
  exemption_ground: ExemptionGround | null;
  note: string | null;
  send_unopened_as_paper: ColumnType<boolean, boolean | undefined, boolean>;
  actor_kind: string;
  actor_id: string;
  actor_name: string | null;
}

export interface ContactDetailTable {
  id: Generated<string>;
  recipient_id: string;
  kind: 'email' | 'mobile';
  value: string;
  created_at: Timestamp;
  confirmed_at: NullableTimestamp;
  last_confirmed_at: NullableTimestamp;
  code_hash: string | null;
  code_expires_at: NullableTimestamp;
  code_attempts: ColumnType<number, number | undefined, number>;
  codes_sent_at: ColumnType<Date[], Date[] | undefined, Date[]>;
  failing_since: NullableTimestamp;
}

export interface OutboxMessageTable {
  id: Generated<string>;
  created_at: Timestamp;
  channel: 'email' | 'sms';
  recipient_address: string;
  subject: string | null;
  body: string;
  purpose: string;
}

export type PrintBatchState = 'building' | 'ready' | 'confirmed';
export type PrintJobState = 'queued' | 'batched' | 'sent' | 'failed' | 'cancelled';

export interface PrintBatchTable {
  id: string;
  state: ColumnType<PrintBatchState, PrintBatchState | undefined, PrintBatchState>;
  created_at: Timestamp;
  ready_at: NullableTimestamp;
  confirmed_at: NullableTimestamp;
  letters: number;
  pages: number;
}

export interface PrintJobTable {
  message_id: string;
  sender_id: string;
  state: ColumnType<PrintJobState, PrintJobState | undefined, PrintJobState>;
  queued_at: Timestamp;
  batch_id: string | null;
  batched_at: NullableTimestamp;
  sent_at: NullableTimestamp;
  pages: number | null;
  sha256: string | null;
  failed_reason: string | null;
}

export interface ContactCodeSendTable {
  id: Generated<string>;
  recipient_id: string;
  sent_at: Timestamp;
}

export interface PopulationImportTable {
  id: Generated<string>;
  file_sha256: string;
  file_name: string;
  started_at: Timestamp;
  finished_at: NullableTimestamp;
  lines_total: ColumnType<number, number | undefined, number>;
  lines_applied: ColumnType<number, number | undefined, number>;
  lines_rejected: ColumnType<number, number | undefined, number>;
  resume_line: ColumnType<number, number | undefined, number>;
  parts: ColumnType<number, number | undefined, number>;
}

export interface PopulationImportPartTable {
  import_id: string;
  part: number;
  resume_line: ColumnType<number, number | undefined, number>;
}

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

export interface MessageEventTable {
  id: Generated<string>;
  /** Null for events about no letter (RECIPIENT_MESSAGE: written to a contact point). */
  message_id: string | null;
  sender_id: string;
  /** The first event of the row's run; the rest are in more_types (migration 0023). */
  type: string;
  /** Events that followed `type` in the same statement, in order (at most two); their ids are id + 1, id + 2. */
  more_types: Generated<string[]>;
  occurred_at: Timestamp;
  data: Json<Record<string, unknown>>;
}

/** message_event with one row per event (view, migration 0023). */
export interface MessageEventExpandedView {
  id: string;
  row_id: string;
  message_id: string | null;
  sender_id: string;
  type: string;
  occurred_at: Timestamp;
  data: Json<Record<string, unknown>>;
}

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

export interface StaffUserTable {
  id: Generated<string>;
  subject: string;
  name: string;
  role: 'caseworker' | 'sender_staff' | 'operator';
  municipality_code: string | null;
  sender_id: string | null;
  created_at: Timestamp;
}

export interface WebSessionTable {
  id_hash: string;
  actor: Json<Record<string, unknown>>;
  csrf_token: string;
  id_token: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface OidcPayloadTable {
  id: string;
  type: string;
  payload: Json<Record<string, unknown>>;
  grant_id: string | null;
  user_code: string | null;
  uid: string | null;
  expires_at: NullableTimestamp;
  consumed_at: NullableTimestamp;
}

export interface WebhookEndpointTable {
  id: Generated<string>;
  sender_id: string;
  url: string;
  secret: string;
  cursor_tx: ColumnType<string, string | undefined, string>;
  cursor_id: ColumnType<string, string | number | undefined, string | number>;
  created_at: Timestamp;
  deleted_at: NullableTimestamp;
  last_success_at: NullableTimestamp;
  last_failure_at: NullableTimestamp;
  last_error: string | null;
}

export interface BatchTable {
  id: string;
  sender_id: string;
  api_key_id: string | null;
  staff_user_id: string | null;
  /** ndjson: JSON letters; tar: MeMo files (optionally gzip); csv: recipients merged into one template. */
  format: 'ndjson' | 'tar' | 'csv';
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

export interface AppSettingTable {
  key: string;
  value: Json;
}

/** Every table. Modules added after the first ones declare their tables in their own `*.tables.ts`. */
export interface Database
  extends MailboxTables,
    AccessTables,
    CorrespondenceTables,
    NotifyTables,
    StatisticsTables,
    StatusTables {
  municipality: MunicipalityTable;
  sender: SenderTable;
  api_key: ApiKeyTable;
  recipient: RecipientTable;
  document: DocumentTable;
  message: MessageTable;
  message_document: MessageDocumentTable;
  message_action: MessageActionTable;
  message_event: MessageEventTable;
  message_event_expanded: MessageEventExpandedView;
  audit_event: AuditEventTable;
  staff_user: StaffUserTable;
  web_session: WebSessionTable;
  oidc_payload: OidcPayloadTable;
  app_setting: AppSettingTable;
  webhook_endpoint: WebhookEndpointTable;
  enrolment_change: EnrolmentChangeTable;
  contact_detail: ContactDetailTable;
  outbox_message: OutboxMessageTable;
  contact_code_send: ContactCodeSendTable;
  print_batch: PrintBatchTable;
  print_job: PrintJobTable;
  population_import_part: PopulationImportPartTable;
  population_import: PopulationImportTable;
  batch: BatchTable;
  batch_item_error: BatchItemErrorTable;
}

export type Recipient = Selectable<RecipientTable>;
export type Message = Selectable<MessageTable>;
export type NewMessage = Insertable<MessageTable>;
export type Sender = Selectable<SenderTable>;
