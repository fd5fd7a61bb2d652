import type { Readable } from 'node:stream';
import { AppError, notFound } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import { recordAudit } from '../audit/index.ts';
import { callerAudit, type SenderCaller } from '../identity/index.ts';
import { attachmentDownload } from './attachments.ts';
import { isUuid } from './contact-points.ts';
import { mayReadInbound } from './correspondence.policy.ts';
import {
  type FeedPosition,
  findInbound,
  type InboundRecord,
  markAcknowledged,
  readInboundFeed,
} from './inbound.repository.ts';

/** An inbound message as a sender's system receives it. */
export interface InboundResource {
  id: string;
  kind: 'reply' | 'contact_point';
  subject: string;
  text: string;
  createdAt: string;
  acknowledgedAt: string | null;
  /** Whose mailbox it was written from: the person (CPR) or business (CVR) the authority corresponds with. */
  from: { kind: 'person' | 'business'; name: string; cpr: string | null; cvr: string | null };
  /** Who wrote it: the mailbox's owner, or someone with read/write access to it (and how they hold it). */
  writtenBy: { name: string; access: 'owner' | 'read_write'; via: string; isMailboxOwner: boolean };
  inReplyTo: { messageId: string; messageUuid: string; label: string; senderReference: string | null } | null;
  contactPoint: { id: string; name: string } | null;
  attachments: {
    position: number;
    filename: string;
    mediaType: string;
    sizeBytes: number;
    sha256: string;
    href: string;
  }[];
}

export function presentInbound(record: InboundRecord): InboundResource {
  return {
    id: record.id,
    kind: record.kind,
    subject: record.subject,
    text: record.body,
    createdAt: record.createdAt.toISOString(),
    acknowledgedAt: record.acknowledgedAt ? record.acknowledgedAt.toISOString() : null,
    from: { kind: record.mailbox.kind, name: record.mailbox.name, cpr: record.mailbox.cpr, cvr: record.mailbox.cvr },
    writtenBy: {
      name: record.writer.name,
      access: record.writer.access,
      via: record.writer.via,
      isMailboxOwner: record.writer.recipientId === record.mailbox.id,
    },
    inReplyTo: record.inReplyTo,
    contactPoint: record.contactPoint,
    attachments: record.attachments.map((a) => ({
      ...a,
      href: `/api/v1/inbound/${record.id}/attachments/${a.position}`,
    })),
  };
}

const START: FeedPosition = { txId: '0', seq: '0' };

function decodeCursor(cursor: string | undefined): FeedPosition {
  if (!cursor) return START;
  const match = /^(\d{1,20})\.(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString('latin1'));
  if (!match) throw new AppError(400, 'invalid_cursor', 'The cursor is not one this list handed out.', 'after');
  return { txId: match[1] as string, seq: match[2] as string };
}

const encodeCursor = (p: FeedPosition) => Buffer.from(`${p.txId}.${p.seq}`, 'latin1').toString('base64url');

/**
 * What recipients wrote to the sender, oldest first, after a cursor; each message exactly once however transactions
 * commit (see readInboundFeed). `unacknowledged` skips those already acknowledged.
 */
export async function listInbound(
  services: Services,
  senderId: string,
  options: { after?: string; limit?: number; unacknowledged?: boolean } = {},
): Promise<{ items: InboundResource[]; cursor: string; hasMore: boolean }> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  const after = decodeCursor(options.after);
  const page = await readInboundFeed(services.db, senderId, after, limit, options.unacknowledged ?? false);
  const items: InboundResource[] = [];
  for (const row of page.rows) {
    const record = await findInbound(services.db, row.id);
    if (record) items.push(presentInbound(record));
  }
  const last = page.rows.at(-1);
  return { items, cursor: encodeCursor(last ? { txId: last.tx_id, seq: last.seq } : after), hasMore: page.hasMore };
}

/** One inbound message of the sender's (another sender's is "not found"). */
export async function getInbound(services: Services, senderId: string, id: string): Promise<InboundRecord> {
  if (!isUuid(id)) throw notFound('inbound message');
  const record = await findInbound(services.db, id.toLowerCase());
  if (!record || record.senderId !== senderId) throw notFound('inbound message');
  return record;
}

/**
 * A person at the authority opens what a citizen wrote: the message (404 unless it is the sender's and the staff
 * member may read it), audited on the citizen's mailbox. Systems fetching it through the API are not audited.
 */
export async function openInboundAsStaff(
  services: Services,
  staff: Extract<NonNullable<Parameters<typeof mayReadInbound>[0]>, { kind: 'sender_staff' }>,
  id: string,
): Promise<InboundRecord> {
  const record = await getInbound(services, staff.senderId, id);
  if (!mayReadInbound(staff, record)) throw notFound('inbound message');
  await services.db.transaction().execute((trx) =>
    recordAudit(trx, {
      actorKind: 'sender_staff',
      actorId: staff.staffId,
      action: 'correspondence.inbound.open',
      subjectType: 'inbound_message',
      subjectId: record.id,
      mailboxRecipientId: record.mailbox.id,
    }),
  );
  return record;
}

/** One attachment's bytes. */
export async function getInboundAttachment(
  services: Services,
  senderId: string,
  id: string,
  positionParam: string,
): Promise<{ filename: string; mediaType: string; sizeBytes: number; body: Readable | Buffer }> {
  const record = await getInbound(services, senderId, id);
  const attachment = /^\d{1,3}$/.test(positionParam)
    ? record.attachments.find((a) => a.position === Number(positionParam))
    : undefined;
  if (!attachment) throw notFound('attachment');
  return attachmentDownload(services, attachment);
}

/**
 * The sender confirms it has received the message (the recipient then sees "received by the authority"). Idempotent:
 * the first acknowledgement's time stays; only that one is audited.
 */
export async function acknowledgeInbound(services: Services, caller: SenderCaller, id: string): Promise<InboundRecord> {
  const record = await getInbound(services, caller.senderId, id);
  if (!record.acknowledgedAt) {
    await services.db.transaction().execute(async (trx) => {
      const audit = callerAudit(caller);
      const set = await markAcknowledged(trx, record.id, { kind: audit.actorKind, id: audit.actorId }, new Date());
      if (set) {
        await recordAudit(trx, {
          ...audit,
          action: 'correspondence.acknowledge',
          subjectType: 'inbound_message',
          subjectId: record.id,
          mailboxRecipientId: record.mailbox.id,
        });
      }
    });
  }
  return getInbound(services, caller.senderId, id);
}
