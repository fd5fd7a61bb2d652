import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import type { Db } from '../../../db/database.ts';
import { inspectDocuments } from '../../../documents/inspect-documents.ts';
import type { ErrorCode } from '../../../http/errors.ts';
import { AppError } from '../../../http/problem.ts';
import { enqueue, enqueueMany } from '../../../jobs/queue.ts';
import { ChunkedImport, type ImportChunk } from '../../../kernel/chunked-import.ts';
import type { Services } from '../../../services.ts';
import { recordAudit } from '../../audit/index.ts';
import { scheduleWebhookDispatch } from '../../events/index.ts';
import { batchRetention } from '../retention-intake.ts';
import { routeMessage } from '../routing.ts';
import { memoBodyLimit } from '../send-memo.ts';
import { resolveChunkEscalations, storeChunkEscalations } from './batch-escalations.ts';
import type { BatchDocuments, ItemError, ParsedItem } from './batch-item.ts';
import { openBatchSource } from './batch-sources.ts';
import type { BatchConfig } from './batches.config.ts';
import {
  addBatchDocument,
  advanceBatch,
  batchDocuments,
  claimBatch,
  findRecipients,
  finishBatch,
  insertItemErrors,
  partResumeLines,
  releaseBatch,
  rerouteUnrouted,
  watchBatch,
} from './batches.repository.ts';
import { existingContentHashes, type InsertedMessage, insertMessages } from './insert-messages.ts';
import { isDataFailure, LINE_FAILED, lineFailedDetail } from './line-failure.ts';
import { type JobAttempt, parseEntry } from './parse-entry.ts';
import { batchActor } from './submit-batch.ts';

type Chunk = ImportChunk<ParsedItem, ItemError>;

class BatchStopped extends Error {}

/**
 * Job "process-batch": applies a spooled batch (NDJSON lines, tar entries of MeMo files, or CSV rows merged into
 * a template; see batch-sources.ts) in chunks. Items are read from the spool one at a time and split by
 * messageUuid into parts (so every copy of one letter lands in the same part; the engine is kernel/chunked-import.ts),
 * each applied on its own connection; each chunk is one transaction holding its messages,
 * documents, events, errors, one audit row and its part's resume line. Letters to enrolled recipients are routed
 * to the mailbox in that same transaction (with their new-mail notifications); the others (paper, closed) get one
 * deliver-batch-chunk job, and letters with a future doNotDeliverUntil a deliver-message job at that time. A
 * killed worker loses at most the chunks in flight: the next claim skips every item at or below its part's resume
 * line. The same messageUuid in a later run is a duplicate, never a second letter. Cancellation is seen at the
 * next chunk commit.
 */
export async function processBatch(
  services: Services,
  payload: { batchId: string },
  config: BatchConfig = services.config.batches,
  job?: JobAttempt,
): Promise<'completed' | 'stopped' | 'busy'> {
  const { db } = services;
  const owner = randomUUID();
  const batch = await claimBatch(db, payload.batchId, owner);
  if (!batch) {
    // Someone holds it: look again when their lease would run out, so the batch resumes if they died.
    await watchBatch(db, payload.batchId);
    const row = await db
      .selectFrom('batch')
      .select(['state', 'spool_path'])
      .where('id', '=', payload.batchId)
      .executeTakeFirst();
    // Cancelled before it started: nobody will read the spool again.
    if (row && row.state === 'cancelled') await rm(path.dirname(row.spool_path), { recursive: true, force: true });
    return 'busy';
  }
  const caller = {
    senderId: batch.sender_id,
    ...batchActor({ ...batch, apiKeyId: batch.api_key_id, staffUserId: batch.staff_user_id }),
  };
  // A vendor's system sent the batch for its sender: each letter records that system (identity/on-behalf.ts).
  const technical = batch.on_behalf ? batch.system_client_id : null;
  try {
    const resume = await partResumeLines(db, batch.id);
    const documents: BatchDocuments = { known: new Map(), recent: new Map() };
    for (const doc of await batchDocuments(db, batch.id)) {
      documents.known.set(doc.sha256.trim(), { mediaType: doc.media_type, size: Number(doc.size_bytes) });
    }
    const limits = {
      maxDocumentBytes: services.config.maxDocumentBytes,
      maxDocumentsPerMessage: services.config.maxDocumentsPerMessage,
      maxEntryBytes: memoBodyLimit(services.config),
    };

    const commit = async (chunk: Chunk) => {
      const items = chunk.items;
      const baseErrors: ItemError[] = [...chunk.failures];
      const recipients = await findRecipients(
        db,
        items.flatMap((i) => (i.identifier.cpr ? [i.identifier.cpr] : [])),
        items.flatMap((i) => (i.identifier.cvr ? [i.identifier.cvr] : [])),
      );
      const retention = await batchRetention(db, caller.senderId, items, services.config.retention.maxYears);
      // The first occurrence of a messageUuid in the chunk is the candidate; later ones are compared with it.
      const escalations = await resolveChunkEscalations(db, caller.senderId, items);
      const first = new Map<string, ParsedItem>();
      const repeats: ParsedItem[] = [];
      const candidates: Candidate[] = [];
      for (const item of items) {
        if (first.has(item.messageUuid)) {
          repeats.push(item);
          continue;
        }
        first.set(item.messageUuid, item);
        const key = (item.identifier.cpr ?? item.identifier.cvr) as string;
        const field = item.recipientField;
        const recipient = recipients.get(key);
        const refusedPlan = escalations.refused.get(item.messageUuid);
        const retentionError = retention.problem(item);
        if (refusedPlan) {
          baseErrors.push(itemError(item, refusedPlan.code, refusedPlan.field ?? null, refusedPlan.message));
        } else if (retentionError) {
          baseErrors.push(retentionError);
        } else if (!recipient) {
          baseErrors.push(itemError(item, 'unknown_recipient', field, 'No recipient with this number is registered.'));
        } else if (recipient.enrolment === 'closed') {
          baseErrors.push(itemError(item, 'recipient_closed', field, 'This recipient’s mailbox is closed.'));
        } else {
          const route = routeMessage({ ...recipient, messageType: item.messageType, mandatory: item.mandatory });
          // A test batch's letters are routed when due (deliver-batch-chunk → test-mode.ts), never into a mailbox.
          candidates.push({
            ...item,
            deleteAfter: retention.deleteAfter(item),
            recipientId: recipient.id,
            toMailbox: route === 'mailbox' && !batch.test,
          });
        }
      }
      // Two batches carrying the same letters (a re-submission while the original resumes) may deadlock; retry.
      const apply = (isolate: boolean) =>
        retryOnDeadlock(() =>
          db.transaction().execute(async (trx) => {
            const errors = [...baseErrors];
            const now = new Date();
            const refused: ItemError[] = [];
            const inserted = isolate
              ? await insertIsolating(trx, caller.senderId, candidates, now, refused, batch.test, technical)
              : await insertMessages(trx, caller.senderId, candidates, now, batch.test, technical);
            errors.push(...refused);
            await storeChunkEscalations(trx, inserted, escalations.plans);
            const refusedUuids = new Set(refused.map((e) => e.messageUuid));
            const others = [
              ...candidates.filter((c) => !inserted.has(c.messageUuid) && !refusedUuids.has(c.messageUuid)),
              ...repeats,
            ];
            const existing = await existingContentHashes(
              trx,
              caller.senderId,
              others.map((o) => o.messageUuid),
            );
            let duplicates = 0;
            for (const item of others) {
              const hash = existing.get(item.messageUuid) ?? first.get(item.messageUuid)?.contentHash;
              // A copy of a letter the database refused is not a duplicate of anything: it fails the same way.
              const firstRefused = refused.find((e) => e.messageUuid === item.messageUuid);
              if (firstRefused && !existing.has(item.messageUuid)) errors.push({ ...firstRefused, line: item.line });
              else if (hash === item.contentHash) duplicates++;
              else {
                errors.push(
                  itemError(
                    item,
                    'message_uuid_conflict',
                    '/messageUuid',
                    'A different letter was already sent with this messageUuid.',
                  ),
                );
              }
            }
            errors.sort((a, b) => a.line - b.line);
            await insertItemErrors(trx, batch.id, errors);
            const messageIds = [...inserted.values()].map((m) => m.id);
            // Enrolled recipients' letters were routed to the mailbox, notifications included, by the insert
            // itself; the rest (paper, NemSMS) go through the routing job.
            const due = [...inserted.values()].filter((m) => !m.scheduledFor && !m.available).map((m) => m.id);
            if (due.length > 0) await enqueue(trx, 'deliver-batch-chunk', { messageIds: due });
            // Letters waiting for doNotDeliverUntil are routed when due, each by the single-letter job.
            const scheduled = [...inserted.values()].filter((m) => m.scheduledFor);
            const jobs = scheduled.map((m) => ({ payload: { messageId: m.id }, options: { runAt: m.scheduledFor! } }));
            await enqueueMany(trx, 'deliver-message', jobs);
            if (messageIds.length > 0) await scheduleWebhookDispatch(trx, caller.senderId);
            // Last: the audit chain's lock and the batch row are then held only for the moment it takes.
            await recordAudit(trx, {
              actorKind: caller.actorKind,
              actorId: caller.actorId,
              action: 'batch.chunk',
              subjectType: 'batch',
              subjectId: batch.id,
              details: {
                part: chunk.part,
                toLine: chunk.lastLine,
                accepted: messageIds.length,
                duplicates,
                failed: errors.length,
              },
            });
            const advanced = await advanceBatch(trx, batch.id, owner, {
              part: chunk.part,
              resumeLine: chunk.lastLine,
              lines: items.length + chunk.failures.length,
              accepted: messageIds.length,
              duplicates,
              failed: errors.length,
            });
            if (!advanced) throw new BatchStopped('cancelled or taken over');
          }),
        );
      try {
        await apply(false);
      } catch (error) {
        // A line the database refuses would fail the chunk on every attempt: apply the chunk again, this time
        // with each line that fails isolated (the fast path above pays nothing for this).
        if (!isDataFailure(error)) throw error;
        await apply(true);
      }
    };

    const chunks = new ChunkedImport<ParsedItem, ItemError>(resume, config.chunkSize, commit);
    const source = await openBatchSource(batch.format, batch.spool_path, limits);
    const entries = source.entries();
    let line = 0;
    try {
      for await (const entry of entries) {
        line = entry.line;
        const part = await chunks.partFor(entry.key, line);
        if (part === null) continue;
        const chunk = chunks.chunk(part);
        const result = await parseEntry(source, entry, documents, job, (files) => inspectDocuments(services, files));
        if (result.ok) {
          // New bytes are stored durably (and named in the batch) before any letter that uses them commits.
          for (const doc of result.newDocuments) {
            await services.documents.put(doc.bytes);
            await addBatchDocument(db, batch.id, {
              sha256: doc.sha256,
              mediaType: doc.mediaType,
              size: doc.bytes.length,
            });
            documents.known.set(doc.sha256, { mediaType: doc.mediaType, size: doc.bytes.length });
          }
          chunk.items.push(result.item);
        } else chunk.failures.push(result.error);
        await chunks.added(part, line);
      }
      await chunks.finish(line);
    } finally {
      await entries.return(undefined);
      await chunks.settle();
    }
    await finishBatch(db, batch.id, owner, 'completed');
    if (batch.resumed) await rerouteUnrouted(db, batch.sender_id, batch.created_at, config.chunkSize);
    await rm(path.dirname(batch.spool_path), { recursive: true, force: true });
    return 'completed';
  } catch (error) {
    if (error instanceof BatchStopped) {
      const state = await db.selectFrom('batch').select('state').where('id', '=', batch.id).executeTakeFirst();
      if (state?.state === 'cancelled') await rm(path.dirname(batch.spool_path), { recursive: true, force: true });
      return 'stopped';
    }
    if ((error as { code?: string }).code === 'ENOENT') {
      await finishBatch(db, batch.id, owner, 'failed', 'spool_missing');
      return 'stopped';
    }
    if (error instanceof AppError) {
      // The spool itself cannot be read past this point (e.g. a line end refused since it was spooled): final.
      job?.log?.(`batch ${batch.id}: the spooled batch cannot be read (${error.code}); failed`);
      await finishBatch(db, batch.id, owner, 'failed', 'spool_unreadable');
      await rm(path.dirname(batch.spool_path), { recursive: true, force: true });
      return 'stopped';
    }
    if (job && job.attempts >= job.maxAttempts) {
      // graphile-worker will not run this job again: say so in the batch rather than leave it "processing".
      // The error is still thrown, so the job's last error and the worker's log name it.
      if (await finishBatch(db, batch.id, owner, 'failed', 'processing_failed')) {
        await rm(path.dirname(batch.spool_path), { recursive: true, force: true });
      }
      throw error;
    }
    await releaseBatch(db, batch.id, owner);
    throw error;
  }
}

async function retryOnDeadlock<T>(work: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt >= attempts || (code !== '40P01' && code !== '40001')) throw error;
    }
  }
}

type Candidate = ParsedItem & { recipientId: string; toMailbox: boolean };

/**
 * insertMessages with every item the database refuses isolated: the items are tried together under a savepoint,
 * and if the database refuses them for their data, in halves, down to the single item, which is left out and
 * reported in `refused` (line_failed, with a reason that names no table and quotes no value). k bad items among n
 * cost about 2·k·log2(n) statements; all within the caller's transaction, so the chunk still commits as one.
 */
async function insertIsolating(
  trx: Db,
  senderId: string,
  items: readonly Candidate[],
  now: Date,
  refused: ItemError[],
  test: boolean,
  technical: string | null,
): Promise<Map<string, InsertedMessage>> {
  if (items.length === 0) return new Map();
  await sql`savepoint isolate_items`.execute(trx);
  try {
    const inserted = await insertMessages(trx, senderId, items, now, test, technical);
    await sql`release savepoint isolate_items`.execute(trx);
    return inserted;
  } catch (error) {
    if (!isDataFailure(error)) throw error;
    await sql`rollback to savepoint isolate_items`.execute(trx);
    await sql`release savepoint isolate_items`.execute(trx);
    if (items.length === 1) {
      refused.push(itemError(items[0] as Candidate, LINE_FAILED, null, lineFailedDetail(error)));
      return new Map();
    }
    const half = Math.ceil(items.length / 2);
    const head = await insertIsolating(trx, senderId, items.slice(0, half), now, refused, test, technical);
    const tail = await insertIsolating(trx, senderId, items.slice(half), now, refused, test, technical);
    return new Map([...head, ...tail]);
  }
}

const itemError = (item: ParsedItem, code: ErrorCode, field: string | null, detail: string): ItemError => ({
  line: item.line,
  entry: item.entry,
  messageUuid: item.messageUuid,
  code,
  field,
  detail,
});
