import { sql } from 'kysely';
import type { Db } from '../../../db/database.ts';
import { insertMessageEventsFrom } from '../../events/index.ts';
import { newMailNotificationCtes } from '../../notify/index.ts';
import type { ParsedItem } from './batch-item.ts';

/** A letter stored by insertMessages: its id, and when it is due if it waits for doNotDeliverUntil. */
export interface InsertedMessage {
  id: string;
  scheduledFor: Date | null;
  /** Routed to the mailbox in the same statement (enrolled recipient, DIGITALPOST, due now). */
  available: boolean;
}

/**
 * Stores the chunk's letters set-based: messages with their whole model (skipping messageUuids the sender has used
 * before), their documents and actions, and their RECEIVED + VALIDATED events (one event row each). A letter with a
 * future doNotDeliverUntil is stored 'scheduled' (due at 00:00 Copenhagen time that day). A due letter marked
 * `toMailbox` (routing.ts, by its recipient as looked up for this chunk) is routed at once, as deliverMessage would:
 * 'available' at `now` with AVAILABLE_TO_RECIPIENT and its new-mail notification scheduled — one write per letter
 * instead of a second routing pass. `technicalClientId`: a vendor's system sending for the sender (0036).
 */
export async function insertMessages(
  trx: Db,
  senderId: string,
  items: readonly (ParsedItem & { recipientId: string; toMailbox: boolean })[],
  now: Date = new Date(),
  test = false,
  technicalClientId: string | null = null,
): Promise<Map<string, InsertedMessage>> {
  if (items.length === 0) return new Map();
  const m = {
    uuid: [] as string[],
    recipient: [] as string[],
    hash: [] as string[],
    reference: [] as (string | null)[],
    label: [] as string[],
    type: [] as string[],
    notification: [] as (string | null)[],
    reply: [] as boolean[],
    replyBy: [] as (string | null)[],
    notBefore: [] as (string | null)[],
    deleteAfter: [] as (string | null)[],
    mandatory: [] as boolean[],
    legal: [] as boolean[],
    postType: [] as (string | null)[],
    memoVersion: [] as (string | null)[],
    memo: [] as (string | null)[],
    mailbox: [] as boolean[],
  };
  const d = {
    uuid: [] as string[],
    position: [] as number[],
    title: [] as string[],
    filename: [] as string[],
    mediaType: [] as string[],
    sha256: [] as string[],
    size: [] as number[],
    role: [] as string[],
    language: [] as (string | null)[],
    documentId: [] as (string | null)[],
  };
  const a = {
    uuid: [] as string[],
    position: [] as number[],
    document: [] as number[],
    code: [] as string[],
    label: [] as string[],
    start: [] as (string | null)[],
    end: [] as (string | null)[],
    url: [] as (string | null)[],
    reservation: [] as (string | null)[],
  };
  for (const item of items) {
    m.uuid.push(item.messageUuid);
    m.recipient.push(item.recipientId);
    m.hash.push(item.contentHash);
    m.reference.push(item.senderReference);
    m.label.push(item.label);
    m.type.push(item.messageType);
    m.notification.push(item.notification);
    m.reply.push(item.replyAllowed);
    m.replyBy.push(item.replyBy);
    m.notBefore.push(item.doNotDeliverUntil);
    m.deleteAfter.push(item.deleteAfter);
    m.mandatory.push(item.mandatory);
    m.legal.push(item.legalNotification);
    m.postType.push(item.postType);
    m.memoVersion.push(item.memoVersion);
    m.memo.push(item.memo);
    m.mailbox.push(item.toMailbox);
    for (const [position, doc] of item.documents.entries()) {
      d.uuid.push(item.messageUuid);
      d.position.push(position);
      d.title.push(doc.title);
      d.filename.push(doc.filename);
      d.mediaType.push(doc.mediaType);
      d.sha256.push(doc.sha256);
      d.size.push(doc.size);
      d.role.push(doc.role);
      d.language.push(doc.language);
      d.documentId.push(doc.documentId);
    }
    for (const [position, action] of item.actions.entries()) {
      a.uuid.push(item.messageUuid);
      a.position.push(position);
      a.document.push(action.document);
      a.code.push(action.actionCode);
      a.label.push(action.label);
      a.start.push(action.startDateTime);
      a.end.push(action.endDateTime);
      a.url.push(action.url);
      a.reservation.push(action.reservation);
    }
  }
  const result = await sql<{ id: string; message_uuid: string; status: string; scheduled_for: Date | null }>`
    with input as (
      select t.*, (t.do_not_deliver_until::timestamp at time zone 'Europe/Copenhagen') as deliver_after
      from unnest(${m.uuid}::uuid[], ${m.recipient}::uuid[], ${m.hash}::text[], ${m.reference}::text[],
                  ${m.label}::text[], ${m.type}::text[], ${m.notification}::text[], ${m.reply}::bool[],
                  ${m.replyBy}::timestamptz[], ${m.notBefore}::date[], ${m.mandatory}::bool[], ${m.legal}::bool[],
                  ${m.postType}::text[], ${m.memoVersion}::text[], ${m.memo}::jsonb[], ${m.mailbox}::bool[],
                  ${m.deleteAfter}::timestamptz[])
        as t(message_uuid, recipient_id, content_hash, sender_reference, label, message_type, notification,
             reply_allowed, reply_by, do_not_deliver_until, mandatory, legal_notification, post_type, memo_version,
             memo, to_mailbox, delete_after)
    ), routed as (
      select input.*, case when deliver_after > ${now}::timestamptz then 'scheduled'
                           when to_mailbox then 'available' else 'received' end as status
      from input
    ), inserted as (
      insert into message (sender_id, recipient_id, message_uuid, content_hash, sender_reference, label, status,
                           available_at, message_type, notification, reply_allowed, reply_by, do_not_deliver_until,
                           deliver_after, mandatory, legal_notification, post_type, sender_message_id, memo_version,
                           memo, test, technical_sender_client_id, delete_after)
      select ${senderId}, recipient_id, message_uuid, content_hash, sender_reference, label, status,
             case when status = 'available' then ${now}::timestamptz end,
             message_type, notification, reply_allowed, reply_by, do_not_deliver_until, deliver_after, mandatory,
             legal_notification, post_type, sender_reference, memo_version, memo, ${test}::boolean, ${technicalClientId}::uuid,
             delete_after
      from routed
      on conflict (sender_id, message_uuid) do nothing
      returning id, message_uuid, status, case when status = 'scheduled' then deliver_after end as scheduled_for,
                recipient_id
    ), avail as (
      -- Routed to the mailbox just now (DIGITALPOST only, see to_mailbox): their new-mail notifications.
      select id, recipient_id, ${senderId}::uuid as sender_id from inserted where status = 'available'
    ), ${newMailNotificationCtes(now)}, documents as (
      insert into message_document (message_id, position, title, filename, media_type, sha256, size_bytes, role,
                                    language, document_id)
      select i.id, t.position, t.title, t.filename, t.media_type, t.sha256, t.size_bytes, t.role, t.language,
             t.document_id
      from unnest(${d.uuid}::uuid[], ${d.position}::int[], ${d.title}::text[], ${d.filename}::text[],
                  ${d.mediaType}::text[], ${d.sha256}::text[], ${d.size}::bigint[], ${d.role}::text[],
                  ${d.language}::text[], ${d.documentId}::text[])
             as t(message_uuid, position, title, filename, media_type, sha256, size_bytes, role, language,
                  document_id)
      join inserted i on i.message_uuid = t.message_uuid
    ), actions as (
      insert into message_action (message_id, position, document_position, action_code, label, start_at, end_at,
                                  url, reservation, status)
      select i.id, t.position, t.document_position, t.action_code, t.label, t.start_at, t.end_at, t.url,
             t.reservation, case when t.action_code in ('BEKRAEFT', 'UNDERSKRIV') then 'pending' end
      from unnest(${a.uuid}::uuid[], ${a.position}::int[], ${a.document}::int[], ${a.code}::text[],
                  ${a.label}::text[], ${a.start}::timestamptz[], ${a.end}::timestamptz[], ${a.url}::text[],
                  ${a.reservation}::jsonb[])
             as t(message_uuid, position, document_position, action_code, label, start_at, end_at, url, reservation)
      join inserted i on i.message_uuid = t.message_uuid
    ), events as (
      ${insertMessageEventsFrom(sql`
        select i.id, ${senderId}::uuid, 'RECEIVED',
               case when i.status = 'available' then '{VALIDATED,AVAILABLE_TO_RECIPIENT}'::text[]
                    else '{VALIDATED}'::text[] end,
               ${now}::timestamptz, '{}'::jsonb
        from inserted i`)}
    )
    select id, message_uuid::text, status, scheduled_for from inserted
  `.execute(trx);
  return new Map(
    result.rows.map((r) => [
      r.message_uuid,
      { id: r.id, scheduledFor: r.scheduled_for, available: r.status === 'available' },
    ]),
  );
}

/** The content hashes of messages the sender already has under these messageUuids. */
export async function existingContentHashes(trx: Db, senderId: string, uuids: string[]) {
  if (uuids.length === 0) return new Map<string, string>();
  const rows = await sql<{ message_uuid: string; content_hash: string }>`
    select message_uuid::text, content_hash from message
    where sender_id = ${senderId} and message_uuid = any(${uuids}::uuid[])
  `.execute(trx);
  return new Map(rows.rows.map((r) => [r.message_uuid, r.content_hash]));
}
