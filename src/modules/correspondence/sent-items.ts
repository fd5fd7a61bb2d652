import type { Readable } from 'node:stream';
import { notFound } from '../../http/problem.ts';
import type { Actor } from '../../kernel/actor.ts';
import type { Services } from '../../services.ts';
import { type MailboxAccess, mayBeyondFolders } from '../access/index.ts';
import { recordAudit } from '../audit/index.ts';
import { attachmentDownload } from './attachments.ts';
import { isUuid } from './contact-points.ts';
import { findInbound, type InboundListItem, type InboundRecord, listInboundPage } from './inbound.repository.ts';

const PAGE_SIZE = 20;

export interface SentPage {
  items: InboundListItem[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: string | null;
  isContinuation: boolean;
}

/** What a mailbox has written (replies and messages to contact points), newest first, keyset-paged. */
export async function listSent(
  services: Services,
  actor: Actor | null,
  access: MailboxAccess | null,
  before?: string,
): Promise<SentPage> {
  // What the mailbox wrote is the mailbox's as a whole: not shown to a folder-scoped employee.
  if (!access || !mayBeyondFolders(actor, access, 'list')) throw notFound('mailbox');
  const cursor = before && isUuid(before) ? before.toLowerCase() : undefined;
  const rows = await listInboundPage(
    services.db,
    { mailboxId: access.mailboxId },
    { before: cursor, limit: PAGE_SIZE },
  );
  const items = rows.slice(0, PAGE_SIZE);
  return {
    items,
    nextBefore: rows.length > PAGE_SIZE ? (items.at(-1)?.id ?? null) : null,
    isContinuation: !!before,
  };
}

/** A sent item in the mailbox it was written from, for whoever may read there; audited like opening a letter. */
export async function openSent(
  services: Services,
  actor: Actor | null,
  access: MailboxAccess | null,
  id: string,
): Promise<InboundRecord> {
  if (!isUuid(id) || !access || actor?.kind !== 'citizen' || !mayBeyondFolders(actor, access, 'read')) {
    throw notFound('message');
  }
  const record = await findInbound(services.db, id.toLowerCase());
  if (!record || record.mailbox.id !== access.mailboxId) throw notFound('message');
  await services.db.transaction().execute(async (trx) => {
    await recordAudit(trx, {
      actorKind: 'citizen',
      actorId: actor.recipientId,
      action: 'correspondence.sent.open',
      subjectType: 'inbound_message',
      subjectId: record.id,
      mailboxRecipientId: access.mailboxId,
      details: { access: access.level, via: access.via },
    });
  });
  return record;
}

/** One attachment of a sent item, under the same rule as opening it. */
export async function readSentAttachment(
  services: Services,
  actor: Actor | null,
  access: MailboxAccess | null,
  id: string,
  positionParam: string,
): Promise<{ filename: string; mediaType: string; sizeBytes: number; body: Readable | Buffer }> {
  if (!/^\d{1,3}$/.test(positionParam)) throw notFound('attachment');
  const record = await openSent(services, actor, access, id);
  const attachment = record.attachments.find((a) => a.position === Number(positionParam));
  if (!attachment) throw notFound('attachment');
  return attachmentDownload(services, attachment);
}
