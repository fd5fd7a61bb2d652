import { type Kysely, sql } from 'kysely';

/**
 * Retention and deletion (issue 18): letters are deleted for good when their time is up.
 *
 * - message.delete_after: when the letter is purged (the sender's `deleteAfter`, else the sender's default
 *   retention; null: kept until its mailbox is purged or its owner deletes it for good).
 * - sender.retention_years: the sender's default retention for letters without `deleteAfter` (null: none).
 * - recipient.purged_at: a closed mailbox whose delete_after passed and whose letters were all purged.
 * - message_tombstone (messages module): what is left of a purged letter — ids, sender, dates and why — so the
 *   sender's status API answers 410 Gone and the messageUuid stays taken.
 * - Foreign keys that would stop a letter's purge: a print job goes with its letter; a forwarded copy outlives its
 *   original (forwarded_from keeps the purged id, so the copy is still known as a copy), and so does the forwarding
 *   record (original_message_id becomes null).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table message add column delete_after timestamptz;
    create index message_delete_after on message (delete_after) where delete_after is not null;
    alter table sender add column retention_years integer check (retention_years between 1 and 100);
    alter table recipient add column purged_at timestamptz;
    create index recipient_closed_delete_after on recipient (delete_after)
      where enrolment = 'closed' and delete_after is not null and purged_at is null;
    create index mailbox_item_deleted on mailbox_item (updated_at) where folder = 'deleted';

    create table message_tombstone (
      message_id uuid primary key,
      sender_id uuid not null references sender (id),
      message_uuid uuid not null,
      received_at timestamptz not null,
      available_at timestamptz,
      deleted_at timestamptz not null default now(),
      reason text not null check (reason in ('retention', 'mailbox_closed', 'owner_deleted')),
      unique (sender_id, message_uuid)
    );

    alter table print_job drop constraint print_job_message_id_fkey,
      add constraint print_job_message_id_fkey foreign key (message_id) references message (id) on delete cascade;
    -- A copy stays a copy (forwarded_from is not null) when its original is purged: no foreign key, like the log.
    alter table message drop constraint message_forwarded_from_fkey;
    alter table mailbox_forward alter column original_message_id drop not null,
      drop constraint mailbox_forward_original_message_id_fkey,
      add constraint mailbox_forward_original_message_id_fkey foreign key (original_message_id)
        references message (id) on delete set null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table mailbox_forward drop constraint mailbox_forward_original_message_id_fkey,
      add constraint mailbox_forward_original_message_id_fkey foreign key (original_message_id)
        references message (id);
    alter table message add constraint message_forwarded_from_fkey foreign key (forwarded_from) references message (id);
    alter table print_job drop constraint print_job_message_id_fkey,
      add constraint print_job_message_id_fkey foreign key (message_id) references message (id);
    drop table message_tombstone;
    drop index mailbox_item_deleted;
    drop index recipient_closed_delete_after;
    alter table recipient drop column purged_at;
    alter table sender drop column retention_years;
    drop index message_delete_after;
    alter table message drop column delete_after;
  `.execute(db);
}
