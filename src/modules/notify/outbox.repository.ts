import type { Db } from '../../db/database.ts';

export interface OutboxMessage {
  id: string;
  createdAt: Date;
  channel: 'email' | 'sms';
  to: string;
  subject: string | null;
  body: string;
  purpose: string;
}

/** Stores one message in the development outbox; returns its id. */
export async function insertOutboxMessage(
  db: Db,
  message: { channel: 'email' | 'sms'; to: string; subject?: string | undefined; body: string; purpose: string },
): Promise<string> {
  const row = await db
    .insertInto('outbox_message')
    .values({
      channel: message.channel,
      recipient_address: message.to,
      subject: message.subject ?? null,
      body: message.body,
      purpose: message.purpose,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(row.id);
}

/** The latest messages in the development outbox, newest first. */
export async function listLatestOutboxMessages(db: Db, limit: number): Promise<OutboxMessage[]> {
  const rows = await db.selectFrom('outbox_message').selectAll().orderBy('id', 'desc').limit(limit).execute();
  return rows.map((row) => ({
    id: row.id,
    createdAt: row.created_at,
    channel: row.channel,
    to: row.recipient_address,
    subject: row.subject,
    body: row.body,
    purpose: row.purpose,
  }));
}
