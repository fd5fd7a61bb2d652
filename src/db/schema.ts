import type { ColumnType, Insertable, Selectable } from 'kysely';
import type { AccessTables } from '../modules/access/access.tables.ts';
import type { AuditTables } from '../modules/audit/audit.tables.ts';
import type { CorrespondenceTables } from '../modules/correspondence/correspondence.tables.ts';
import type { EventsTables } from '../modules/events/events.tables.ts';
import type { IdentityTables } from '../modules/identity/identity.tables.ts';
import type { MailboxTables } from '../modules/mailbox/mailbox.tables.ts';
import type { MessagesTables } from '../modules/messages/messages.tables.ts';
import type { NotifyTables } from '../modules/notify/notify.tables.ts';
import type { PrintTables } from '../modules/print/print.tables.ts';
import type { ProofsTables } from '../modules/proofs/proofs.tables.ts';
import type { RegistryTables } from '../modules/registry/registry.tables.ts';
import type { StatisticsTables } from '../modules/statistics/statistics.tables.ts';
import type { StatusTables } from '../modules/status/status.tables.ts';
import type { Json } from './columns.ts';

// The column types, and the row and column types that files name through the schema (each declared in its module's
// `<module>.tables.ts`).
export type { StaffUserTable } from '../modules/identity/identity.tables.ts';
export type { BatchTable, DocumentRole } from '../modules/messages/messages.tables.ts';
export type { ContactDetailTable } from '../modules/notify/notify.tables.ts';
export type {
  BusinessStatus,
  ClosedReason,
  Enrolment,
  EnrolmentChangeKind,
  ExemptionGround,
} from '../modules/registry/registry.tables.ts';
export type { Json, NullableTimestamp, Timestamp } from './columns.ts';

/** The platform's own table: settings by key (e.g. the demo seed's state). */
export interface AppSettingTable {
  key: string;
  value: Json;
}

/** The platform's document store in PostgreSQL (src/documents/pg-document-store.ts, migration 0044). */
export interface DocumentBlobTable {
  sha256: string;
  size_bytes: ColumnType<string, number, number>;
  chunk_count: number;
  put_at: ColumnType<Date, Date | undefined, Date>;
}

export interface DocumentChunkTable {
  sha256: string;
  seq: number;
  data: Buffer;
}

/**
 * Every table: the platform's, and each module's from its `<module>.tables.ts`, in the order of the module list
 * (src/modules/index.ts). The tables files import nothing but column types (./columns.ts), so this type, which every
 * query names, does not depend on the modules' code.
 */
export interface Database
  extends AuditTables,
    IdentityTables,
    RegistryTables,
    AccessTables,
    EventsTables,
    PrintTables,
    NotifyTables,
    MessagesTables,
    ProofsTables,
    MailboxTables,
    CorrespondenceTables,
    StatisticsTables,
    StatusTables {
  app_setting: AppSettingTable;
  document_blob: DocumentBlobTable;
  document_chunk: DocumentChunkTable;
}

export type Recipient = Selectable<Database['recipient']>;
export type Message = Selectable<Database['message']>;
export type NewMessage = Insertable<Database['message']>;
export type Sender = Selectable<Database['sender']>;
