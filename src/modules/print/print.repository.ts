import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { ReturnReason } from './print.tables.ts';

/** Everything the print PDF shows of one letter (never the CPR number). */
export async function findPrintLetter(db: Db, messageId: string) {
  const row = await db
    .selectFrom('message')
    .innerJoin('recipient', 'recipient.id', 'message.recipient_id')
    .innerJoin('sender', 'sender.id', 'message.sender_id')
    .select([
      'message.id',
      'message.label',
      'message.received_at',
      'sender.name as sender_name',
      'recipient.name as recipient_name',
      'recipient.address_lines',
      'recipient.postcode',
      'recipient.city',
    ])
    .where('message.id', '=', messageId)
    .executeTakeFirst();
  if (!row) return null;
  const documents = await db
    .selectFrom('message_document')
    .select(['title', 'media_type', 'sha256'])
    .where('message_id', '=', messageId)
    // MeMo technical documents are for the recipient's systems, not for reading: they are not printed.
    .where('role', '<>', 'technical')
    .orderBy('position')
    .execute();
  return {
    label: row.label,
    receivedAt: row.received_at,
    senderName: row.sender_name,
    recipient: {
      name: row.recipient_name,
      addressLines: row.address_lines ?? [],
      postcode: row.postcode,
      city: row.city,
    },
    documents: documents.map((d) => ({ title: d.title, mediaType: d.media_type, sha256: d.sha256 })),
  };
}

/** Adds a letter to the print queue; false if it was already there. */
export async function insertPrintJob(db: Db, message: { id: string; sender_id: string }, at: Date): Promise<boolean> {
  const inserted = await db
    .insertInto('print_job')
    .values({ message_id: message.id, sender_id: message.sender_id, queued_at: at })
    .onConflict((oc) => oc.column('message_id').doNothing())
    .returning('message_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Letters recalled while queued are not printed. (Once batched, they are with the print provider.) */
export async function cancelRecalledPrintJobs(db: Db): Promise<void> {
  await db
    .updateTable('print_job')
    .set({ state: 'cancelled' })
    .where('state', '=', 'queued')
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('message')
          .select('message.id')
          .whereRef('message.id', '=', 'print_job.message_id')
          .where('message.status', '=', 'recalled'),
      ),
    )
    .execute();
}

export async function oldestQueuedPrintJobs(db: Db, limit: number) {
  return db
    .selectFrom('print_job')
    .select(['message_id', 'sender_id'])
    .where('state', '=', 'queued')
    .orderBy('queued_at')
    .orderBy('message_id')
    .limit(limit)
    .execute();
}

export interface BatchedLetter {
  messageId: string;
  pages: number;
  sha256: string;
}

/** Moves queued letters into a batch; returns how many were still queued (all of them, unless someone raced us). */
export async function markBatched(db: Db, batchId: string, letters: BatchedLetter[], at: Date): Promise<number> {
  const result = await sql`
    update print_job p
       set state = 'batched', batch_id = ${batchId}::uuid, batched_at = ${at}, pages = v.pages, sha256 = v.sha256
      from unnest(${letters.map((l) => l.messageId)}::uuid[], ${letters.map((l) => l.pages)}::int[],
                  ${letters.map((l) => l.sha256)}::text[]) as v (message_id, pages, sha256)
     where p.message_id = v.message_id and p.state = 'queued'
  `.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Updates a batched letter's file facts after its PDF was rendered again. */
export async function updateBatchedLetter(db: Db, letter: BatchedLetter): Promise<void> {
  await db
    .updateTable('print_job')
    .set({ pages: letter.pages, sha256: letter.sha256 })
    .where('message_id', '=', letter.messageId)
    .execute();
}

/** Marks a queued letter as unprintable; returns it (for its event) or undefined if it was no longer queued. */
export async function markPrintFailed(db: Db, messageId: string, reason: string) {
  return db
    .updateTable('print_job')
    .set({ state: 'failed', failed_reason: reason })
    .where('message_id', '=', messageId)
    .where('state', '=', 'queued')
    .returning(['message_id as id', 'sender_id'])
    .executeTakeFirst();
}

export async function insertPrintBatch(db: Db, batch: { id: string; createdAt: Date; letters: number; pages: number }) {
  await db
    .insertInto('print_batch')
    .values({ id: batch.id, created_at: batch.createdAt, letters: batch.letters, pages: batch.pages })
    .execute();
}

/** Batches committed whose folder may not have reached the outbox (a crash between commit and rename). */
export async function buildingPrintBatches(db: Db) {
  return db.selectFrom('print_batch').select(['id', 'created_at']).where('state', '=', 'building').execute();
}

export async function printBatchLetters(db: Db, batchId: string) {
  return db
    .selectFrom('print_job')
    .select(['message_id', 'sender_id', 'state'])
    .where('batch_id', '=', batchId)
    .orderBy('queued_at')
    .orderBy('message_id')
    .execute();
}

export async function markPrintBatchReady(db: Db, batchId: string, pages?: number): Promise<void> {
  await db
    .updateTable('print_batch')
    .set({ state: 'ready', ready_at: new Date(), ...(pages === undefined ? {} : { pages }) })
    .where('id', '=', batchId)
    .where('state', '=', 'building')
    .execute();
}

export async function lockPrintBatch(db: Db, batchId: string) {
  return db.selectFrom('print_batch').selectAll().where('id', '=', batchId).forUpdate().executeTakeFirst();
}

/** Marks a batch's letters sent; returns only those that were not sent already. */
export async function markBatchLettersSent(db: Db, batchId: string, at: Date) {
  return db
    .updateTable('print_job')
    .set({ state: 'sent', sent_at: at })
    .where('batch_id', '=', batchId)
    .where('state', '=', 'batched')
    .returning(['message_id as id', 'sender_id'])
    .execute();
}

export async function markPrintBatchConfirmed(db: Db, batchId: string, at: Date): Promise<void> {
  await db
    .updateTable('print_batch')
    .set({ state: 'confirmed', confirmed_at: at })
    .where('id', '=', batchId)
    .where('state', '=', 'ready')
    .execute();
}

export async function listPrintBatches(db: Db, state: 'ready' | 'confirmed', limit: number) {
  return db
    .selectFrom('print_batch')
    .selectAll()
    .where('state', '=', state)
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** The print jobs of these letters, locked, with their recipients (for a return report). */
export async function lockPrintJobsForReturn(db: Db, messageIds: string[]) {
  if (messageIds.length === 0) return [];
  return db
    .selectFrom('print_job')
    .innerJoin('message', 'message.id', 'print_job.message_id')
    .select([
      'print_job.message_id',
      'print_job.sender_id',
      'print_job.state',
      'print_job.returned_at',
      'message.recipient_id',
    ])
    .where('print_job.message_id', 'in', messageIds)
    .forUpdate('print_job')
    .execute();
}

/** Records that the post brought a posted letter back; false if it was recorded before. */
export async function markPrintReturned(
  db: Db,
  messageId: string,
  returned: { at: Date; reason: ReturnReason },
): Promise<boolean> {
  const row = await db
    .updateTable('print_job')
    .set({ returned_at: returned.at, return_reason: returned.reason })
    .where('message_id', '=', messageId)
    .where('state', '=', 'sent')
    .where('returned_at', 'is', null)
    .returning('message_id')
    .executeTakeFirst();
  return row !== undefined;
}
