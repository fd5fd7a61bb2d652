import { sql } from 'kysely';
import { inspectDocuments } from '../../documents/inspect-documents.ts';
import { allowedMediaType } from '../../documents/validate-document.ts';
import { AppError } from '../../http/problem.ts';
import { enqueue } from '../../jobs/queue.ts';
import type { Services } from '../../services.ts';
import { recordAudit } from '../audit/index.ts';
import { addMessageEvent } from '../events/index.ts';
import { callerAudit, type SenderCaller } from '../identity/index.ts';
import { resolveEscalation, saveLetterEscalation } from '../notify/index.ts';
import { checkDraft, type MessageDraft, messageContentHash } from './message-draft.ts';
import { findMessageBySenderUuid, findRecipientByIdentifier } from './messages.repository.ts';
import { letterDeleteAfter } from './retention-intake.ts';

export interface SendMessageResult {
  id: string;
  messageUuid: string;
  /** False when this was a repeat of an earlier identical request (idempotent replay). */
  created: boolean;
}

const CONFIRM_ACTIONS = new Set(['BEKRAEFT', 'UNDERSKRIV']);

/**
 * The one sending path behind every intake format: checks the documents and actions, applies idempotency on the
 * message UUID (per sender), stores the bytes durably, then in one transaction the message, its documents and
 * actions, the RECEIVED and VALIDATED events, an audit row and the delivery job (run at doNotDeliverUntil, if set).
 * The sending organisation is always the caller's (the API key's), never what the message says.
 */
export async function acceptMessage(
  services: Services,
  caller: SenderCaller,
  draft: MessageDraft,
): Promise<SendMessageResult> {
  const { db, documents: store, config } = services;
  checkDraft(draft, config);
  const contentHash = messageContentHash(draft);

  const previous = await findMessageBySenderUuid(db, caller.senderId, draft.messageUuid);
  if (previous) return replay(previous, contentHash, draft.messageUuid);
  const deleteAfter = await letterDeleteAfter(db, caller.senderId, draft, config.retention.maxYears);

  const recipient = await findRecipientByIdentifier(db, draft.recipient);
  if (!recipient) {
    throw new AppError(
      422,
      'unknown_recipient',
      'No recipient with this number is registered in Kuvert.',
      draft.recipientField,
    );
  }
  if (recipient.enrolment === 'closed') {
    throw new AppError(
      422,
      'recipient_closed',
      'This recipient’s mailbox is closed; the letter cannot be delivered.',
      draft.recipientField,
    );
  }

  // A named plan must exist (422 before anything is stored); the steps are kept with the letter.
  const escalation = draft.escalation
    ? await resolveEscalation(db, caller.senderId, draft.escalation, draft.escalationField ?? '/escalation')
    : null;

  // PDFs must parse and the malware scanner (if any) must find every file clean before a byte is kept.
  await inspectDocuments(services, draft.documents);
  // Bytes first, durably: a crash or a failed transaction after this leaves at most a file no row names, which the
  // orphan sweeper removes after its grace period (sweep-documents.ts); never a message without its file.
  const stored = new Set<string>();
  for (const doc of draft.documents) {
    if (stored.has(doc.sha256)) continue;
    await store.put(doc.bytes);
    stored.add(doc.sha256);
  }

  try {
    return await db.transaction().execute(async (trx) => {
      const deliverAfter = draft.doNotDeliverUntil
        ? (
            await sql<{ at: Date; later: boolean }>`
              select (${draft.doNotDeliverUntil}::date::timestamp at time zone 'Europe/Copenhagen') as at,
                     (${draft.doNotDeliverUntil}::date::timestamp at time zone 'Europe/Copenhagen') > now() as later
            `.execute(trx)
          ).rows[0]
        : undefined;
      const message = await trx
        .insertInto('message')
        .values({
          sender_id: caller.senderId,
          recipient_id: recipient.id,
          message_uuid: draft.messageUuid,
          content_hash: contentHash,
          sender_reference: draft.senderReference,
          label: draft.label,
          status: deliverAfter?.later ? 'scheduled' : 'received',
          message_type: draft.messageType,
          notification: draft.notification,
          reply_allowed: draft.replyAllowed,
          reply_by: draft.replyBy,
          do_not_deliver_until: draft.doNotDeliverUntil,
          delete_after: deleteAfter,
          deliver_after: deliverAfter?.at ?? null,
          mandatory: draft.mandatory,
          legal_notification: draft.legalNotification,
          post_type: draft.postType,
          sender_message_id: draft.senderReference,
          memo_version: draft.memoVersion,
          memo: JSON.stringify(draft.memo),
          // A test credential's letter: routed when due, delivered to nobody (test-mode.ts).
          test: caller.test === true,
          // Sent by a vendor's system on the sender's behalf: that system is the technical sender (on-behalf.ts).
          technical_sender_client_id: caller.onBehalfOf ? (caller.clientId ?? null) : null,
        })
        .returning(['id', 'sender_id', 'recipient_id'])
        .executeTakeFirstOrThrow();
      if (escalation) await saveLetterEscalation(trx, message, escalation);
      for (const [i, doc] of draft.documents.entries()) {
        const mediaType = allowedMediaType(doc.mediaType) as string;
        await trx
          .insertInto('document')
          .values({ sha256: doc.sha256, media_type: mediaType, size_bytes: doc.bytes.length })
          .onConflict((oc) => oc.column('sha256').doNothing())
          .execute();
        await trx
          .insertInto('message_document')
          .values({
            message_id: message.id,
            position: i,
            title: doc.title,
            filename: doc.filename,
            media_type: mediaType,
            sha256: doc.sha256,
            size_bytes: doc.bytes.length,
            role: doc.role,
            document_id: doc.documentId,
            language: doc.language,
          })
          .execute();
      }
      if (draft.actions.length) {
        await trx
          .insertInto('message_action')
          .values(
            draft.actions.map((a, i) => ({
              message_id: message.id,
              position: i,
              document_position: a.document,
              action_code: a.actionCode,
              label: a.label,
              start_at: a.startDateTime,
              end_at: a.endDateTime,
              url: a.url,
              reservation: a.reservation ? JSON.stringify(a.reservation) : null,
              status: CONFIRM_ACTIONS.has(a.actionCode) ? ('pending' as const) : null,
            })),
          )
          .execute();
      }
      await addMessageEvent(trx, message, 'RECEIVED');
      // Validation happened before the transaction; bulk intake records the two steps apart.
      await addMessageEvent(trx, message, 'VALIDATED');
      await recordAudit(trx, {
        ...callerAudit(caller),
        action: 'message.send',
        subjectType: 'message',
        subjectId: message.id,
        mailboxRecipientId: recipient.id,
      });
      await enqueue(
        trx,
        'deliver-message',
        { messageId: message.id },
        deliverAfter?.later ? { runAt: deliverAfter.at } : {},
      );
      return { id: message.id, messageUuid: draft.messageUuid, created: true };
    });
  } catch (error) {
    // Two identical requests raced: the loser answers like a replay.
    if ((error as { code?: string }).code === '23505') {
      const winner = await findMessageBySenderUuid(db, caller.senderId, draft.messageUuid);
      if (winner) return replay(winner, contentHash, draft.messageUuid);
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
