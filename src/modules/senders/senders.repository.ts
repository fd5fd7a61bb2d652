import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

/** What the portal shows: a message status, with "read" told apart from "available". */
export type LetterState =
  | 'received'
  | 'scheduled'
  | 'available'
  | 'read'
  | 'print_queued'
  | 'rejected'
  | 'recalled'
  | 'returned';

export interface LetterQuery {
  state?: LetterState;
  /** Received on or after this day (YYYY-MM-DD, Danish time). */
  from?: string;
  /** Received on or before this day (YYYY-MM-DD, Danish time). */
  to?: string;
  /** Part of the label, case-insensitive. */
  labelContains?: string;
  /** Start of the sender's reference, case-insensitive. */
  referencePrefix?: string;
  /** Keyset cursor: the id of the last letter of the previous page. */
  before?: string;
}

/** LIKE patterns treat the user's text literally. */
const likeEscape = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * One page of a sender's letters, newest first, keyset-paged on (received_at, id). Selects no recipient and no
 * content. A cursor that is not one of this sender's letters gives an empty page.
 */
export async function findSenderLetters(db: Db, senderId: string, query: LetterQuery, limit: number) {
  let q = db
    .selectFrom('message')
    .select(['id', 'label', 'sender_reference', 'status', 'received_at', 'available_at', 'first_read_at'])
    .where('sender_id', '=', senderId)
    // A copy a recipient forwarded is not the sender's letter.
    .where('forwarded_from', 'is', null)
    // Test letters are in the test mailbox (test-mailbox.routes.tsx), not among the letters sent.
    .where('test', '=', false);
  if (query.state === 'read') q = q.where('first_read_at', 'is not', null);
  else if (query.state === 'available') q = q.where('status', '=', 'available').where('first_read_at', 'is', null);
  else if (query.state) q = q.where(sql<boolean>`status = ${query.state}`);
  if (query.from) {
    q = q.where('received_at', '>=', sql<Date>`(${query.from}::date)::timestamp at time zone 'Europe/Copenhagen'`);
  }
  if (query.to) {
    q = q.where('received_at', '<', sql<Date>`(${query.to}::date + 1)::timestamp at time zone 'Europe/Copenhagen'`);
  }
  if (query.labelContains) q = q.where('label', 'ilike', `%${likeEscape(query.labelContains)}%`);
  if (query.referencePrefix) q = q.where('sender_reference', 'ilike', `${likeEscape(query.referencePrefix)}%`);
  if (query.before) {
    // Compared in the database, so the cursor keeps PostgreSQL's microseconds (a JS Date would round them).
    q = q.where(
      sql<boolean>`(received_at, id) < (select c.received_at, c.id from message c
        where c.id = ${query.before} and c.sender_id = ${senderId})`,
    );
  }
  return q.orderBy('received_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

export async function findSenderName(db: Db, senderId: string): Promise<string | null> {
  const row = await db.selectFrom('sender').select('name').where('id', '=', senderId).executeTakeFirst();
  return row?.name ?? null;
}

/** The vendor and its system that sent a letter on the sender's behalf (identity/on-behalf.ts); null otherwise. */
export async function findTechnicalSender(db: Db, senderId: string, messageId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(messageId)) return null;
  const row = await db
    .selectFrom('message as m')
    .innerJoin('system_client as c', 'c.id', 'm.technical_sender_client_id')
    .innerJoin('sender as v', 'v.id', 'c.sender_id')
    .select(['v.name', 'v.cvr', 'c.name as client_name', 'c.id as client_id'])
    .where('m.id', '=', messageId)
    .where('m.sender_id', '=', senderId)
    .executeTakeFirst();
  return row ? { name: row.name, cvr: row.cvr, clientName: row.client_name, clientId: row.client_id } : null;
}
