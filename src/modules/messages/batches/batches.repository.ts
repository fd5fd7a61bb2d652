import { sql } from 'kysely';
import type { Db } from '../../../db/database.ts';
import type { BatchTable } from '../../../db/schema.ts';
import { enqueueSql } from '../../../jobs/queue.ts';
import type { ItemError } from './batch-item.ts';

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
