import { sql } from 'kysely';
import type { Db } from '../../../db/database.ts';
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
    spoolPath: string;
    sizeBytes: number;
    lines: number;
    parts: number;
  },
) {
  await sql`
    insert into batch (id, sender_id, api_key_id, staff_user_id, format, spool_path, size_bytes, lines_total, parts)
    values (${batch.id}, ${batch.senderId}, ${batch.apiKeyId}, ${batch.staffUserId}, 'ndjson', ${batch.spoolPath},
            ${batch.sizeBytes},
            ${batch.lines}, ${batch.parts})
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
    spool_path: string;
    created_at: Date;
    resumed: boolean;
  }>`
    update batch
    set state = 'processing', lease_owner = ${owner}, lease_until = now() + make_interval(secs => ${LEASE_SECONDS}),
        started_at = coalesce(started_at, now())
    where id = ${id} and state in ('received', 'processing') and (lease_until is null or lease_until < now())
    returning id, sender_id, api_key_id, staff_user_id, spool_path, created_at, started_at < now() as resumed
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

/**
 * Stores the chunk's letters set-based: messages (skipping messageUuids the sender has used before), their
 * documents and RECEIVED + VALIDATED events. Returns the new messages' ids by messageUuid.
 */
export async function insertMessages(
  trx: Db,
  senderId: string,
  items: readonly (ParsedItem & { recipientId: string })[],
): Promise<Map<string, string>> {
  if (items.length === 0) return new Map();
  const m = {
    uuid: [] as string[],
    recipient: [] as string[],
    hash: [] as string[],
    reference: [] as (string | null)[],
    label: [] as string[],
  };
  const d = {
    uuid: [] as string[],
    position: [] as number[],
    title: [] as string[],
    filename: [] as string[],
    mediaType: [] as string[],
    sha256: [] as string[],
    size: [] as number[],
  };
  for (const item of items) {
    m.uuid.push(item.messageUuid);
    m.recipient.push(item.recipientId);
    m.hash.push(item.contentHash);
    m.reference.push(item.senderReference);
    m.label.push(item.label);
    for (const [position, doc] of item.documents.entries()) {
      d.uuid.push(item.messageUuid);
      d.position.push(position);
      d.title.push(doc.title);
      d.filename.push(doc.filename);
      d.mediaType.push(doc.mediaType);
      d.sha256.push(doc.sha256);
      d.size.push(doc.size);
    }
  }
  const result = await sql<{ id: string; message_uuid: string }>`
    with inserted as (
      insert into message (sender_id, recipient_id, message_uuid, content_hash, sender_reference, label, status)
      select ${senderId}, recipient_id, message_uuid, content_hash, sender_reference, label, 'received'
      from unnest(${m.uuid}::uuid[], ${m.recipient}::uuid[], ${m.hash}::text[], ${m.reference}::text[],
                  ${m.label}::text[]) as t(message_uuid, recipient_id, content_hash, sender_reference, label)
      on conflict (sender_id, message_uuid) do nothing
      returning id, message_uuid
    ), documents as (
      insert into message_document (message_id, position, title, filename, media_type, sha256, size_bytes)
      select i.id, t.position, t.title, t.filename, t.media_type, t.sha256, t.size_bytes
      from unnest(${d.uuid}::uuid[], ${d.position}::int[], ${d.title}::text[], ${d.filename}::text[],
                  ${d.mediaType}::text[], ${d.sha256}::text[], ${d.size}::bigint[])
             as t(message_uuid, position, title, filename, media_type, sha256, size_bytes)
      join inserted i on i.message_uuid = t.message_uuid
    ), events as (
      insert into message_event (message_id, sender_id, type, data)
      select i.id, ${senderId}, e.type, '{}'::jsonb
      from inserted i cross join (values (1, 'RECEIVED'), (2, 'VALIDATED')) as e(step, type)
      order by e.step
    )
    select id, message_uuid::text from inserted
  `.execute(trx);
  return new Map(result.rows.map((r) => [r.message_uuid, r.id]));
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

export async function insertItemErrors(trx: Db, batchId: string, errors: readonly ItemError[]) {
  if (errors.length === 0) return;
  await sql`
    insert into batch_item_error (batch_id, line, message_uuid, code, field, detail)
    select ${batchId}, * from unnest(${errors.map((e) => e.line)}::int[], ${errors.map((e) => e.messageUuid)}::text[],
                                     ${errors.map((e) => e.code)}::text[], ${errors.map((e) => e.field)}::text[],
                                     ${errors.map((e) => e.detail)}::text[])
    on conflict do nothing
  `.execute(trx);
}

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
    .select(['line', 'message_uuid', 'code', 'field', 'detail'])
    .where('batch_id', '=', id)
    .where('line', '>', afterLine)
    .orderBy('line')
    .limit(limit)
    .execute();
}

/**
 * Enqueues routing again for the sender's letters since `since` that are still unrouted: after a crash, the
 * routing jobs the dead worker had taken stay locked for hours. Routing is idempotent, so a letter whose job is
 * merely pending costs one skipped row.
 */
export async function rerouteUnrouted(db: Db, senderId: string, since: Date, chunkSize: number) {
  await sql`
    select graphile_worker.add_job('deliver-batch-chunk', json_build_object('messageIds', ids), max_attempts => 25)
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
    select graphile_worker.add_job('process-batch', json_build_object('batchId', b.id::text),
      run_at => greatest(now(), b.lease_until + interval '1 second'),
      job_key => 'batch:' || b.id::text, max_attempts => 10)
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
