import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

/** One inbound message with everything either side shows about it (the recipient never sees CPR; see presenters). */
export interface InboundRecord {
  id: string;
  kind: 'reply' | 'contact_point';
  senderId: string;
  senderName: string;
  subject: string;
  body: string;
  createdAt: Date;
  acknowledgedAt: Date | null;
  mailbox: { id: string; kind: 'person' | 'business'; name: string; cpr: string | null; cvr: string | null };
  writer: { recipientId: string; name: string; access: 'owner' | 'read_write'; via: string };
  inReplyTo: { messageId: string; messageUuid: string; label: string; senderReference: string | null } | null;
  contactPoint: { id: string; name: string } | null;
  attachments: { position: number; filename: string; mediaType: string; sizeBytes: number; sha256: string }[];
}

/** A line of a list of inbound messages. */
export interface InboundListItem {
  id: string;
  kind: 'reply' | 'contact_point';
  subject: string;
  senderName: string;
  contactPointName: string | null;
  inReplyToLabel: string | null;
  writerName: string;
  writerIsOwner: boolean;
  createdAt: Date;
  acknowledgedAt: Date | null;
  attachments: number;
}

function baseQuery(db: Db) {
  return db
    .selectFrom('inbound_message as i')
    .innerJoin('sender as s', 's.id', 'i.sender_id')
    .leftJoin('contact_point as cp', 'cp.id', 'i.contact_point_id')
    .leftJoin('message as m', 'm.id', 'i.reply_to_message_id')
    .select((eb) => [
      'i.id',
      'i.kind',
      'i.subject',
      'i.created_at',
      'i.acknowledged_at',
      'i.writer_name',
      'i.writer_access',
      's.name as sender_name',
      'cp.name as contact_point_name',
      'm.label as reply_to_label',
      eb
        .selectFrom('inbound_attachment as a')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('a.inbound_id', '=', 'i.id')
        .as('attachments'),
    ]);
}

type ListRow = Awaited<ReturnType<ReturnType<typeof baseQuery>['execute']>>[number];

const toItem = (r: ListRow): InboundListItem => ({
  id: r.id,
  kind: r.kind,
  subject: r.subject,
  senderName: r.sender_name,
  contactPointName: r.contact_point_name,
  inReplyToLabel: r.reply_to_label,
  writerName: r.writer_name,
  // The owner, or a business's administrator (who holds owner-level access): no "on behalf" note.
  writerIsOwner: r.writer_access === 'owner',
  createdAt: r.created_at,
  acknowledgedAt: r.acknowledged_at,
  attachments: Number(r.attachments ?? 0),
});

/**
 * A page of inbound messages, newest first, keyset-paged on (created_at, id) after the item `before` (no OFFSET).
 * Either a mailbox's (what it has written) or a sender's (what it has received). Fetches limit + 1 rows.
 */
export async function listInboundPage(
  db: Db,
  scope: { mailboxId: string } | { senderId: string },
  options: { before?: string; limit: number },
): Promise<InboundListItem[]> {
  let query = baseQuery(db);
  query =
    'mailboxId' in scope
      ? query.where('i.mailbox_id', '=', scope.mailboxId)
      : query.where('i.sender_id', '=', scope.senderId);
  const before = options.before;
  if (before) {
    const cursorAt = db
      .selectFrom('inbound_message as c')
      .select('c.created_at')
      .where('c.id', '=', before)
      .where(
        'mailboxId' in scope ? 'c.mailbox_id' : 'c.sender_id',
        '=',
        'mailboxId' in scope ? scope.mailboxId : scope.senderId,
      );
    query = query.where((eb) =>
      eb.or([eb('i.created_at', '<', cursorAt), eb.and([eb('i.created_at', '=', cursorAt), eb('i.id', '>', before)])]),
    );
  }
  const rows = await query
    .orderBy('i.created_at', 'desc')
    .orderBy('i.id', 'asc')
    .limit(options.limit + 1)
    .execute();
  return rows.map(toItem);
}

/** One inbound message in full; null when it does not exist. Callers decide who may see it. */
export async function findInbound(db: Db, id: string): Promise<InboundRecord | null> {
  const row = await db
    .selectFrom('inbound_message as i')
    .innerJoin('sender as s', 's.id', 'i.sender_id')
    .innerJoin('recipient as r', 'r.id', 'i.mailbox_id')
    .leftJoin('contact_point as cp', 'cp.id', 'i.contact_point_id')
    .leftJoin('message as m', 'm.id', 'i.reply_to_message_id')
    .select([
      'i.id',
      'i.kind',
      'i.sender_id',
      'i.subject',
      'i.body',
      'i.created_at',
      'i.acknowledged_at',
      'i.writer_recipient_id',
      'i.writer_name',
      'i.writer_access',
      'i.writer_via',
      's.name as sender_name',
      'r.id as mailbox_id',
      'r.kind as mailbox_kind',
      'r.name as mailbox_name',
      'r.cpr as mailbox_cpr',
      'r.cvr as mailbox_cvr',
      'cp.id as contact_point_id',
      'cp.name as contact_point_name',
      'm.id as message_id',
      'm.message_uuid',
      'm.label as message_label',
      'm.sender_reference',
    ])
    .where('i.id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  const attachments = await db
    .selectFrom('inbound_attachment')
    .select(['position', 'filename', 'media_type', 'size_bytes', 'sha256'])
    .where('inbound_id', '=', id)
    .orderBy('position')
    .execute();
  return {
    id: row.id,
    kind: row.kind,
    senderId: row.sender_id,
    senderName: row.sender_name,
    subject: row.subject,
    body: row.body,
    createdAt: row.created_at,
    acknowledgedAt: row.acknowledged_at,
    mailbox: {
      id: row.mailbox_id,
      kind: row.mailbox_kind,
      name: row.mailbox_name,
      cpr: row.mailbox_cpr,
      cvr: row.mailbox_cvr,
    },
    writer: {
      recipientId: row.writer_recipient_id,
      name: row.writer_name,
      access: row.writer_access,
      via: row.writer_via,
    },
    inReplyTo:
      row.message_id && row.message_uuid && row.message_label !== null
        ? {
            messageId: row.message_id,
            messageUuid: row.message_uuid,
            label: row.message_label,
            senderReference: row.sender_reference,
          }
        : null,
    contactPoint:
      row.contact_point_id && row.contact_point_name
        ? { id: row.contact_point_id, name: row.contact_point_name }
        : null,
    attachments: attachments.map((a) => ({
      position: a.position,
      filename: a.filename,
      mediaType: a.media_type,
      sizeBytes: Number(a.size_bytes),
      sha256: a.sha256.trim(),
    })),
  };
}

export interface FeedPosition {
  txId: string;
  seq: string;
}

/**
 * A sender's inbound messages in the order their transactions committed, after a position: only rows of
 * transactions older than every running one, ordered by (tx_id, seq), so a row that commits late never lands behind
 * a cursor already handed out (the same rule as the event feed).
 */
export async function readInboundFeed(
  db: Db,
  senderId: string,
  after: FeedPosition,
  limit: number,
  onlyUnacknowledged: boolean,
) {
  const rows = await sql<{ id: string; tx_id: string; seq: string }>`
    select id, tx_id::text as tx_id, seq::text as seq
    from inbound_message
    where sender_id = ${senderId}
      and tx_id < (select kuvert_feed_horizon())
      and (tx_id, seq) > (${after.txId}::xid8, ${after.seq}::bigint)
      ${onlyUnacknowledged ? sql`and acknowledged_at is null` : sql``}
    order by tx_id, seq
    limit ${limit + 1}`.execute(db);
  return { rows: rows.rows.slice(0, limit), hasMore: rows.rows.length > limit };
}

/** Sets the acknowledgement once; later calls change nothing. True when this call set it. */
export async function markAcknowledged(
  db: Db,
  id: string,
  by: { kind: string; id: string },
  at: Date,
): Promise<boolean> {
  const updated = await db
    .updateTable('inbound_message')
    .set({ acknowledged_at: at, acknowledged_by_kind: by.kind, acknowledged_by_id: by.id })
    .where('id', '=', id)
    .where('acknowledged_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return updated !== undefined;
}
