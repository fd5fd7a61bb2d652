import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { AppError } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import { proofFactOf, proofUrl } from './proof-facts.ts';

export interface FeedEvent {
  eventId: string;
  /** Null for events that concern no letter: RECIPIENT_MESSAGE (a message to a contact point, `data.inboundId`). */
  messageId: string | null;
  messageUuid: string | null;
  senderReference: string | null;
  type: string;
  occurredAt: string;
  data: Record<string, unknown>;
  /** Present (true) only for events of a letter sent with a test credential (messages/test-mode.ts). */
  test?: true;
  /**
   * On every event of a letter a vendor's system sent on the sender's behalf (identity/on-behalf.ts): the vendor
   * organisation (CVR, name) and its system client. Absent for letters the sender sent itself.
   */
  technicalSender?: { cvr: string | null; name: string; clientId: string };
  /** On an event that is a legal fact of a letter (events/proof-facts.ts): where its signed proof is given out. */
  proofUrl?: string;
}

export interface EventPage {
  events: FeedEvent[];
  /** Pass as `after` to get what comes next; unchanged when there was nothing new. */
  cursor: string;
  hasMore: boolean;
}

const START: FeedPosition = { txId: '0', id: '0' };

function decodeCursor(cursor: string | undefined): FeedPosition {
  if (!cursor) return START;
  const match = /^(\d{1,20})\.(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString('latin1'));
  if (!match) throw new AppError(400, 'invalid_cursor', 'The cursor is not one this feed handed out.', 'after');
  return { txId: match[1] as string, id: match[2] as string };
}

const encodeCursor = (txId: string, id: string) => Buffer.from(`${txId}.${id}`, 'latin1').toString('base64url');

export interface FeedPosition {
  txId: string;
  id: string;
}

/**
 * Reads a sender's feed after a position: committed events only, in (transaction, id) order. A stored row may hold
 * a run of up to three events with ids id, id + 1, id + 2 (migration 0023), so the rows are read in index order from
 * two ids before the position and expanded; at most two of those rows hold nothing after it, hence limit + 3 rows.
 */
export async function readFeed(
  db: Db,
  senderId: string,
  after: FeedPosition,
  limit: number,
): Promise<{ events: FeedEvent[]; last: FeedPosition | null; hasMore: boolean }> {
  const rows = await sql<{
    id: string;
    tx_id: string;
    message_id: string | null;
    message_uuid: string | null;
    sender_reference: string | null;
    type: string;
    occurred_at: Date;
    data: Record<string, unknown>;
    test: boolean | null;
    technical_client_id: string | null;
    technical_cvr: string | null;
    technical_name: string | null;
  }>`
    select (e.id + r.k - 1)::text as id, e.tx_id::text as tx_id, e.message_id, m.message_uuid, m.sender_reference,
           r.type, e.occurred_at, e.data, m.test, m.technical_sender_client_id as technical_client_id,
           ts.cvr as technical_cvr, ts.name as technical_name
    from (
      select * from message_event
      where sender_id = ${senderId}
        and tx_id < (select kuvert_feed_horizon())
        and (tx_id, id) > (${after.txId}::xid8, ${after.id}::bigint - 2)
      order by tx_id, id
      limit ${limit + 3}
    ) e
    cross join lateral unnest(array[e.type] || e.more_types) with ordinality as r(type, k)
    -- Events of inbound messages written to a contact point concern no letter.
    left join message m on m.id = e.message_id
    left join system_client tc on tc.id = m.technical_sender_client_id
    left join sender ts on ts.id = tc.sender_id
    where (e.tx_id, e.id + r.k - 1) > (${after.txId}::xid8, ${after.id}::bigint)
    order by e.tx_id, e.id, r.k
    limit ${limit + 1}
  `.execute(db);
  const page = rows.rows.slice(0, limit);
  const last = page.at(-1);
  return {
    events: page.map((r) => {
      const fact = r.message_id && !r.test ? proofFactOf(r.type) : undefined;
      return {
        eventId: r.id,
        messageId: r.message_id,
        messageUuid: r.message_uuid,
        senderReference: r.sender_reference,
        type: r.type,
        occurredAt: new Date(r.occurred_at).toISOString(),
        data: r.data,
        ...(r.test ? { test: true as const } : {}),
        ...(r.technical_client_id
          ? {
              technicalSender: {
                cvr: r.technical_cvr,
                name: r.technical_name ?? '',
                clientId: r.technical_client_id,
              },
            }
          : {}),
        ...(fact && r.message_id ? { proofUrl: proofUrl(r.message_id, fact) } : {}),
      };
    }),
    last: last ? { txId: last.tx_id, id: last.id } : null,
    hasMore: rows.rows.length > limit,
  };
}

/**
 * A sender's event feed, oldest first, after a cursor. Only events of transactions older than every running one
 * are handed out, ordered by (transaction, id), so an event that commits late can never land behind a cursor a
 * client already holds: polling with the last cursor sees every event exactly once.
 */
export async function listEvents(
  services: Services,
  senderId: string,
  options: { after?: string; limit?: number } = {},
): Promise<EventPage> {
  const limit = Math.min(Math.max(options.limit ?? 100, 1), 1000);
  const after = decodeCursor(options.after);
  const page = await readFeed(services.db, senderId, after, limit);
  const position = page.last ?? after;
  return { events: page.events, cursor: encodeCursor(position.txId, position.id), hasMore: page.hasMore };
}
