import { notFound } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import { findSenderMessage } from './messages.repository.ts';
import type { MessageStatus } from './messages.schemas.ts';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/** What a sender may know about one of its letters; another sender's letter is "not found", never "forbidden". */
export async function getMessageStatus(
  services: Services,
  senderId: string,
  messageId: string,
): Promise<MessageStatus> {
  if (!/^[0-9a-f-]{36}$/i.test(messageId)) throw notFound('message');
  const found = await findSenderMessage(services.db, senderId, messageId);
  if (!found) throw notFound('message');
  const { message, documents, events } = found;
  return {
    id: message.id,
    messageUuid: message.message_uuid,
    senderReference: message.sender_reference,
    label: message.label,
    status: message.status,
    receivedAt: iso(message.received_at) as string,
    availableAt: iso(message.available_at),
    readAt: iso(message.first_read_at),
    rejectedReason: message.rejected_reason,
    documents: documents.map((d) => ({
      title: d.title,
      filename: d.filename,
      mediaType: d.media_type,
      sizeBytes: Number(d.size_bytes),
      sha256: d.sha256,
    })),
    events: events.map((e) => ({ type: e.type, occurredAt: iso(e.occurred_at) as string })),
  };
}
