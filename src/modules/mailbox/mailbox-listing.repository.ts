import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { MailboxFolderKind } from './mailbox.tables.ts';

/** A folder of a mailbox: a system folder, or one of the owner's own (by id). */
export type FolderRef =
  | { kind: 'inbox' }
  | { kind: 'archive' }
  | { kind: 'trash' }
  | { kind: 'user'; id: string; name?: string };

/** One line of a mailbox listing. */
export interface InboxItem {
  id: string;
  label: string;
  senderName: string;
  availableAt: Date;
  firstReadAt: Date | null;
  /** The recipient's own mark: unread until first opened, or as they marked it since. */
  unread: boolean;
  legalNotification: boolean;
  /** Where the letter lies (search results span folders). */
  folder: Exclude<MailboxFolderKind, 'deleted'>;
  folderId: string | null;
}

interface ListingRow {
  id: string;
  label: string;
  sender_name: string;
  available_at: Date;
  first_read_at: Date | null;
  legal_notification: boolean;
  item_unread: boolean | null;
  item_folder: MailboxFolderKind | null;
  item_folder_id: string | null;
}

const toItem = (row: ListingRow): InboxItem => ({
  id: row.id,
  label: row.label,
  senderName: row.sender_name,
  availableAt: row.available_at,
  firstReadAt: row.first_read_at,
  unread: row.item_unread ?? row.first_read_at === null,
  legalNotification: row.legal_notification,
  folder: (row.item_folder ?? 'inbox') as InboxItem['folder'],
  folderId: row.item_folder_id,
});

/**
 * A page of one folder of a mailbox, newest first (ties by id), starting after the letter `before` (keyset
 * pagination on (available_at, id): no OFFSET, stable while new mail arrives). Fetches `limit + 1` rows so the caller
 * can tell whether there is a next page. A `before` that is not in this mailbox yields no rows.
 *
 * The Inbox reads `message` through its index message_recipient_inbox and drops letters that have a mailbox_item row
 * elsewhere (few); every other folder reads mailbox_item through mailbox_item_folder. The cursor is a range condition
 * on available_at (`<=`, so the index is read in order from the cursor and the scan stops after `limit + 1` rows)
 * plus a filter for ties.
 */
export async function listFolderPage(
  db: Db,
  mailboxId: string,
  folder: FolderRef,
  options: { before?: string | undefined; limit: number },
): Promise<InboxItem[]> {
  const result = await folderPageSql(mailboxId, folder, options).execute(db);
  return result.rows.map(toItem);
}

/** The statement behind listFolderPage (also run inside loadMailboxNav, for the inbox page's single round trip). */
function folderPageSql(mailboxId: string, folder: FolderRef, options: { before?: string | undefined; limit: number }) {
  const before = options.before;
  if (folder.kind === 'inbox') {
    const keyset = before
      ? sql`and m.available_at <= (select c.available_at from message c where c.id = ${before} and c.recipient_id = ${mailboxId})
          and (m.available_at < (select c.available_at from message c where c.id = ${before} and c.recipient_id = ${mailboxId})
               or m.id > ${before})`
      : sql``;
    // The page is cut from message alone (an ordered index scan that stops after limit + 1 rows), then joined.
    return sql<ListingRow>`
      select m.id, m.label, m.available_at, m.first_read_at, m.legal_notification, s.name as sender_name,
             mi.unread as item_unread, mi.folder as item_folder, mi.folder_id as item_folder_id
      from (
        select m.id, m.label, m.available_at, m.first_read_at, m.legal_notification, m.sender_id
        from message m
        where m.recipient_id = ${mailboxId} and m.available_at is not null and m.recalled_at is null
          and not exists (select 1 from mailbox_item x where x.message_id = m.id and x.folder <> 'inbox')
          ${keyset}
        order by m.available_at desc, m.id asc
        limit ${options.limit + 1}
      ) m
      join sender s on s.id = m.sender_id
      left join mailbox_item mi on mi.message_id = m.id
      order by m.available_at desc, m.id asc
    `;
  }
  const folderCondition =
    folder.kind === 'user'
      ? sql`mi.folder = 'user' and mi.folder_id = ${folder.id}`
      : sql`mi.folder = ${folder.kind} and mi.folder_id is null`;
  const keyset = before
    ? sql`and mi.available_at <= (select c.available_at from mailbox_item c where c.message_id = ${before} and c.mailbox_id = ${mailboxId})
        and (mi.available_at < (select c.available_at from mailbox_item c where c.message_id = ${before} and c.mailbox_id = ${mailboxId})
             or mi.message_id > ${before})`
    : sql``;
  return sql<ListingRow>`
    select m.id, m.label, m.available_at, m.first_read_at, m.legal_notification, s.name as sender_name,
           mi.unread as item_unread, mi.folder as item_folder, mi.folder_id as item_folder_id
    from mailbox_item mi
    join message m on m.id = mi.message_id
    join sender s on s.id = m.sender_id
    where mi.mailbox_id = ${mailboxId} and ${folderCondition} and m.recalled_at is null
      ${keyset}
    order by mi.available_at desc, mi.message_id asc
    limit ${options.limit + 1}
  `;
}

/** Whether `messageId` is a letter that reached this mailbox (a page cursor must name one). */
export async function isMailboxLetter(db: Db, mailboxId: string, messageId: string): Promise<boolean> {
  const row = await db
    .selectFrom('message')
    .select('id')
    .where('id', '=', messageId)
    .where('recipient_id', '=', mailboxId)
    .where('available_at', 'is not', null)
    .executeTakeFirst();
  return row !== undefined;
}

/** Unread letters per folder of a mailbox; a folder without unread letters is absent. */
export interface UnreadCounts {
  inbox: number;
  archive: number;
  trash: number;
  /** By the id of the owner's own folder. */
  folders: Record<string, number>;
}

type UnreadRow = { folder: MailboxFolderKind; folder_id: string | null; unread: number };

/**
 * How many letters each folder of a mailbox holds that its listing shows as unread (the recipient's own mark, else
 * unread until first opened), in one statement over this mailbox's rows only: its letters through
 * message_recipient_inbox (available, not recalled) and their mailbox_item rows through mailbox_item_folder (the join
 * names the mailbox, so no other mailbox's rows are read). Letters without a mailbox_item row are in the Inbox;
 * those deleted for good are not counted.
 */
function unreadByFolderSql(mailboxId: string) {
  return sql`
    select coalesce(mi.folder, 'inbox') as folder, mi.folder_id, count(*)::int as unread
    from message m
    left join mailbox_item mi on mi.message_id = m.id and mi.mailbox_id = ${mailboxId}
    where m.recipient_id = ${mailboxId} and m.available_at is not null and m.recalled_at is null
      and coalesce(mi.unread, m.first_read_at is null)
      and (mi.folder is null or mi.folder <> 'deleted')
    group by 1, 2`;
}

function toUnreadCounts(rows: UnreadRow[]): UnreadCounts {
  const counts: UnreadCounts = { inbox: 0, archive: 0, trash: 0, folders: {} };
  for (const row of rows) {
    if (row.folder === 'user' && row.folder_id) counts.folders[row.folder_id] = row.unread;
    else if (row.folder === 'inbox' || row.folder === 'archive' || row.folder === 'trash') {
      counts[row.folder] += row.unread;
    }
  }
  return counts;
}

/** The owner's own folders as JSON [{id, name}], by name; `mailbox` is a value or a column of the outer query. */
export function foldersJsonSql(mailbox: RawBuilder<unknown>) {
  return sql<{ id: string; name: string }[]>`(select coalesce(json_agg(json_build_object('id', f.id, 'name', f.name)
      order by lower(f.name)), '[]'::json) from mailbox_folder f where f.mailbox_id = ${mailbox})`;
}

/** Whether the actor holds access in force to another mailbox (as listDelegationsHeld(…).length > 0). */
export function canSwitchSql(actorId: string | null, now: Date) {
  return actorId === null
    ? sql<boolean>`false`
    : sql<boolean>`exists (select 1 from mailbox_access g
                  where g.grantee_id = ${actorId} and g.revoked_at is null
                    and (g.ends_at is null or g.ends_at > ${now}))`;
}

/** What every mailbox page's navigation shows, read in one round trip. */
export interface MailboxNavData {
  /** The owner's own folders, by name. */
  folders: { id: string; name: string }[];
  /** Unread letters per folder; null when not asked for. */
  unread: UnreadCounts | null;
  /** Whether the actor holds access in force to another mailbox (as listDelegationsHeld(…).length > 0). */
  canSwitch: boolean;
  /** The folder page asked for (as listFolderPage), or null when none was. */
  listing: InboxItem[] | null;
}

/** A listing row as json_build_array in loadMailboxNav gives it (timestamps as ISO text). */
type ListingTuple = [
  string,
  string,
  string,
  string | null,
  boolean,
  string,
  boolean | null,
  MailboxFolderKind | null,
  string | null,
];

/**
 * The mailbox's folders, optionally its unread counts, and whether `actorId` may open other mailboxes, in one
 * statement: these are small indexed reads, and a page's cost is mostly per statement (planning, round trips).
 */
export async function loadMailboxNav(
  db: Db,
  options: {
    mailboxId: string;
    actorId: string | null;
    now: Date;
    withCounts: boolean;
    /** A page of a folder (as listFolderPage) too: one statement where there were two. */
    listing?: { folder: FolderRef; before?: string | undefined; limit: number };
  },
): Promise<MailboxNavData> {
  const { mailboxId, actorId, now } = options;
  const page = options.listing;
  const listing = page
    ? sql`(select coalesce(json_agg(json_build_array(p.id, p.label, p.available_at, p.first_read_at,
                p.legal_notification, p.sender_name, p.item_unread, p.item_folder, p.item_folder_id)
                order by p.available_at desc, p.id asc), '[]'::json)
           from (${folderPageSql(mailboxId, page.folder, page)}) p)`
    : sql`null::json`;
  const counts = options.withCounts
    ? sql`(select coalesce(json_agg(json_build_array(c.folder, c.folder_id, c.unread)), '[]'::json)
           from (${unreadByFolderSql(mailboxId)}) c)`
    : sql`null::json`;
  const result = await sql<{
    folders: { id: string; name: string }[];
    unread: [MailboxFolderKind, string | null, number][] | null;
    can_switch: boolean;
    listing: ListingTuple[] | null;
  }>`
    select
      ${foldersJsonSql(sql`${mailboxId}`)} as folders,
      ${counts} as unread,
      ${canSwitchSql(actorId, now)} as can_switch,
      ${listing} as listing`.execute(db);
  const row = result.rows[0];
  if (!row) throw new Error('loadMailboxNav: no row');
  return {
    folders: row.folders,
    unread: row.unread
      ? toUnreadCounts(row.unread.map(([folder, folder_id, unread]) => ({ folder, folder_id, unread })))
      : null,
    canSwitch: row.can_switch,
    listing: row.listing?.map(fromTuple) ?? null,
  };
}

const fromTuple = ([id, label, availableAt, firstReadAt, legal, sender, unread, folder, folderId]: ListingTuple) =>
  toItem({
    id,
    label,
    sender_name: sender,
    available_at: new Date(availableAt),
    first_read_at: firstReadAt === null ? null : new Date(firstReadAt),
    legal_notification: legal,
    item_unread: unread,
    item_folder: folder,
    item_folder_id: folderId,
  });
