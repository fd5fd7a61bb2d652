import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Services } from '../../services.ts';
import { recordAudit } from '../audit/index.ts';
import { lettersDueByRetention, lettersOfMailbox, type PurgedMessages, purgeMessages } from '../messages/index.ts';
import { closedMailboxesDue, markMailboxPurged } from '../registry/index.ts';

/**
 * The retention purge (issue 18): deletes letters for good when their time is up, in bounded batches of
 * config.retention.purgeBatch letters, one transaction each (a crash mid-batch undoes that batch; the next run does it
 * again). Three reasons, in this order:
 * - `retention`: the letter's delete_after (the sender's deleteAfter or default) has passed;
 * - `owner_deleted`: its owner deleted it for good (folder `deleted`, hidden at once) more than
 *   config.retention.ownerDeletedDays ago;
 * - `mailbox_closed`: its mailbox was closed (death, a ceased company) and the mailbox's delete_after has passed; once
 *   a closed mailbox has no letters left it is marked purged (recipient.purged_at).
 * Each batch: the messages module's purgeMessages (tombstones, events, rows, unused document rows), this module's
 * search senders of the mailboxes concerned, and one audit row with the counts. After the commit the files of freed
 * documents are removed, unless put again within the orphan grace period (a new letter about to name them); a crash
 * before that leaves files no row names, which the orphan sweeper (documents/sweep-documents.ts) removes later.
 */
export interface PurgeResult {
  messages: number;
  events: number;
  documents: number;
  files: number;
  mailboxes: number;
  /** True when the run stopped at its batch limit with letters still due. */
  more: boolean;
}

export interface PurgeOptions {
  now?: Date;
  /** The most batches in one run (default 20); the job queues the next run when there is more. */
  maxBatches?: number;
}

export async function purgeDueLetters(
  services: Pick<Services, 'db' | 'documents' | 'config'>,
  options: PurgeOptions = {},
): Promise<PurgeResult> {
  const { db, config } = services;
  const now = options.now ?? new Date();
  const size = config.retention.purgeBatch;
  let batches = options.maxBatches ?? 20;
  const total: PurgeResult = { messages: 0, events: 0, documents: 0, files: 0, mailboxes: 0, more: false };

  const runBatch = async (ids: string[], reason: 'retention' | 'owner_deleted' | 'mailbox_closed') => {
    batches--;
    const purged = await db.transaction().execute(async (trx) => {
      const result = await purgeMessages(trx, ids, reason, now);
      await forgetSearchSenders(trx, result);
      if (result.messages > 0) {
        await recordAudit(trx, {
          actorKind: 'system',
          actorId: 'retention',
          action: 'message.purge',
          subjectType: 'retention',
          subjectId: reason,
          details: {
            reason,
            messages: result.messages,
            events: result.events,
            documents: result.freedDocuments.length,
          },
        });
      }
      return result;
    });
    total.messages += purged.messages;
    total.events += purged.events;
    total.documents += purged.freedDocuments.length;
    total.files += await removeFreedFiles(services, purged.freedDocuments, now);
  };

  const ownerCutoff = new Date(now.getTime() - config.retention.ownerDeletedDays * 86_400_000);
  const sources: { reason: 'retention' | 'owner_deleted'; due: () => Promise<string[]> }[] = [
    { reason: 'retention', due: () => lettersDueByRetention(db, now, size) },
    { reason: 'owner_deleted', due: () => lettersDeletedByOwner(db, ownerCutoff, size) },
  ];
  for (const source of sources) {
    for (let ids = await source.due(); ids.length > 0; ids = await source.due()) {
      if (batches <= 0) return { ...total, more: true };
      await runBatch(ids, source.reason);
    }
  }
  for (const mailboxId of await closedMailboxesDue(db, now, 100)) {
    for (let ids = await lettersOfMailbox(db, mailboxId, size); ids.length > 0; ) {
      if (batches <= 0) return { ...total, more: true };
      await runBatch(ids, 'mailbox_closed');
      ids = await lettersOfMailbox(db, mailboxId, size);
    }
    const marked = await db.transaction().execute(async (trx) => {
      if (!(await markMailboxPurged(trx, mailboxId, now))) return false;
      await sql`delete from mailbox_sender where mailbox_id = ${mailboxId}`.execute(trx);
      await recordAudit(trx, {
        actorKind: 'system',
        actorId: 'retention',
        action: 'mailbox.purge',
        subjectType: 'mailbox',
        subjectId: mailboxId,
        mailboxRecipientId: mailboxId,
        details: { reason: 'mailbox_closed' },
      });
      return true;
    });
    if (marked) total.mailboxes++;
  }
  return total;
}

/** Letters their owner deleted for good before `cutoff`. */
async function lettersDeletedByOwner(db: Db, cutoff: Date, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('mailbox_item')
    .select('message_id')
    .where('folder', '=', 'deleted')
    .where('updated_at', '<', cutoff)
    .orderBy('updated_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.message_id);
}

/** The search's sender filter (mailbox_sender) forgets a sender once none of its letters is left in a mailbox. */
async function forgetSearchSenders(trx: Db, purged: PurgedMessages): Promise<void> {
  if (purged.letters.length === 0) return;
  const pairs = [...new Set(purged.letters.map((l) => `${l.recipientId} ${l.senderId}`))].map((p) => p.split(' '));
  await sql`
    delete from mailbox_sender s
    using unnest(${pairs.map((p) => p[0])}::uuid[], ${pairs.map((p) => p[1])}::uuid[]) as t(mailbox_id, sender_id)
    where s.mailbox_id = t.mailbox_id and s.sender_id = t.sender_id
      and not exists (select 1 from mailbox_search ms where ms.mailbox_id = t.mailbox_id and ms.sender_id = t.sender_id)
  `.execute(trx);
}

/**
 * Removes the files of documents the purge freed, after its commit. A file put again within the orphan grace period
 * may belong to a letter being stored right now (it puts the file before its transaction inserts the row again), so it
 * stays; the orphan sweeper removes it later if no row names it by then.
 */
async function removeFreedFiles(
  services: Pick<Services, 'db' | 'documents' | 'config'>,
  shas: readonly string[],
  now: Date,
): Promise<number> {
  if (shas.length === 0) return 0;
  const cutoff = new Date(now.getTime() - services.config.documents.orphanGraceHours * 3_600_000);
  const named = new Set(
    (
      await sql<{ sha256: string }>`select sha256 from document where sha256 = any(${shas}::bpchar[])`.execute(
        services.db,
      )
    ).rows.map((r) => r.sha256.trim()),
  );
  let removed = 0;
  for (const sha of shas) {
    if (!named.has(sha) && (await services.documents.removeIfPutBefore(sha, cutoff))) removed++;
  }
  return removed;
}
