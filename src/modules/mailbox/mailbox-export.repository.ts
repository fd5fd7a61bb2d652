import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { MailboxExportState } from './mailbox.tables.ts';

/** An export as the page and the job see it. */
export interface MailboxExportRow {
  id: string;
  mailboxId: string;
  requestedBy: string;
  lang: 'da' | 'en';
  state: MailboxExportState;
  lettersDone: number;
  lettersTotal: number | null;
  fileName: string | null;
  sizeBytes: number | null;
  createdAt: Date;
  readyAt: Date | null;
  expiresAt: Date | null;
}

const columns = sql`id, mailbox_id as "mailboxId", requested_by as "requestedBy", lang, state,
  letters_done as "lettersDone", letters_total as "lettersTotal", file_name as "fileName",
  size_bytes::float8 as "sizeBytes", created_at as "createdAt", ready_at as "readyAt", expires_at as "expiresAt"`;

/** Queues a new export; the partial unique index refuses a second queued or running one for the mailbox (23505). */
export async function insertExport(
  trx: Db,
  values: { mailboxId: string; requestedBy: string; lang: 'da' | 'en' },
): Promise<MailboxExportRow> {
  const { rows } = await sql<MailboxExportRow>`
    insert into mailbox_export (mailbox_id, requested_by, lang)
    values (${values.mailboxId}, ${values.requestedBy}, ${values.lang})
    returning ${columns}
  `.execute(trx);
  return rows[0] as MailboxExportRow;
}

/** The mailbox's exports, newest first (the page shows the latest few). */
export async function listExports(db: Db, mailboxId: string, limit: number): Promise<MailboxExportRow[]> {
  const { rows } = await sql<MailboxExportRow>`
    select ${columns} from mailbox_export where mailbox_id = ${mailboxId}
     order by created_at desc, id limit ${limit}
  `.execute(db);
  return rows;
}

export async function findExport(db: Db, id: string): Promise<MailboxExportRow | null> {
  const { rows } = await sql<MailboxExportRow>`select ${columns} from mailbox_export where id = ${id}`.execute(db);
  return rows[0] ?? null;
}

/**
 * Starts (or, after a crash, starts over) building an export: running, progress back to 0 of `total`. Null when the
 * export is no longer queued or running (it failed, was built already or expired): the job then has nothing to do.
 */
export async function startExport(db: Db, id: string, total: number): Promise<MailboxExportRow | null> {
  const { rows } = await sql<MailboxExportRow>`
    update mailbox_export
       set state = 'running', started_at = now(), letters_done = 0, letters_total = ${total}
     where id = ${id} and state in ('queued', 'running')
    returning ${columns}
  `.execute(db);
  return rows[0] ?? null;
}

export async function setExportProgress(db: Db, id: string, done: number): Promise<void> {
  await sql`update mailbox_export set letters_done = ${done} where id = ${id} and state = 'running'`.execute(db);
}

/** Marks a running export ready: its file, size and expiry (`keepDays` after now). False if it was not running. */
export async function markExportReady(
  trx: Db,
  id: string,
  file: { name: string; sizeBytes: number; letters: number },
  keepDays: number,
): Promise<boolean> {
  const result = await sql`
    update mailbox_export
       set state = 'ready', file_name = ${file.name}, size_bytes = ${file.sizeBytes}, letters_done = ${file.letters},
           letters_total = ${file.letters}, ready_at = now(), expires_at = now() + make_interval(days => ${keepDays})
     where id = ${id} and state = 'running'
  `.execute(trx);
  return Number(result.numAffectedRows ?? 0) === 1;
}

export async function markExportFailed(db: Db, id: string, error: string): Promise<void> {
  await sql`
    update mailbox_export set state = 'failed', error = ${error.slice(0, 500)}
     where id = ${id} and state in ('queued', 'running')
  `.execute(db);
}

/** Ready exports whose time is up, marked expired; returns their files (to delete after the commit). */
export async function expireDueExports(
  db: Db,
  now: Date,
): Promise<{ id: string; mailboxId: string; fileName: string }[]> {
  const { rows } = await sql<{ id: string; mailboxId: string; fileName: string }>`
    with due as (
      select id, file_name from mailbox_export where state = 'ready' and expires_at <= ${now} for update skip locked
    )
    update mailbox_export e set state = 'expired', file_name = null
      from due where e.id = due.id
    returning e.id, e.mailbox_id as "mailboxId", due.file_name as "fileName"
  `.execute(db);
  return rows;
}

/** Which of these export ids are still being built or ready (their files must stay). */
export async function liveExportFiles(db: Db): Promise<{ building: Set<string>; ready: Set<string> }> {
  const { rows } = await sql<{ id: string; state: MailboxExportState; fileName: string | null }>`
    select id, state, file_name as "fileName" from mailbox_export where state in ('queued', 'running', 'ready')
  `.execute(db);
  return {
    building: new Set(rows.filter((r) => r.state !== 'ready').map((r) => r.id)),
    ready: new Set(rows.flatMap((r) => (r.state === 'ready' && r.fileName ? [r.fileName] : []))),
  };
}

/** One letter of the mailbox as the export lists it. */
export interface ExportLetterRow {
  id: string;
  label: string;
  senderName: string;
  senderReference: string | null;
  receivedAt: Date;
  availableAt: Date;
  firstReadAt: Date | null;
  legalNotification: boolean;
  itemUnread: boolean | null;
  folder: 'inbox' | 'archive' | 'trash' | 'user' | null;
  folderName: string | null;
}

/** The letters an export holds: every letter the mailbox shows (delivered, not recalled, not deleted for good). */
export async function countExportLetters(db: Db, mailboxId: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from message m
      left join mailbox_item mi on mi.message_id = m.id
     where m.recipient_id = ${mailboxId} and m.available_at is not null and m.recalled_at is null
       and (mi.folder is null or mi.folder <> 'deleted')
  `.execute(db);
  return rows[0]?.n ?? 0;
}

/**
 * A keyset page of the mailbox's letters, newest first (the inbox index's order: message_recipient_inbox), after
 * the letter `after` (its available_at and id).
 */
export async function exportLetterPage(
  db: Db,
  mailboxId: string,
  after: { availableAt: Date; id: string } | null,
  limit: number,
): Promise<ExportLetterRow[]> {
  const keyset = after
    ? sql`and (m.available_at < ${after.availableAt} or (m.available_at = ${after.availableAt} and m.id > ${after.id}))`
    : sql``;
  const { rows } = await sql<ExportLetterRow>`
    select m.id, m.label, s.name as "senderName", m.sender_reference as "senderReference",
           m.received_at as "receivedAt", m.available_at as "availableAt", m.first_read_at as "firstReadAt",
           m.legal_notification as "legalNotification", mi.unread as "itemUnread", mi.folder, f.name as "folderName"
      from message m
      join sender s on s.id = m.sender_id
      left join mailbox_item mi on mi.message_id = m.id
      left join mailbox_folder f on f.id = mi.folder_id
     where m.recipient_id = ${mailboxId} and m.available_at is not null and m.recalled_at is null
       and (mi.folder is null or mi.folder <> 'deleted')
       ${keyset}
     order by m.available_at desc, m.id asc
     limit ${limit}
  `.execute(db);
  return rows;
}

/** One document of a letter in the export (technical documents are not the letter's content and are left out). */
export interface ExportDocumentRow {
  messageId: string;
  position: number;
  title: string;
  filename: string;
  mediaType: string;
  sha256: string;
  sizeBytes: number;
}

export async function exportDocuments(db: Db, messageIds: readonly string[]): Promise<ExportDocumentRow[]> {
  if (messageIds.length === 0) return [];
  const { rows } = await sql<ExportDocumentRow>`
    select message_id as "messageId", position, title, filename, media_type as "mediaType", sha256,
           size_bytes::float8 as "sizeBytes"
      from message_document
     where message_id = any(${[...messageIds]}::uuid[]) and role <> 'technical'
     order by message_id, position
  `.execute(db);
  return rows;
}

/** The mailbox's owner, for the export's heading and its activity log. */
export async function findExportOwner(
  db: Db,
  mailboxId: string,
): Promise<{ id: string; name: string; kind: 'person' | 'business' } | null> {
  return (
    (await db.selectFrom('recipient').select(['id', 'name', 'kind']).where('id', '=', mailboxId).executeTakeFirst()) ??
    null
  );
}
