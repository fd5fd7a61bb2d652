import type { ColumnType, Generated } from 'kysely';
import type { Json, NullableTimestamp, Timestamp } from '../../db/columns.ts';

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

/** The events module's tables (merged into Database in src/db/schema.ts): the message-event log and webhooks. */
export interface EventsTables {
  message_event: MessageEventTable;
  message_event_expanded: MessageEventExpandedView;
  webhook_endpoint: WebhookEndpointTable;
}
