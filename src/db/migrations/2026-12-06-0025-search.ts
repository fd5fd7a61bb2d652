import { type Kysely, sql } from 'kysely';

/**
 * Search data per letter (issue 16): mailbox_search holds, for every letter that reached a mailbox, the word parts of
 * its sender, subject, notification and document text as a weighted tsvector, indexed together with the mailbox
 * (GIN on (mailbox_id, terms) through btree_gin), so a search reads only the matching rows of one mailbox however big
 * it is.
 *
 * Word parts: every word, folded to lower case, and each of its suffixes of three letters or more, so that a prefix
 * query finds a word part anywhere in a word: "skat" finds "restskat" (the suffix "skat") and "Skattestyrelsen"
 * (a prefix), "bolig" finds "boligstøtte". Danish compounds are written as one word, so this is what makes
 * search find what Danes type.
 *
 * A letter gets its row when it becomes available (a deferred trigger on message, so the documents inserted later in
 * the same transaction are seen): the row belongs to the mailbox module, which owns this table and its trigger;
 * delivery (messages) writes nothing here. The text of its documents (plain text, HTML, PDF) is extracted once per
 * content hash into mailbox_document_text.body by the mailbox.index-text job; until then the row is marked
 * documents_pending and the job adds the document text to it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create extension if not exists btree_gin;

    -- Extracted text per document content (plain text, HTML as text, PDF text), capped; '' when none could be read.
    -- Rows from before kept only a tsvector: dropped, the job extracts them again.
    delete from mailbox_document_text;
    alter table mailbox_document_text add column body text not null default '';

    -- Lower case, with the Danish (and near) capitals folded whatever the database's ctype.
    create function mailbox_search_fold(t text) returns text
      language sql immutable parallel safe
      return lower(translate(coalesce(t, ''), 'ÆØÅÄÖÜÉÈÊÁÀÍÓÚ', 'æøåäöüéèêáàíóú'));

    -- The word parts of a text (see above) as lexemes of weight w (A: sender and subject, B: notification, C: documents);
    -- words over 40 letters give only themselves.
    create function mailbox_search_parts(t text, w "char") returns tsvector
      language plpgsql immutable parallel safe as $$
      begin
        -- Position 1 for every part: a weight needs a position; the parts hold no quote or backslash to escape.
        return (
          select coalesce(string_agg(distinct '''' || substr(word, i) || ''':1' || w::text, ' ')::tsvector, ''::tsvector)
          from regexp_split_to_table(mailbox_search_fold(t), '[^[:alnum:]æøåäöüéèêáàíóú]+') as word,
               generate_series(1, case when length(word) > 40 then 1 else greatest(length(word) - 2, 1) end) as i
          where word <> '');
      end $$;

    -- Document text that goes into a letter's terms, at most this many characters per letter.
    -- (plpgsql, not SQL functions: their statements are planned once per session, not once per call.)
    create function mailbox_search_terms(letter uuid) returns tsvector
      language plpgsql stable parallel safe as $$
      begin
        return (
          select mailbox_search_parts(s.name, 'A') || mailbox_search_parts(m.label, 'A')
            || mailbox_search_parts(m.notification, 'B')
            || mailbox_search_parts(left(coalesce((
                 select string_agg(t.body, ' ' order by d.position)
                 from message_document d join mailbox_document_text t on t.sha256 = d.sha256
                 where d.message_id = m.id and d.role <> 'technical'), ''), 20000), 'C')
          from message m join sender s on s.id = m.sender_id
          where m.id = letter);
      end $$;

    -- Whether a letter has a searchable document whose text is not extracted yet.
    create function mailbox_search_documents_pending(letter uuid) returns boolean
      language plpgsql stable parallel safe as $$
      begin
        return exists (
          select 1 from message_document d
          where d.message_id = letter and d.role <> 'technical'
            and d.media_type in ('text/plain', 'text/html', 'application/pdf')
            and not exists (select 1 from mailbox_document_text t where t.sha256 = d.sha256));
      end $$;

    create table mailbox_search (
      message_id uuid primary key references message (id) on delete cascade,
      mailbox_id uuid not null,
      sender_id uuid not null,
      available_at timestamptz not null,
      terms tsvector not null,
      documents_pending boolean not null default false
    );
    create index mailbox_search_mailbox_terms on mailbox_search using gin (mailbox_id, terms);
    create index mailbox_search_pending on mailbox_search (mailbox_id, available_at) where documents_pending;
    -- A mailbox's newest letters in order: a common word is searched by reading these until enough match (bounded),
    -- where the GIN index would hand over every match in the mailbox to be ranked.
    create index mailbox_search_recent on mailbox_search (mailbox_id, available_at desc, message_id);
    -- The senders that have written to a mailbox, for the search's sender filter. A table, not a btree index on
    -- mailbox_search (mailbox_id, …): with one, the planner reads a whole mailbox by it and filters the terms on the
    -- heap (it cannot tell how rare a prefix is), where the GIN index reads only the matching rows.
    create table mailbox_sender (
      mailbox_id uuid not null,
      sender_id uuid not null,
      primary key (mailbox_id, sender_id)
    );

    create function mailbox_search_on_delivery() returns trigger
      language plpgsql as $$
      begin
        -- Run at commit: the message as it is then (a recalled letter is not searched).
        delete from mailbox_search s using message m
        where s.message_id = new.id and m.id = new.id and m.recalled_at is not null;
        insert into mailbox_search (message_id, mailbox_id, sender_id, available_at, terms, documents_pending)
        select m.id, m.recipient_id, m.sender_id, m.available_at, mailbox_search_terms(m.id),
               mailbox_search_documents_pending(m.id)
        from message m where m.id = new.id and m.available_at is not null and m.recalled_at is null
        on conflict (message_id) do nothing;
        insert into mailbox_sender (mailbox_id, sender_id)
        select m.recipient_id, m.sender_id from message m
        where m.id = new.id and m.available_at is not null and m.recalled_at is null
        on conflict do nothing;
        return null;
      end $$;
    create constraint trigger message_search_on_delivery
      after insert or update of available_at, recalled_at on message
      deferrable initially deferred
      for each row when (new.available_at is not null)
      execute function mailbox_search_on_delivery();

    insert into mailbox_search (message_id, mailbox_id, sender_id, available_at, terms, documents_pending)
    select m.id, m.recipient_id, m.sender_id, m.available_at, mailbox_search_terms(m.id),
           mailbox_search_documents_pending(m.id)
    from message m where m.available_at is not null and m.recalled_at is null;
    insert into mailbox_sender (mailbox_id, sender_id)
    select distinct mailbox_id, sender_id from mailbox_search;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop trigger if exists message_search_on_delivery on message;
    drop function if exists mailbox_search_on_delivery();
    drop table if exists mailbox_search;
    drop table if exists mailbox_sender;
    drop function if exists mailbox_search_documents_pending(uuid);
    drop function if exists mailbox_search_terms(uuid);
    drop function if exists mailbox_search_parts(text, "char");
    drop function if exists mailbox_search_fold(text);
    alter table mailbox_document_text drop column if exists body;
  `.execute(db);
}
