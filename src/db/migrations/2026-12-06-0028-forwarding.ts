import { type Kysely, sql } from 'kysely';

/**
 * Forwarding a letter (issue 16).
 *
 * - message.forwarded_from: a letter forwarded to another person is a new row in that person's mailbox (so every
 *   mailbox page, search and notification works on it unchanged) whose documents name the same content-addressed
 *   bytes as the original's (nothing is copied). It keeps the original sender's name for the reader, but it is not
 *   the sender's delivery: every sender-facing read (API, portal, feed, statistics) leaves rows with forwarded_from
 *   out, and forwarding writes no message event.
 * - mailbox_forward (mailbox module): who forwarded which letter from which mailbox to which, with the note; one row
 *   per forwarded copy. The form key makes a double submit forward once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table message add column forwarded_from uuid references message (id);
    create index message_forwarded_from on message (forwarded_from) where forwarded_from is not null;

    create table mailbox_forward (
      message_id uuid primary key references message (id) on delete cascade,
      original_message_id uuid not null references message (id),
      from_mailbox_id uuid not null references recipient (id),
      to_mailbox_id uuid not null references recipient (id),
      forwarded_by_id uuid not null references recipient (id),
      forwarded_by_name text not null,
      note text,
      form_key uuid not null,
      created_at timestamptz not null default now(),
      unique (from_mailbox_id, form_key)
    );
    create index mailbox_forward_original on mailbox_forward (original_message_id);
  `.execute(db);
}
