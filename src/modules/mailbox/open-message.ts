import { notFound } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import type { Actor } from '../identity/actor.ts';
import { isUuid } from './list-inbox.ts';
import { canReadMessage } from './mailbox.policy.ts';
import { findMailboxMessage, listMessageDocuments } from './mailbox.repository.ts';
import { recordRead } from './record-read.ts';

/** Plain-text documents up to this size are shown on the page; larger ones only by link. */
const INLINE_TEXT_LIMIT = 256 * 1024;

export interface OpenedMessage {
  id: string;
  label: string;
  senderName: string;
  availableAt: Date;
  documents: {
    position: number;
    title: string;
    filename: string;
    mediaType: string;
    sizeBytes: number;
    /** The text, for plain-text documents small enough to show inline. */
    text: string | null;
  }[];
}

/**
 * Opens a letter for reading. A letter the actor may not read is "not found" (never "forbidden"), so its existence
 * is not revealed. Marks it read the first time and audits every open, in one transaction.
 */
export async function openMessage(services: Services, actor: Actor | null, messageId: string): Promise<OpenedMessage> {
  if (!isUuid(messageId)) throw notFound('message');
  const message = await findMailboxMessage(services.db, messageId.toLowerCase());
  if (!message || !canReadMessage(actor, { recipientId: message.recipient_id }) || actor?.kind !== 'citizen') {
    throw notFound('message');
  }
  const documents = await services.db.transaction().execute(async (trx) => {
    await recordRead(trx, actor, message, 'message.open');
    return listMessageDocuments(trx, message.id);
  });
  return {
    id: message.id,
    label: message.label,
    senderName: message.sender_name,
    availableAt: message.available_at as Date,
    documents: await Promise.all(
      documents.map(async (doc) => {
        const sizeBytes = Number(doc.size_bytes);
        const inline = doc.media_type === 'text/plain' && sizeBytes <= INLINE_TEXT_LIMIT;
        return {
          position: doc.position,
          title: doc.title,
          filename: doc.filename,
          mediaType: doc.media_type,
          sizeBytes,
          text: inline ? (await services.documents.get(doc.sha256)).toString('utf8') : null,
        };
      }),
    ),
  };
}
