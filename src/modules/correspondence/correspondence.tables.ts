import type { ColumnType, Generated } from 'kysely';
import type { NullableTimestamp, Timestamp } from '../../db/columns.ts';

/** Where recipients write to an authority (a sender), with the attachment limits the authority set. */
export interface ContactPointTable {
  id: Generated<string>;
  sender_id: string;
  name: string;
  description: ColumnType<string, string | undefined, string>;
  max_attachments: number;
  max_total_bytes: ColumnType<string, number, number>;
  allowed_media_types: string[];
  active: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A reply to a letter or a message to a contact point, written in a mailbox by its owner or a read/write delegate. */
export interface InboundMessageTable {
  id: Generated<string>;
  seq: Generated<string>;
  tx_id: Generated<string>;
  sender_id: string;
  mailbox_id: string;
  kind: 'reply' | 'contact_point';
  reply_to_message_id: string | null;
  contact_point_id: string | null;
  subject: string;
  body: string;
  writer_recipient_id: string;
  writer_name: string;
  writer_access: 'owner' | 'read_write';
  writer_via: string;
  /** The form's idempotency key, so a double submit stores one message. */
  form_key: string;
  created_at: Timestamp;
  acknowledged_at: NullableTimestamp;
  acknowledged_by_kind: string | null;
  acknowledged_by_id: string | null;
}

export interface InboundAttachmentTable {
  inbound_id: string;
  position: number;
  filename: string;
  media_type: string;
  sha256: string;
  size_bytes: ColumnType<string, number, number>;
}

/** The correspondence module's tables (migration in src/db/migrations); merged into Database in src/db/schema.ts. */
export type CorrespondenceTables = {
  contact_point: ContactPointTable;
  inbound_message: InboundMessageTable;
  inbound_attachment: InboundAttachmentTable;
};
