import { type Kysely, sql } from 'kysely';

/**
 * The recipient's own state of letters in a mailbox: folder, unread mark, trash, permanent deletion, and when a
 * legal-notification letter was served. Rows are created lazily, on the recipient's first action on a letter: a
 * letter without a row is simply unread-as-the-sender-sees-it and in the Inbox, so delivery writes nothing here.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table mailbox_folder (
      id uuid primary key default gen_random_uuid(),
      -- The owner's recipient id: a folder belongs to the mailbox, not to whoever made it.
      mailbox_id uuid not null references recipient (id),
      name text not null check (length(name) between 1 and 80),
      created_at timestamptz not null default now()
    );
    create unique index mailbox_folder_name on mailbox_folder (mailbox_id, lower(name));

    create table mailbox_item (
      message_id uuid primary key references message (id) on delete cascade,
      mailbox_id uuid not null references recipient (id),
      -- Copied from message.available_at (fixed once delivered) so folder listings page on this table's index.
      available_at timestamptz not null,
      -- deleted: deleted for good by the owner (kept for the sender's record, never shown again).
      folder text not null default 'inbox' check (folder in ('inbox', 'archive', 'trash', 'user', 'deleted')),
      folder_id uuid references mailbox_folder (id),
      -- The recipient's own unread mark; null: unread until first opened.
      unread boolean,
      -- Where a letter in Trash came from, so Restore puts it back.
      trashed_from text check (trashed_from in ('inbox', 'archive', 'user')),
      trashed_from_folder_id uuid references mailbox_folder (id) on delete set null,
      trashed_at timestamptz,
      legally_notified_at timestamptz,
      updated_at timestamptz not null default now(),
      check ((folder = 'user') = (folder_id is not null))
    );
    create index mailbox_item_folder on mailbox_item (mailbox_id, folder, folder_id, available_at desc, message_id);
    create index mailbox_item_folder_id on mailbox_item (folder_id) where folder_id is not null;

    -- Text of text documents (plain text, HTML) for search, by content hash: filled lazily, shared by every letter
    -- carrying the same document.
    create table mailbox_document_text (
      sha256 char(64) primary key references document (sha256) on delete cascade,
      tsv tsvector not null,
      indexed_at timestamptz not null default now()
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table if exists mailbox_document_text;
    drop table if exists mailbox_item;
    drop table if exists mailbox_folder;
  `.execute(db);
}
