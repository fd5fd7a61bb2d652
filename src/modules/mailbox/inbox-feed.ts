import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { AppError } from '../../http/problem.ts';
import { isUuid } from './list-inbox.ts';

/** A letter as the inbox API shows it: never its content, which is fetched document by document. */
export interface InboxLetter {
  id: string;
  sender: { name: string; cvr: string | null };
  subject: string;
  availableAt: string;
  senderReference: string | null;
  legalNotification: boolean;
  documents: { id: number; name: string; title: string; mediaType: string; size: number; sha256: string }[];
  folder: { kind: 'inbox' | 'archive' | 'trash' | 'user'; id: string | null; name: string | null };
  /** Opened (in the web mailbox or through the API) and not marked unread since. */
  read: boolean;
  acknowledged: boolean;
  acknowledgedAt: string | null;
}

export interface InboxPage {
  letters: InboxLetter[];
  /** Pass as `cursor` to get what comes next; unchanged when there was nothing new. */
  cursor: string;
  hasMore: boolean;
}

/** A position in the inbox order: the delivering transaction and the sequence taken at its commit. */
export interface InboxPosition {
  txId: string;
  seq: string;
}

const START: InboxPosition = { txId: '0', seq: '0' };

export function decodeInboxCursor(cursor: string | undefined): InboxPosition {
  if (!cursor) return START;
  const match = /^i(\d{1,20})\.(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString('latin1'));
  if (!match) throw new AppError(400, 'invalid_cursor', 'The cursor is not one this list handed out.', 'cursor');
  return { txId: match[1] as string, seq: match[2] as string };
}

export const encodeInboxCursor = (p: InboxPosition) =>
  Buffer.from(`i${p.txId}.${p.seq}`, 'latin1').toString('base64url');

/** Which folder to list: a system folder by kind, a user folder by id. */
export type InboxFolderFilter = { kind: 'inbox' | 'archive' | 'trash' } | { kind: 'user'; id: string };

/** The `folder` parameter: inbox, archive, trash or a folder id of the mailbox (else 422 with the field). */
export async function parseFolderFilter(
  db: Db,
  mailboxId: string,
  folder: string | undefined,
): Promise<InboxFolderFilter | null> {
  if (folder === undefined || folder === '') return null;
  if (folder === 'inbox' || folder === 'archive' || folder === 'trash') return { kind: folder };
  const found = isUuid(folder)
    ? await db
        .selectFrom('mailbox_folder')
        .select('id')
        .where('id', '=', folder.toLowerCase())
        .where('mailbox_id', '=', mailboxId)
        .executeTakeFirst()
    : undefined;
  if (!found) throw new AppError(422, 'unknown_folder', 'There is no such folder in this mailbox.', 'folder');
  return { kind: 'user', id: found.id };
}

function folderCondition(filter: InboxFolderFilter | null): RawBuilder<unknown> {
  if (!filter) return sql`true`;
  if (filter.kind === 'inbox') return sql`(mi.folder is null or mi.folder = 'inbox')`;
  if (filter.kind === 'user') return sql`mi.folder = 'user' and mi.folder_id = ${filter.id}`;
  return sql`mi.folder = ${filter.kind}`;
}

type Row = {
  tx_id: string;
  seq: string;
  id: string;
  label: string;
  available_at: Date;
  sender_reference: string | null;
  legal_notification: boolean;
  first_read_at: Date | null;
  sender_name: string;
  sender_cvr: string | null;
  acknowledged_at: Date | null;
  folder: 'inbox' | 'archive' | 'trash' | 'user' | null;
  folder_id: string | null;
  folder_name: string | null;
  unread: boolean | null;
  documents: { id: number; name: string; title: string; mediaType: string; size: number; sha256: string }[];
};

/**
 * The inbox API's letters of one mailbox: reached it, not recalled, not deleted for good. `where` narrows them
 * (a page of the order, or one letter). Documents leave out the technical ones, as the web mailbox does.
 */
function selectLetters(db: Db, mailboxId: string, where: RawBuilder<unknown>, limit: number) {
  return sql<Row>`
    select il.tx_id::text as tx_id, il.seq::text as seq, m.id, m.label, m.available_at, m.sender_reference,
           m.legal_notification, m.first_read_at, s.name as sender_name, s.cvr as sender_cvr, il.acknowledged_at,
           mi.folder, mi.folder_id, f.name as folder_name, mi.unread,
           coalesce((
             select json_agg(json_build_object('id', d.position, 'name', d.filename, 'title', d.title,
                                               'mediaType', d.media_type, 'size', d.size_bytes, 'sha256', d.sha256)
                             order by d.position)
             from message_document d where d.message_id = m.id and d.role <> 'technical'), '[]') as documents
    from inbox_letter il
    join message m on m.id = il.message_id
    join sender s on s.id = m.sender_id
    left join mailbox_item mi on mi.message_id = m.id
    left join mailbox_folder f on f.id = mi.folder_id
    where il.mailbox_id = ${mailboxId} and m.recalled_at is null and (mi.folder is null or mi.folder <> 'deleted')
      and ${where}
    order by il.tx_id, il.seq
    limit ${limit}`.execute(db);
}

const present = (r: Row): InboxLetter => ({
  id: r.id,
  sender: { name: r.sender_name, cvr: r.sender_cvr },
  subject: r.label,
  availableAt: new Date(r.available_at).toISOString(),
  senderReference: r.sender_reference,
  legalNotification: r.legal_notification,
  documents: r.documents.map((d) => ({ ...d, size: Number(d.size) })),
  folder: {
    kind: r.folder ?? 'inbox',
    id: r.folder === 'user' ? r.folder_id : null,
    name: r.folder === 'user' ? r.folder_name : null,
  },
  read: r.first_read_at !== null && r.unread !== true,
  acknowledged: r.acknowledged_at !== null,
  acknowledgedAt: r.acknowledged_at ? new Date(r.acknowledged_at).toISOString() : null,
});

/**
 * A page of a mailbox's letters in delivery order after a position. Only letters of transactions older than every
 * running one are handed out, in (transaction, sequence) order, so a delivery that commits late can never land
 * behind a cursor already handed out: paging on with the last cursor sees every letter exactly once.
 *
 * Two steps, so the plan cannot depend on statistics: the next `limit + 1` positions are read from inbox_letter's
 * index alone, then those letters with their details. A position whose letter is filtered out (recalled, deleted
 * for good, another folder) is passed over: the cursor still moves past it, so a page may hold fewer than `limit`
 * letters while `hasMore` is true.
 */
export async function readInboxPage(
  db: Db,
  mailboxId: string,
  options: { after: InboxPosition; limit: number; onlyNew: boolean; folder: InboxFolderFilter | null },
): Promise<{ letters: InboxLetter[]; last: InboxPosition | null; hasMore: boolean }> {
  const { after, limit } = options;
  const scanned = await sql<{ message_id: string; tx_id: string; seq: string }>`
    select message_id, tx_id::text as tx_id, seq::text as seq from inbox_letter
    where mailbox_id = ${mailboxId} and tx_id < (select kuvert_feed_horizon())
      and (tx_id, seq) > (${after.txId}::xid8, ${after.seq}::bigint)
      and ${options.onlyNew ? sql`acknowledged_at is null` : sql`true`}
    order by tx_id, seq
    limit ${limit + 1}`.execute(db);
  const positions = scanned.rows.slice(0, limit);
  const last = positions.at(-1);
  const rows =
    positions.length === 0
      ? []
      : (
          await selectLetters(
            db,
            mailboxId,
            sql`il.message_id = any(${positions.map((p) => p.message_id)}::uuid[]) and ${folderCondition(options.folder)}`,
            limit,
          )
        ).rows;
  return {
    letters: rows.map(present),
    last: last ? { txId: last.tx_id, seq: last.seq } : null,
    hasMore: scanned.rows.length > limit,
  };
}

/** One letter of the mailbox as the API shows it, or undefined. */
export async function findInboxLetter(db: Db, mailboxId: string, messageId: string): Promise<InboxLetter | undefined> {
  const rows = await selectLetters(db, mailboxId, sql`il.message_id = ${messageId}`, 1);
  const row = rows.rows[0];
  return row ? present(row) : undefined;
}
