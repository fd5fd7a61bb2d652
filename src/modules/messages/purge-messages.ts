import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { purgeMessageEvents, recordMessageEvents } from '../events/index.ts';
import type { TombstoneReason } from './messages.tables.ts';

/**
 * Deleting letters for good (issue 18), the messages module's part: called by the purge (mailbox/purge-letters.ts)
 * inside its transaction, one bounded batch at a time, so a crash leaves each batch wholly done or not at all.
 */

/** Letters whose own retention has passed (message.delete_after), oldest first. */
export async function lettersDueByRetention(db: Db, now: Date, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('message')
    .select('id')
    .where('delete_after', '<=', now)
    .orderBy('delete_after')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** Some letters of a mailbox (any state: received, available, recalled, copies forwarded into it). */
export async function lettersOfMailbox(db: Db, mailboxId: string, limit: number): Promise<string[]> {
  const rows = await db.selectFrom('message').select('id').where('recipient_id', '=', mailboxId).limit(limit).execute();
  return rows.map((r) => r.id);
}

export interface PurgedMessages {
  /** Letters deleted. */
  messages: number;
  /** Stored event rows deleted (each may hold up to three events). */
  events: number;
  /** Documents no letter, batch or inbound message names any longer: their rows are gone, their files may go. */
  freedDocuments: string[];
  /** Mailbox and sender of each letter deleted, for the mailbox's own clean-up of its search data. */
  letters: { id: string; recipientId: string; senderId: string }[];
}

/**
 * Deletes these letters in the caller's transaction: a tombstone for each letter a sender sent (ids, sender, dates,
 * why; copies forwarded by recipients leave none), their events (the log has no foreign key), then the rows, whose
 * documents, actions, mailbox items, search rows, inbox-API rows, notification options, follow-ups and print jobs go
 * with them (foreign keys on delete cascade). A DELETED event in the sender's feed tells of each tombstone. Document
 * rows no other letter, batch or inbound message names are deleted too (their extracted search text cascades); the
 * caller removes their files after commit. Letters already gone (another run) are passed over.
 */
export async function purgeMessages(
  trx: Db,
  ids: readonly string[],
  reason: TombstoneReason,
  now: Date,
): Promise<PurgedMessages> {
  if (ids.length === 0) return { messages: 0, events: 0, freedDocuments: [], letters: [] };
  const locked = await sql<{
    id: string;
    sender_id: string;
    recipient_id: string;
    message_uuid: string;
    forwarded_from: string | null;
  }>`
    select id, sender_id, recipient_id, message_uuid, forwarded_from from message
    where id = any(${ids}::uuid[]) order by id for update
  `.execute(trx);
  const letters = locked.rows;
  if (letters.length === 0) return { messages: 0, events: 0, freedDocuments: [], letters: [] };
  const letterIds = letters.map((l) => l.id);
  const shas = (
    await sql<{ sha256: string }>`
      select distinct sha256 from message_document where message_id = any(${letterIds}::uuid[])
    `.execute(trx)
  ).rows.map((r) => r.sha256);

  await sql`
    insert into message_tombstone (message_id, sender_id, message_uuid, received_at, available_at, deleted_at, reason)
    select id, sender_id, message_uuid, received_at, available_at, ${now}::timestamptz, ${reason}
    from message where id = any(${letterIds}::uuid[]) and forwarded_from is null
    on conflict do nothing
  `.execute(trx);
  const events = await purgeMessageEvents(trx, letterIds);
  await sql`delete from message where id = any(${letterIds}::uuid[])`.execute(trx);
  // The sender's feed tells of the deletion (after the purge of the letter's events, so this one stays).
  await recordMessageEvents(
    trx,
    letters
      .filter((l) => l.forwarded_from === null)
      .map((l) => ({
        messageId: l.id,
        senderId: l.sender_id,
        type: 'DELETED',
        occurredAt: now,
        data: { reason, messageUuid: l.message_uuid },
      })),
  );
  const freedDocuments = await deleteUnusedDocuments(trx, shas);
  return {
    messages: letters.length,
    events,
    freedDocuments,
    letters: letters.map((l) => ({ id: l.id, recipientId: l.recipient_id, senderId: l.sender_id })),
  };
}

/**
 * Deletes the document rows of these hashes that nothing names any longer. The rows are locked first, so a letter
 * being stored with the same bytes (its message_document holds a key-share lock on the row) is waited for and then
 * seen; one stored after this commits inserts the row again (insert … on conflict do nothing) after putting the file.
 * Inbound attachments (correspondence) and batch documents name documents too: such a document stays.
 */
async function deleteUnusedDocuments(trx: Db, shas: readonly string[]): Promise<string[]> {
  if (shas.length === 0) return [];
  await sql`select sha256 from document where sha256 = any(${shas}::bpchar[]) order by sha256 for update`.execute(trx);
  const deleted = await sql<{ sha256: string }>`
    delete from document d
    where d.sha256 = any(${shas}::bpchar[])
      and not exists (select 1 from message_document md where md.sha256 = d.sha256)
      and not exists (select 1 from batch_document bd where bd.sha256 = d.sha256)
      and not exists (select 1 from inbound_attachment ia where ia.sha256 = d.sha256)
    returning d.sha256
  `.execute(trx);
  return deleted.rows.map((r) => r.sha256.trim());
}

/** What is left of a sender's purged letter (its tombstone), or null. */
export async function findTombstone(db: Db, senderId: string, messageId: string) {
  return (
    (await db
      .selectFrom('message_tombstone')
      .selectAll()
      .where('sender_id', '=', senderId)
      .where('message_id', '=', messageId)
      .executeTakeFirst()) ?? null
  );
}
