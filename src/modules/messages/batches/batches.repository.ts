import { sql } from 'kysely';
import type { Db } from '../../../db/database.ts';
import type { BatchTable } from '../../../db/schema.ts';
import { enqueueSql } from '../../../jobs/queue.ts';
import { insertMessageEventsFrom } from '../../events/index.ts';
import { newMailNotificationCtes } from '../../notify/index.ts';
import type { ItemError, ParsedItem } from './batch-item.ts';

/** How long a worker's claim on a batch lasts without a committed chunk; then another worker may take over. */
export const LEASE_SECONDS = 20;

export async function insertBatch(
  trx: Db,
  batch: {
    id: string;
    senderId: string;
    apiKeyId: string | null;
    staffUserId: string | null;
    test?: boolean;
    client?: { id: string; onBehalf: boolean } | null;
    spoolPath: string;
    sizeBytes: number;
    lines: number;
    parts: number;
    format?: BatchTable['format'];
  },
) {
  await sql`
    insert into batch (id, sender_id, api_key_id, staff_user_id, test, format, spool_path, size_bytes, lines_total,
                       parts, system_client_id, on_behalf)
    values (${batch.id}, ${batch.senderId}, ${batch.apiKeyId}, ${batch.staffUserId}, ${batch.test === true},
            ${batch.format ?? 'ndjson'}, ${batch.spoolPath}, ${batch.sizeBytes}, ${batch.lines}, ${batch.parts},
            ${batch.client?.id ?? null}, ${batch.client?.onBehalf === true})
  `.execute(trx);
  await sql`
    insert into batch_part (batch_id, part) select ${batch.id}, generate_series(0, ${batch.parts - 1})
  `.execute(trx);
}

export async function findSenderBatch(db: Db, senderId: string, id: string) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  return db.selectFrom('batch').selectAll().where('id', '=', id).where('sender_id', '=', senderId).executeTakeFirst();
}

/** Takes the batch for this worker if nobody holds a live lease on it; null otherwise (or if it is finished). */
export async function claimBatch(db: Db, id: string, owner: string) {
  const result = await sql<{
    id: string;
    sender_id: string;
    api_key_id: string | null;
    staff_user_id: string | null;
    test: boolean;
    system_client_id: string | null;
    on_behalf: boolean;
    spool_path: string;
    format: BatchTable['format'];
    created_at: Date;
    resumed: boolean;
  }>`
    update batch
    set state = 'processing', lease_owner = ${owner}, lease_until = now() + make_interval(secs => ${LEASE_SECONDS}),
        started_at = coalesce(started_at, now())
    where id = ${id} and state in ('received', 'processing') and (lease_until is null or lease_until < now())
    returning id, sender_id, api_key_id, staff_user_id, test, system_client_id, on_behalf, spool_path, format,
              created_at, started_at < now() as resumed
  `.execute(db);
  return result.rows[0] ?? null;
}

export async function partResumeLines(db: Db, id: string): Promise<number[]> {
  const rows = await sql<{ resume_line: number }>`
    select resume_line from batch_part where batch_id = ${id} order by part
  `.execute(db);
  return rows.rows.map((r) => r.resume_line);
}

export async function batchDocuments(db: Db, id: string) {
  const rows = await sql<{ sha256: string; media_type: string; size_bytes: string }>`
    select sha256, media_type, size_bytes from batch_document where batch_id = ${id}
  `.execute(db);
  return rows.rows;
}

/** Registers a document of the batch (its bytes are already stored), so later lines may name it by hash. */
export async function addBatchDocument(db: Db, id: string, doc: { sha256: string; mediaType: string; size: number }) {
  await sql`
    with d as (
      insert into document (sha256, media_type, size_bytes) values (${doc.sha256}, ${doc.mediaType}, ${doc.size})
      on conflict (sha256) do nothing
    )
    insert into batch_document (batch_id, sha256, media_type, size_bytes)
    values (${id}, ${doc.sha256}, ${doc.mediaType}, ${doc.size})
    on conflict do nothing
  `.execute(db);
}

/** Recipients by CPR and CVR, with their enrolment (the chunk's lookups in two index scans). */
export async function findRecipients(db: Db, cprs: string[], cvrs: string[]) {
  const rows = await sql<{ id: string; key: string; enrolment: string }>`
    select id, cpr as key, enrolment from recipient where cpr = any(${cprs}::bpchar[])
    union all
    select id, cvr as key, enrolment from recipient where cvr = any(${cvrs}::bpchar[])
  `.execute(db);
  return new Map(rows.rows.map((r) => [r.key.trim(), r]));
}

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

/** Stores a chunk's per-item errors. Texts are made storable first: an error must never fail its own chunk. */
export async function insertItemErrors(trx: Db, batchId: string, errors: readonly ItemError[]) {
  if (errors.length === 0) return;
  const text = (value: string | null | undefined) => (value == null ? null : storableText(value));
  await sql`
    insert into batch_item_error (batch_id, line, message_uuid, code, field, detail, entry)
    select ${batchId}, * from unnest(${errors.map((e) => e.line)}::int[], ${errors.map((e) => text(e.messageUuid))}::text[],
                                     ${errors.map((e) => e.code)}::text[], ${errors.map((e) => text(e.field))}::text[],
                                     ${errors.map((e) => text(e.detail))}::text[], ${errors.map((e) => text(e.entry))}::text[])
    on conflict do nothing
  `.execute(trx);
}

/** PostgreSQL text cannot hold NUL; anything echoed from a line (a tar entry's name, a messageUuid) might. */
const storableText = (value: string) => (value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value);

/**
 * Commits a chunk's progress: the part's resume line and the counts, and renews the lease. False when the batch
 * was cancelled or another worker holds it now — the caller must then roll the chunk back.
 */
export async function advanceBatch(
  trx: Db,
  id: string,
  owner: string,
  progress: { part: number; resumeLine: number; lines: number; accepted: number; duplicates: number; failed: number },
): Promise<boolean> {
  await sql`
    update batch_part set resume_line = ${progress.resumeLine} where batch_id = ${id} and part = ${progress.part}
  `.execute(trx);
  const result = await sql`
    update batch
    set lines_done = lines_done + ${progress.lines}, accepted = accepted + ${progress.accepted},
        duplicates = duplicates + ${progress.duplicates}, failed = failed + ${progress.failed},
        lease_until = now() + make_interval(secs => ${LEASE_SECONDS})
    where id = ${id} and state = 'processing' and lease_owner = ${owner}
  `.execute(trx);
  return Number(result.numAffectedRows ?? 0) === 1;
}

export async function finishBatch(db: Db, id: string, owner: string, state: 'completed' | 'failed', failure?: string) {
  const result = await sql`
    update batch set state = ${state}, finished_at = now(), lease_owner = null, lease_until = null,
                     failure = ${failure ?? null}
    where id = ${id} and state = 'processing' and lease_owner = ${owner}
  `.execute(db);
  return Number(result.numAffectedRows ?? 0) === 1;
}

/** Lets the lease go at once (after an error), so a retry need not wait for it to expire. */
export async function releaseBatch(db: Db, id: string, owner: string) {
  await sql`
    update batch set lease_until = null, lease_owner = null where id = ${id} and lease_owner = ${owner}
  `.execute(db);
}

export async function listItemErrors(db: Db, id: string, afterLine: number, limit: number) {
  return db
    .selectFrom('batch_item_error')
    .select(['line', 'entry', 'message_uuid', 'code', 'field', 'detail'])
    .where('batch_id', '=', id)
    .where('line', '>', afterLine)
    .orderBy('line')
    .limit(limit)
    .execute();
}

/**
 * Enqueues routing again for the sender's letters since `since` that are still unrouted: after a crash, the routing
 * jobs the dead worker had taken stay locked for hours. Routing is idempotent (a pending job costs a skipped row).
 */
export async function rerouteUnrouted(db: Db, senderId: string, since: Date, chunkSize: number) {
  await sql`
    select ${enqueueSql('deliver-batch-chunk', { messageIds: sql`ids` })}
    from (
      select array_agg(id) as ids
      from (
        select m.id, (row_number() over (order by m.received_at, m.id) - 1) / ${chunkSize} as page
        from message m
        where m.sender_id = ${senderId} and m.received_at >= ${since} and m.status = 'received'
      ) numbered
      group by page
    ) pages
  `.execute(db);
}

/** Schedules another look at an unfinished batch when its current lease runs out (see recover-batches.ts). */
export async function watchBatch(db: Db, id: string) {
  await sql`
    select ${enqueueSql(
      'process-batch',
      { batchId: sql`b.id::text` },
      {
        runAt: sql`greatest(now(), b.lease_until + interval '1 second')`,
        jobKey: sql`'batch:' || b.id::text`,
        maxAttempts: 10,
      },
    )}
    from batch b where b.id = ${id} and b.state in ('received', 'processing')
  `.execute(db);
}

/** Batches that should be running but whose worker is gone (lease expired or never taken). */
export async function stalledBatches(db: Db) {
  const rows = await sql<{ id: string; lease_until: Date | null }>`
    select id, lease_until from batch where state in ('received', 'processing')
  `.execute(db);
  return rows.rows;
}
