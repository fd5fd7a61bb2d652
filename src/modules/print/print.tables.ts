import type { ColumnType } from 'kysely';
import type { NullableTimestamp, Timestamp } from '../../db/columns.ts';

export type PrintBatchState = 'building' | 'ready' | 'confirmed';
export type PrintJobState = 'queued' | 'batched' | 'sent' | 'failed' | 'cancelled';
/** Why the post brought a letter back (the print provider's report). */
export type ReturnReason = 'unknown_addressee' | 'moved' | 'refused' | 'insufficient_address' | 'deceased' | 'other';

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
  /** The print provider's report that the post brought the letter back (print/report-returns.ts). */
  returned_at: NullableTimestamp;
  return_reason: ReturnReason | null;
}

/** The print module's tables (merged into Database in src/db/schema.ts). */
export interface PrintTables {
  print_batch: PrintBatchTable;
  print_job: PrintJobTable;
}
