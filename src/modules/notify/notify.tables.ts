import type { ColumnType, Generated } from 'kysely';
import type { Json, NullableTimestamp, Timestamp } from '../../db/columns.ts';
import type { EscalationStep, EscalationStepProgress } from './escalation-plan.ts';

export type NotificationChannelKind = 'email' | 'sms' | 'nemsms';
export type NotificationState = 'queued' | 'sending' | 'sent' | 'delivered' | 'failed' | 'cancelled';
export type NotificationPurpose = 'new_mail' | 'reminder' | 'nemsms';

export interface NotifyPreferenceTable {
  recipient_id: string;
  by_email: ColumnType<boolean, boolean | undefined, boolean>;
  by_sms: ColumnType<boolean, boolean | undefined, boolean>;
  language: ColumnType<'da' | 'en', 'da' | 'en' | undefined, 'da' | 'en'>;
  nemsms: ColumnType<boolean, boolean | undefined, boolean>;
  updated_at: Timestamp;
}

export interface NotifyPendingTable {
  recipient_id: string;
  first_at: Timestamp;
  last_at: Timestamp;
  letters: number;
}

/** One e-mail or SMS to one address (statistics aggregate monthly volumes from it by created_at and channel). */
export interface NotificationTable {
  id: Generated<string>;
  recipient_id: string;
  sender_id: string | null;
  message_id: string | null;
  channel: NotificationChannelKind;
  purpose: NotificationPurpose;
  contact_detail_id: string | null;
  address: string;
  subject: string | null;
  body: string;
  dedup_key: string;
  urgent: ColumnType<boolean, boolean | undefined, boolean>;
  state: ColumnType<NotificationState, NotificationState | undefined, NotificationState>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp;
  claimed_until: NullableTimestamp;
  last_error: string | null;
  provider_id: string | null;
  created_at: Timestamp;
  sent_at: NullableTimestamp;
  delivered_at: NullableTimestamp;
  failed_at: NullableTimestamp;
}

export interface NotifySenderDefaultTable {
  sender_id: string;
  label_in_notification: ColumnType<boolean, boolean | undefined, boolean>;
  remind_after_days: number | null;
  print_after_days: number | null;
  updated_at: Timestamp;
}

export interface NotifyMessageOptionTable {
  message_id: string;
  sender_id: string;
  label_in_notification: boolean | null;
  urgent: ColumnType<boolean, boolean | undefined, boolean>;
  remind_after_days: number | null;
  print_after_days: number | null;
  updated_at: Timestamp;
}

export interface NotifyFollowupTable {
  message_id: string;
  recipient_id: string;
  available_at: Timestamp;
  remind_at: NullableTimestamp;
  print_at: NullableTimestamp;
  reminded_at: NullableTimestamp;
  printed_at: NullableTimestamp;
}

/** A sender's named escalation plan (migration 0043); at most one per sender is its default. */
export interface NotifyEscalationPlanTable {
  sender_id: string;
  name: string;
  steps: Json<EscalationStep[]>;
  is_default: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** One letter's escalation: its plan's steps as given when sent, and their progress. */
export interface NotifyEscalationTable {
  message_id: string;
  sender_id: string;
  recipient_id: string;
  plan_name: string | null;
  source: 'letter' | 'named' | 'default' | 'options';
  steps: Json<EscalationStep[]>;
  available_at: NullableTimestamp;
  next_step: ColumnType<number, number | undefined, number>;
  next_due_at: NullableTimestamp;
  progress: Json<EscalationStepProgress[]>;
  stopped: 'read' | 'finished' | 'withdrawn' | null;
  stopped_at: NullableTimestamp;
  created_at: Timestamp;
}

// The contact details (addresses, confirmation codes) and the development outbox: notify's channels.
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

export interface ContactCodeSendTable {
  id: Generated<string>;
  recipient_id: string;
  sent_at: Timestamp;
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

/** The notify module's tables (migration in src/db/migrations); merged into Database in src/db/schema.ts. */
export type NotifyTables = {
  notify_preference: NotifyPreferenceTable;
  notify_pending: NotifyPendingTable;
  notification: NotificationTable;
  notify_sender_default: NotifySenderDefaultTable;
  notify_message_option: NotifyMessageOptionTable;
  notify_followup: NotifyFollowupTable;
  notify_escalation_plan: NotifyEscalationPlanTable;
  notify_escalation: NotifyEscalationTable;
  contact_detail: ContactDetailTable;
  contact_code_send: ContactCodeSendTable;
  outbox_message: OutboxMessageTable;
};
