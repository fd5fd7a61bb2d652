import { AppError, notFound } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import { getLetterEscalation } from '../notify/index.ts';
import { findSenderMessage } from './messages.repository.ts';
import type { MessageStatus } from './messages.schemas.ts';
import { findTombstone } from './purge-messages.ts';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
/** A date column as YYYY-MM-DD, whether the driver gave a string or a Date (at local midnight). */
const isoDate = (d: string | Date | null) => {
  if (d === null) return null;
  if (typeof d === 'string') return d.slice(0, 10);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
};

/** What a sender may know about one of its letters; another sender's letter is "not found", never "forbidden". */
export async function getMessageStatus(
  services: Services,
  senderId: string,
  messageId: string,
): Promise<MessageStatus> {
  if (!/^[0-9a-f-]{36}$/i.test(messageId)) throw notFound('message');
  const found = await findSenderMessage(services.db, senderId, messageId);
  if (!found) {
    const tombstone = await findTombstone(services.db, senderId, messageId);
    if (!tombstone) throw notFound('message');
    // Deleted under the retention rules: 410 Gone with what is left, never 404, so the sender knows it existed.
    throw new AppError(
      410,
      'retention_message_deleted',
      'The letter was deleted under the retention rules.',
      undefined,
      {
        tombstone: {
          id: tombstone.message_id,
          messageUuid: tombstone.message_uuid,
          receivedAt: iso(tombstone.received_at),
          availableAt: iso(tombstone.available_at),
          deletedAt: iso(tombstone.deleted_at),
          reason: tombstone.reason,
        },
      },
    );
  }
  const { message, documents, actions, events } = found;
  // A return is told by its event (print writes it; the trigger of migration 0042 sets the status from it).
  const returned = message.status === 'returned' ? events.findLast((e) => e.type === 'RETURNED_TO_SENDER') : undefined;
  return {
    id: message.id,
    messageUuid: message.message_uuid,
    senderReference: message.sender_reference,
    label: message.label,
    status: message.status,
    messageType: message.message_type,
    receivedAt: iso(message.received_at) as string,
    scheduledFor: iso(message.deliver_after),
    // A test letter never becomes available; it answers with when it was routed to the (would-be) mailbox.
    availableAt: iso(message.test && message.test_route === 'mailbox' ? message.test_routed_at : message.available_at),
    readAt: iso(message.first_read_at),
    recalledAt: iso(message.recalled_at),
    rejectedReason: message.rejected_reason,
    returnedAt: iso(returned?.occurred_at ?? null),
    returnedReason: typeof returned?.data.reason === 'string' ? returned.data.reason : null,
    notification: message.notification,
    replyAllowed: message.reply_allowed,
    replyBy: iso(message.reply_by),
    doNotDeliverUntil: isoDate(message.do_not_deliver_until as string | Date | null),
    deleteAfter: iso(message.delete_after),
    mandatory: message.mandatory,
    legalNotification: message.legal_notification,
    postType: message.post_type,
    memoVersion: message.memo_version,
    documents: documents.map((d) => ({
      role: d.role,
      title: d.title,
      filename: d.filename,
      mediaType: d.media_type,
      language: d.language,
      documentId: d.document_id,
      sizeBytes: Number(d.size_bytes),
      sha256: d.sha256,
    })),
    actions: actions.map((a) => ({
      actionCode: a.action_code,
      label: a.label,
      document: a.document_position,
      startDateTime: iso(a.start_at),
      endDateTime: iso(a.end_at),
      url: a.url,
      reservation: a.reservation,
      status: a.status,
    })),
    events: events.map((e) => ({ type: e.type, occurredAt: iso(e.occurred_at) as string, data: e.data })),
    escalation: await getLetterEscalation(services.db, message.id, {
      readAt: message.first_read_at,
      withdrawn: message.recalled_at !== null,
    }),
    ...(message.test ? { test: true as const } : {}),
  };
}
