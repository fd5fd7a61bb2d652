import type { Readable } from 'node:stream';
import type { Db } from '../../db/database.ts';
import { AppError, notFound } from '../../http/problem.ts';
import type { BusinessCaller } from '../../kernel/actor.ts';
import type { Services } from '../../services.ts';
import { recordAudit } from '../audit/index.ts';
import { exportMemo } from '../messages/index.ts';
import { type InboxAction, inboxDecision } from './inbox-api.policy.ts';
import {
  decodeInboxCursor,
  encodeInboxCursor,
  findInboxLetter,
  type InboxLetter,
  type InboxPage,
  parseFolderFilter,
  readInboxPage,
} from './inbox-feed.ts';
import { moveToFolder } from './inbox-file.ts';
import { findMailboxMessage, findMessageDocument, type MailboxMessageRow } from './letter.repository.ts';
import { isUuid } from './list-inbox.ts';
import { recordReadNow } from './record-read.ts';

/** The caller's own mailbox, if the policy lets it do `action` there (listing, webhooks); else 403. */
export function ownInbox(caller: BusinessCaller | null, action: InboxAction): string {
  if (!caller || inboxDecision(caller, caller.businessRecipientId, action) !== 'allowed') {
    throw new AppError(403, 'forbidden', "This call is for a business's system with the inbox scope.");
  }
  return caller.businessRecipientId;
}

/**
 * A letter the caller may do `action` on: one that reached a business mailbox (the API's letters), not recalled,
 * not deleted for good, in the caller's own mailbox. Anything else is 404, never 403: existence is not revealed.
 */
async function authoriseInboxLetter(
  db: Db,
  caller: BusinessCaller | null,
  messageId: string,
  action: InboxAction,
  what = 'letter',
): Promise<{ caller: BusinessCaller; message: MailboxMessageRow }> {
  if (!isUuid(messageId)) throw notFound(what);
  const id = messageId.toLowerCase();
  const listed = await db
    .selectFrom('inbox_letter')
    .select('mailbox_id')
    .where('message_id', '=', id)
    .executeTakeFirst();
  const message = listed ? await findMailboxMessage(db, id) : undefined;
  const decision = inboxDecision(caller, message ? message.recipient_id : null, action);
  if (decision === 'forbidden') throw new AppError(403, 'forbidden', 'Your access token does not allow this.');
  if (decision === 'not_found' || !message || !caller) throw notFound(what);
  return { caller, message };
}

const reader = (caller: BusinessCaller) => ({ kind: 'system_client' as const, clientId: caller.clientId });

/** The business's letters, oldest first in delivery order, after a cursor (see readInboxPage). */
export async function listInbox(
  services: Services,
  callerIn: BusinessCaller | null,
  options: { cursor?: string; limit?: number; state?: 'new' | 'all'; folder?: string },
  /** Where the list is read (a lag-tolerant read's database: the replica's snapshot keeps the paging rule). */
  reader: Db = services.db,
): Promise<InboxPage> {
  const mailboxId = ownInbox(callerIn, 'read');
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  const after = decodeInboxCursor(options.cursor);
  const folder = await parseFolderFilter(reader, mailboxId, options.folder);
  const page = await readInboxPage(reader, mailboxId, {
    after,
    limit,
    onlyNew: (options.state ?? 'new') === 'new',
    folder,
  });
  return { letters: page.letters, cursor: encodeInboxCursor(page.last ?? after), hasMore: page.hasMore };
}

/**
 * Fetches a letter. Fetching counts as opening it, exactly as in the web mailbox (recordRead): the first fetch marks
 * it read and tells the sender (READ; LEGALLY_NOTIFIED for a legal notification), and every fetch is audited on the
 * business's mailbox with the system client as the actor.
 */
export async function getInboxLetter(
  services: Services,
  callerIn: BusinessCaller | null,
  messageId: string,
): Promise<InboxLetter & { notification: string | null }> {
  const { caller, message } = await authoriseInboxLetter(services.db, callerIn, messageId, 'read');
  await recordReadNow(services.db, reader(caller), message, 'message.open', { via: 'inbox_api' });
  const letter = await findInboxLetter(services.db, caller.businessRecipientId, message.id);
  if (!letter) throw notFound('letter');
  return { ...letter, notification: message.notification };
}

/** One of the letter's documents as stored (bytes, media type); recorded as reading it, like the web mailbox. */
export async function readInboxDocument(
  services: Services,
  callerIn: BusinessCaller | null,
  messageId: string,
  documentId: string,
): Promise<{ filename: string; mediaType: string; sizeBytes: number; body: Readable }> {
  const { caller, message } = await authoriseInboxLetter(services.db, callerIn, messageId, 'read', 'document');
  if (!/^\d{1,4}$/.test(documentId)) throw notFound('document');
  const position = Number(documentId);
  const document = await findMessageDocument(services.db, message.id, position);
  if (!document) throw notFound('document');
  await recordReadNow(services.db, reader(caller), message, 'message.document.open', { position, via: 'inbox_api' });
  return {
    filename: document.filename,
    mediaType: document.media_type,
    sizeBytes: Number(document.size_bytes),
    body: services.documents.stream(document.sha256),
  };
}

/** The letter as a MeMo document (the sender's export, messages/export-memo.ts); counts as opening it. */
export async function readInboxMemo(
  services: Services,
  callerIn: BusinessCaller | null,
  messageId: string,
): Promise<string> {
  const { caller, message } = await authoriseInboxLetter(services.db, callerIn, messageId, 'read');
  const xml = await exportMemo(services, message.sender_id, message.id);
  // Recorded as opening the letter (shown in the activity log), the MeMo named in the details.
  await recordReadNow(services.db, reader(caller), message, 'message.open', { via: 'inbox_api', memo: true });
  return xml;
}

/**
 * Marks the letter processed by the business's system, so `state=new` lists it no more. Idempotent: a second
 * acknowledgement answers the same (the first time and client), writes nothing and is not audited again.
 */
export async function acknowledgeLetter(
  services: Services,
  callerIn: BusinessCaller | null,
  messageId: string,
): Promise<{ id: string; acknowledged: true; acknowledgedAt: string }> {
  const { caller, message } = await authoriseInboxLetter(services.db, callerIn, messageId, 'write');
  return services.db.transaction().execute(async (trx) => {
    const now = new Date();
    const marked = await trx
      .updateTable('inbox_letter')
      .set({ acknowledged_at: now, acknowledged_by: caller.clientId })
      .where('message_id', '=', message.id)
      .where('acknowledged_at', 'is', null)
      .returning('acknowledged_at')
      .executeTakeFirst();
    if (marked) {
      await recordAudit(trx, {
        actorKind: 'system_client',
        actorId: caller.clientId,
        action: 'message.acknowledge',
        subjectType: 'message',
        subjectId: message.id,
        mailboxRecipientId: message.recipient_id,
      });
    }
    const row = await trx
      .selectFrom('inbox_letter')
      .select('acknowledged_at')
      .where('message_id', '=', message.id)
      .executeTakeFirstOrThrow();
    return { id: message.id, acknowledged: true as const, acknowledgedAt: (row.acknowledged_at as Date).toISOString() };
  });
}

/** Files the letter in a folder of the business mailbox (by id or name; Inbox and Archive by their kind). */
export async function fileLetter(
  services: Services,
  callerIn: BusinessCaller | null,
  messageId: string,
  target: { folderId?: string; folderName?: string },
): Promise<InboxLetter> {
  const { caller, message } = await authoriseInboxLetter(services.db, callerIn, messageId, 'write');
  await moveToFolder(services.db, caller, message, target);
  const letter = await findInboxLetter(services.db, caller.businessRecipientId, message.id);
  if (!letter) throw notFound('letter');
  return letter;
}
