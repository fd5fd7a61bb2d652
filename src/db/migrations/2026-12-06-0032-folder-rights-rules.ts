import { type Kysely, sql } from 'kysely';

/**
 * Employee rights per folder and routing rules (issue 17, item 3).
 *
 * Folder-scoped grants (access module): a grant (mailbox_access) with folder_scoped = true lets its holder see only
 * the letters whose folder is listed for it in mailbox_access_folder. A flag and a join table, not a uuid[] column:
 * - the flag makes "no folders left" mean "nothing", never "the whole mailbox" (a folder deleted by the owner drops
 *   its rows by cascade; the grant then narrows, it never widens);
 * - the join table lets the delivery rules find "the employees of folder F" by index, and the foreign key keeps
 *   folder ids real. The ids are just ids to the access module (it sits below mailbox).
 *
 * Routing rules (mailbox module): mailbox_rule files a letter into a user folder when it is delivered: by sender,
 * by subject words (all must occur, case-insensitive) and/or by the sender's reference; the lowest position that
 * matches wins. Applied by a deferred trigger on message, as the search data is (0025: mailbox sits above messages,
 * so delivery writes nothing of the mailbox's): the letter's mailbox_item row is written in the delivering
 * transaction, so the letter is never listed in the Inbox first. A rule with notify_folder_employees queues the
 * mailbox.rule-notify job in the same transaction.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table mailbox_access add column folder_scoped boolean not null default false;

    create table mailbox_access_folder (
      access_id uuid not null references mailbox_access (id) on delete cascade,
      folder_id uuid not null references mailbox_folder (id) on delete cascade,
      primary key (access_id, folder_id)
    );
    create index mailbox_access_folder_folder on mailbox_access_folder (folder_id);

    create table mailbox_rule (
      id uuid primary key default gen_random_uuid(),
      mailbox_id uuid not null references recipient (id),
      position int not null,
      sender_id uuid references sender (id),
      -- Lower-cased words, all of which must occur in the subject (empty: no condition).
      subject_words text[] not null default '{}',
      sender_reference text,
      folder_id uuid not null references mailbox_folder (id) on delete cascade,
      notify_folder_employees boolean not null default false,
      created_by_id uuid not null,
      created_at timestamptz not null default now(),
      check (sender_id is not null or cardinality(subject_words) > 0 or sender_reference is not null),
      unique (mailbox_id, position) deferrable initially deferred
    );

    create function mailbox_rule_on_delivery() returns trigger
      language plpgsql as $$
      declare
        letter record;
        rule record;
      begin
        select m.id, m.recipient_id, m.sender_id, m.label, m.sender_reference, m.available_at
          into letter
          from message m where m.id = new.id and m.available_at is not null and m.recalled_at is null;
        if not found then return null; end if;
        -- Filed once: a letter the recipient has already moved (or a rule has filed) is left alone.
        if exists (select 1 from mailbox_item i where i.message_id = letter.id) then return null; end if;
        select r.id, r.folder_id, r.notify_folder_employees into rule
          from mailbox_rule r
          where r.mailbox_id = letter.recipient_id
            and (r.sender_id is null or r.sender_id = letter.sender_id)
            and (r.sender_reference is null or r.sender_reference = letter.sender_reference)
            and not exists (
              select 1 from unnest(r.subject_words) w
              where strpos(mailbox_search_fold(letter.label), w) = 0)
          order by r.position
          limit 1;
        if not found then return null; end if;
        insert into mailbox_item (message_id, mailbox_id, available_at, folder, folder_id)
          values (letter.id, letter.recipient_id, letter.available_at, 'user', rule.folder_id)
          on conflict (message_id) do nothing;
        if rule.notify_folder_employees then
          perform graphile_worker.add_job('mailbox.rule-notify',
            json_build_object('messageId', letter.id, 'folderId', rule.folder_id));
        end if;
        return null;
      end $$;
    create constraint trigger message_rule_on_delivery
      after insert or update of available_at on message
      deferrable initially deferred
      for each row when (new.available_at is not null)
      execute function mailbox_rule_on_delivery();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop trigger if exists message_rule_on_delivery on message;
    drop function if exists mailbox_rule_on_delivery();
    drop table if exists mailbox_rule;
    drop table if exists mailbox_access_folder;
    alter table mailbox_access drop column if exists folder_scoped;
  `.execute(db);
}
