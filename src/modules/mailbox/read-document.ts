import type { Readable } from 'node:stream';
import { notFound } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import type { Actor } from '../identity/actor.ts';
import { isUuid } from './list-inbox.ts';
import { canReadMessage } from './mailbox.policy.ts';
import { findMailboxMessage, findMessageDocument } from './mailbox.repository.ts';
import { recordRead } from './record-read.ts';

export interface DocumentDownload {
  filename: string;
  mediaType: string;
  sizeBytes: number;
  body: Readable;
}

/**
 * The bytes of one document of a letter, under the same rule as opening the letter (404 otherwise). Fetching a
 * document is reading the letter: it marks the letter read if it was not, and is audited.
 */
export async function readDocument(
  services: Services,
  actor: Actor | null,
  messageId: string,
  positionParam: string,
): Promise<DocumentDownload> {
  if (!isUuid(messageId) || !/^\d{1,4}$/.test(positionParam)) throw notFound('document');
  const message = await findMailboxMessage(services.db, messageId.toLowerCase());
  if (!message || !canReadMessage(actor, { recipientId: message.recipient_id }) || actor?.kind !== 'citizen') {
    throw notFound('document');
  }
  const position = Number(positionParam);
  const document = await findMessageDocument(services.db, message.id, position);
  if (!document) throw notFound('document');
  await services.db.transaction().execute(async (trx) => {
    await recordRead(trx, actor, message, 'message.document.open', { position });
  });
  return {
    filename: document.filename,
    mediaType: document.media_type,
    sizeBytes: Number(document.size_bytes),
    body: services.documents.stream(document.sha256),
  };
}
