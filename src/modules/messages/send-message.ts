import { randomUUID } from 'node:crypto';
import { AppError } from '../../http/problem.ts';
import { enqueue } from '../../jobs/queue.ts';
import type { Services } from '../../services.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { normaliseCpr, normaliseCvr } from '../registry/identifiers.ts';
import { sha256Hex } from './document-store.ts';
import { addMessageEvent, findMessageBySenderUuid, findRecipientByIdentifier } from './messages.repository.ts';
import type { SendMessageBody } from './messages.schemas.ts';
import { decodeDocument } from './validate-document.ts';

export interface SendMessageResult {
  id: string;
  messageUuid: string;
  /** False when this was a repeat of an earlier identical request (idempotent replay). */
  created: boolean;
}

/**
 * Accepts a letter from a sender: validates it, stores its documents durably, then in one transaction stores the
 * message, its RECEIVED event, an audit row and the delivery job. Either all of it happens or none.
 */
export async function sendMessage(
  services: Services,
  caller: { senderId: string; apiKeyId: string },
  input: SendMessageBody,
): Promise<SendMessageResult> {
  const { db, documents: store, config } = services;

  let identifier: { cpr?: string; cvr?: string };
  if ('cpr' in input.recipient) {
    const cpr = normaliseCpr(input.recipient.cpr);
    if (!cpr) throw new AppError(422, 'invalid_cpr', 'The CPR number is not a valid CPR number.', '/recipient/cpr');
    identifier = { cpr };
  } else {
    const cvr = normaliseCvr(input.recipient.cvr);
    if (!cvr) throw new AppError(422, 'invalid_cvr', 'The CVR number is not a valid CVR number.', '/recipient/cvr');
    identifier = { cvr };
  }
  if (input.documents.length > config.maxDocumentsPerMessage) {
    throw new AppError(
      422,
      'too_many_documents',
      `At most ${config.maxDocumentsPerMessage} documents per letter.`,
      '/documents',
    );
  }
  const decoded = input.documents.map((doc, i) => decodeDocument(doc, i, config.maxDocumentBytes));
  const hashes = decoded.map((bytes) => sha256Hex(bytes));
  const messageUuid = input.messageUuid?.toLowerCase() ?? randomUUID();
  const contentHash = sha256Hex(
    JSON.stringify({
      recipient: identifier,
      label: input.label,
      senderReference: input.senderReference ?? null,
      documents: input.documents.map((d, i) => [d.title, d.filename, d.mediaType, hashes[i]]),
    }),
  );

  const previous = await findMessageBySenderUuid(db, caller.senderId, messageUuid);
  if (previous) return replay(previous, contentHash, messageUuid);

  const recipient = await findRecipientByIdentifier(db, identifier);
  if (!recipient) {
    const field = identifier.cpr ? '/recipient/cpr' : '/recipient/cvr';
    throw new AppError(422, 'unknown_recipient', 'No recipient with this number is registered in Kuvert.', field);
  }
  if (recipient.enrolment === 'closed') {
    const field = identifier.cpr ? '/recipient/cpr' : '/recipient/cvr';
    throw new AppError(
      422,
      'recipient_closed',
      'This recipient’s mailbox is closed; the letter cannot be delivered.',
      field,
    );
  }

  // Bytes first, durably: a crash after this leaves at most an unreferenced file, never a message without its file.
  for (const bytes of decoded) await store.put(bytes);

  try {
    return await db.transaction().execute(async (trx) => {
      const message = await trx
        .insertInto('message')
        .values({
          sender_id: caller.senderId,
          recipient_id: recipient.id,
          message_uuid: messageUuid,
          content_hash: contentHash,
          sender_reference: input.senderReference ?? null,
          label: input.label,
          status: 'received',
        })
        .returning(['id', 'sender_id'])
        .executeTakeFirstOrThrow();
      for (const [i, doc] of input.documents.entries()) {
        const bytes = decoded[i] as Buffer;
        const sha = hashes[i] as string;
        await trx
          .insertInto('document')
          .values({ sha256: sha, media_type: doc.mediaType, size_bytes: bytes.length })
          .onConflict((oc) => oc.column('sha256').doNothing())
          .execute();
        await trx
          .insertInto('message_document')
          .values({
            message_id: message.id,
            position: i,
            title: doc.title,
            filename: doc.filename,
            media_type: doc.mediaType,
            sha256: sha,
            size_bytes: bytes.length,
          })
          .execute();
      }
      await addMessageEvent(trx, message, 'RECEIVED');
      // Validation happened before the transaction; bulk intake records the two steps apart.
      await addMessageEvent(trx, message, 'VALIDATED');
      await recordAudit(trx, {
        actorKind: 'sender_api',
        actorId: caller.apiKeyId,
        action: 'message.send',
        subjectType: 'message',
        subjectId: message.id,
        mailboxRecipientId: recipient.id,
      });
      await enqueue(trx, 'deliver-message', { messageId: message.id });
      return { id: message.id, messageUuid, created: true };
    });
  } catch (error) {
    // Two identical requests raced: the loser answers like a replay.
    if ((error as { code?: string }).code === '23505') {
      const winner = await findMessageBySenderUuid(db, caller.senderId, messageUuid);
      if (winner) return replay(winner, contentHash, messageUuid);
    }
    throw error;
  }
}

function replay(
  previous: { id: string; content_hash: string },
  contentHash: string,
  messageUuid: string,
): SendMessageResult {
  if (previous.content_hash !== contentHash) {
    throw new AppError(
      409,
      'message_uuid_conflict',
      'A different letter was already sent with this messageUuid.',
      '/messageUuid',
    );
  }
  return { id: previous.id, messageUuid, created: false };
}
