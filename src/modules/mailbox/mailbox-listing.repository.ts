import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { MailboxFolderKind } from './mailbox.tables.ts';
import type { FolderPageOptions, FolderRef, InboxItem, MailboxSender } from './mailbox-listing.types.ts';
import { scopeSql } from './mailbox-scope.ts';

export type { FolderPageOptions, FolderRef, InboxItem, ListingSort, MailboxSender } from './mailbox-listing.types.ts';

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
  preview?: string | null;
  attachments?: boolean;
  appointment?: boolean;
  action_needed?: boolean;
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
  preview: row.preview ?? null,
  attachments: row.attachments ?? false,
  appointment: row.appointment ?? false,
  actionNeeded: row.action_needed ?? false,
});

/** Action codes that ask the recipient to do something (AFTALE is an appointment, INFORMATION only informs). */
const ACTION_NEEDED_CODES = ['BEKRAEFT', 'UNDERSKRIV', 'BETALING', 'SELVBETJENING', 'TILMELDING'];

/**
 * The listing's cues for the rows of a page `p` (a lateral join on p.id: a few index reads per row of the page, in the
 * same statement): the preview line, and whether the letter has attachments, an appointment or an action to do.
 */
export const cuesSql = sql`cross join lateral (
    select
      coalesce(
        (select nullif(left(regexp_replace(btrim(mm.notification), '\\s+', ' ', 'g'), 160), '')
           from message mm where mm.id = p.id),
        (select string_agg(d.title, ' · ' order by d.position) from message_document d
           where d.message_id = p.id and d.role <> 'technical' and d.title <> '' and d.title <> p.label)
      ) as preview,
      (select count(*) > 1 from message_document d where d.message_id = p.id and d.role <> 'technical') as attachments,
      exists (select 1 from message_action a where a.message_id = p.id and a.action_code = 'AFTALE') as appointment,
      exists (select 1 from message_action a where a.message_id = p.id
                and a.action_code in (${sql.join(ACTION_NEEDED_CODES)}) and a.status is distinct from 'done')
        as action_needed
  ) c`;

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
  options: FolderPageOptions,
): Promise<InboxItem[]> {
  const result = await sql<ListingRow>`
    select p.*, c.preview, c.attachments, c.appointment, c.action_needed
    from (${folderPageSql(mailboxId, folder, options)}) p
    ${cuesSql}
    order by p.ord`.execute(db);
  return result.rows.map(toItem);
}

/**
 * The statement behind listFolderPage (also run inside loadMailboxNav, for the inbox page's single round trip); each
 * row has its place on the page as `ord`.
 */
function folderPageSql(mailboxId: string, folder: FolderRef, options: FolderPageOptions) {
  if ((options.sort ?? 'newest') !== 'newest' || options.senderId !== undefined) {
    return sortedFolderPageSql(mailboxId, folder, options);
  }
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
             mi.unread as item_unread, mi.folder as item_folder, mi.folder_id as item_folder_id,
             row_number() over (order by m.available_at desc, m.id asc) as ord
      from (
        select m.id, m.label, m.available_at, m.first_read_at, m.legal_notification, m.sender_id
        from message m
        where m.recipient_id = ${mailboxId} and m.available_at is not null and m.recalled_at is null
          and not exists (select 1 from mailbox_item x where x.message_id = m.id and x.folder <> 'inbox')
          ${options.scope ? sql`and false` : sql``}
          ${keyset}
        order by m.available_at desc, m.id asc
        limit ${options.limit + 1}
      ) m
      join sender s on s.id = m.sender_id
      left join mailbox_item mi on mi.message_id = m.id
      order by m.available_at desc, m.id asc
    `;
  }
  const keyset = before
    ? sql`and mi.available_at <= (select c.available_at from mailbox_item c where c.message_id = ${before} and c.mailbox_id = ${mailboxId})
        and (mi.available_at < (select c.available_at from mailbox_item c where c.message_id = ${before} and c.mailbox_id = ${mailboxId})
             or mi.message_id > ${before})`
    : sql``;
  return sql<ListingRow>`
    select m.id, m.label, m.available_at, m.first_read_at, m.legal_notification, s.name as sender_name,
           mi.unread as item_unread, mi.folder as item_folder, mi.folder_id as item_folder_id,
           row_number() over (order by mi.available_at desc, mi.message_id asc) as ord
    from mailbox_item mi
    join message m on m.id = mi.message_id
    join sender s on s.id = m.sender_id
    where mi.mailbox_id = ${mailboxId} and ${folderCondition(folder)} and m.recalled_at is null
      and ${scopeSql(options.scope)}
      ${keyset}
    order by mi.available_at desc, mi.message_id asc
    limit ${options.limit + 1}
  `;
}

const folderCondition = (folder: FolderRef) =>
  folder.kind === 'user'
    ? sql`mi.folder = 'user' and mi.folder_id = ${folder.id}`
    : sql`mi.folder = ${folder.kind} and mi.folder_id is null`;

/**
 * A folder page in another order than newest first, or of one sender's letters: read over the mailbox's own letters
 * (message_recipient_inbox) with their folder rows, sorted (a mailbox holds tens to thousands of letters). Keyset
 * pagination as in the default order: the cursor letter's sort key (sender name, available_at, id) is looked up by
 * its id in this mailbox, and the page starts after it.
 */
function sortedFolderPageSql(mailboxId: string, folder: FolderRef, options: FolderPageOptions) {
  const sort = options.sort ?? 'newest';
  const inFolder =
    folder.kind === 'inbox' ? sql`(mi.folder is null or mi.folder = 'inbox')` : sql`${folderCondition(folder)}`;
  const fromSender = options.senderId !== undefined ? sql`and m.sender_id = ${options.senderId}` : sql``;
  const order =
    sort === 'oldest'
      ? sql`m.available_at asc, m.id asc`
      : sort === 'sender'
        ? sql`lower(s.name) asc, s.id asc, m.available_at desc, m.id asc`
        : sql`m.available_at desc, m.id asc`;
  const before = options.before;
  const cursor = sql`(select c.available_at as at, lower(cs.name) as name, cs.id as sender_id from message c
      join sender cs on cs.id = c.sender_id where c.id = ${before ?? null} and c.recipient_id = ${mailboxId})`;
  const byDate =
    sort === 'oldest'
      ? sql`(m.available_at > k.at or (m.available_at = k.at and m.id > ${before ?? null}))`
      : sql`(m.available_at < k.at or (m.available_at = k.at and m.id > ${before ?? null}))`;
  const keyset = !before
    ? sql``
    : sort === 'sender'
      ? sql`and exists (select 1 from ${cursor} k where (lower(s.name), s.id) > (k.name, k.sender_id)
              or ((lower(s.name), s.id) = (k.name, k.sender_id) and ${byDate}))`
      : sql`and exists (select 1 from ${cursor} k where ${byDate})`;
  return sql<ListingRow>`
    select m.id, m.label, m.available_at, m.first_read_at, m.legal_notification, s.name as sender_name,
           mi.unread as item_unread, mi.folder as item_folder, mi.folder_id as item_folder_id,
           row_number() over (order by ${order}) as ord
    from message m
    join sender s on s.id = m.sender_id
    left join mailbox_item mi on mi.message_id = m.id and mi.mailbox_id = ${mailboxId}
    where m.recipient_id = ${mailboxId} and m.available_at is not null and m.recalled_at is null
      and ${inFolder} ${fromSender} and ${scopeSql(options.scope)}
      ${keyset}
    order by ${order}
    limit ${options.limit + 1}
  `;
}

/** The senders whose letters reached this mailbox, by name (for the sender filter). */
function mailboxSendersSql(mailboxId: string, scope?: readonly string[] | null) {
  return sql`(select coalesce(json_agg(json_build_object('id', x.id, 'name', x.name) order by lower(x.name), x.id),
        '[]'::json)
      from (select distinct s.id, s.name from message m join sender s on s.id = m.sender_id
            left join mailbox_item mi on mi.message_id = m.id and mi.mailbox_id = ${mailboxId}
            where m.recipient_id = ${mailboxId} and m.available_at is not null and m.recalled_at is null
              and ${scopeSql(scope)}) x)`;
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
function unreadByFolderSql(mailboxId: string, scope?: readonly string[] | null) {
  return sql`
    select coalesce(mi.folder, 'inbox') as folder, mi.folder_id, count(*)::int as unread
    from message m
    left join mailbox_item mi on mi.message_id = m.id and mi.mailbox_id = ${mailboxId}
    where m.recipient_id = ${mailboxId} and m.available_at is not null and m.recalled_at is null
      and coalesce(mi.unread, m.first_read_at is null)
      and (mi.folder is null or mi.folder <> 'deleted') and ${scopeSql(scope)}
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
export function foldersJsonSql(mailbox: RawBuilder<unknown>, scope?: readonly string[] | null) {
  const within = scope === null || scope === undefined ? sql`` : sql`and f.id = any(${[...scope] as string[]}::uuid[])`;
  return sql<{ id: string; name: string }[]>`(select coalesce(json_agg(json_build_object('id', f.id, 'name', f.name)
      order by lower(f.name)), '[]'::json) from mailbox_folder f where f.mailbox_id = ${mailbox} ${within})`;
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
  /** The senders whose letters reached the mailbox, by name, with a folder page (for its sender filter); else null. */
  senders: MailboxSender[] | null;
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
  string | null,
  boolean,
  boolean,
  boolean,
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
    listing?: { folder: FolderRef } & FolderPageOptions;
    /** A folder-scoped grant's folders: only these folders, and their letters, are shown and counted. */
    scope?: readonly string[] | null;
  },
): Promise<MailboxNavData> {
  const { mailboxId, actorId, now } = options;
  const page = options.listing;
  const scope = options.scope ?? null;
  const listing = page
    ? sql`(select coalesce(json_agg(json_build_array(p.id, p.label, p.available_at, p.first_read_at,
                p.legal_notification, p.sender_name, p.item_unread, p.item_folder, p.item_folder_id,
                c.preview, c.attachments, c.appointment, c.action_needed)
                order by p.ord), '[]'::json)
           from (${folderPageSql(mailboxId, page.folder, { ...page, scope })}) p
           ${cuesSql})`
    : sql`null::json`;
  const senders = page ? mailboxSendersSql(mailboxId, scope) : sql`null::json`;
  const counts = options.withCounts
    ? sql`(select coalesce(json_agg(json_build_array(c.folder, c.folder_id, c.unread)), '[]'::json)
           from (${unreadByFolderSql(mailboxId, scope)}) c)`
    : sql`null::json`;
  const result = await sql<{
    folders: { id: string; name: string }[];
    unread: [MailboxFolderKind, string | null, number][] | null;
    can_switch: boolean;
    listing: ListingTuple[] | null;
    senders: MailboxSender[] | null;
  }>`
    select
      ${foldersJsonSql(sql`${mailboxId}`, scope)} as folders,
      ${counts} as unread,
      ${canSwitchSql(actorId, now)} as can_switch,
      ${listing} as listing,
      ${senders} as senders`.execute(db);
  const row = result.rows[0];
  if (!row) throw new Error('loadMailboxNav: no row');
  return {
    folders: row.folders,
    unread: row.unread
      ? toUnreadCounts(row.unread.map(([folder, folder_id, unread]) => ({ folder, folder_id, unread })))
      : null,
    canSwitch: row.can_switch,
    listing: row.listing?.map(fromTuple) ?? null,
    senders: row.senders,
  };
}

const fromTuple = ([
  id,
  label,
  availableAt,
  firstReadAt,
  legal,
  sender,
  unread,
  folder,
  folderId,
  preview,
  attachments,
  appointment,
  actionNeeded,
]: ListingTuple) =>
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
    preview,
    attachments,
    appointment,
    action_needed: actionNeeded,
  });
