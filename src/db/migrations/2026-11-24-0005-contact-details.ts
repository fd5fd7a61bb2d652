import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Every confirmation code sent to a person, kept for a day: the per-person rate limit must survive a contact
    -- detail being removed and added again (the per-detail history in contact_detail.codes_sent_at does not).
    create table contact_code_send (
      id bigserial primary key,
      recipient_id uuid not null references recipient (id) on delete cascade,
      sent_at timestamptz not null
    );
    create index contact_code_send_recipient on contact_code_send (recipient_id, sent_at);

    -- At most 2 e-mail addresses and 1 mobile number are enforced by the use case under a row lock; this index
    -- makes "the usable details of one person" a cheap lookup for notifications.
    create index contact_detail_usable on contact_detail (recipient_id, kind)
      where confirmed_at is not null and failing_since is null;
  `.execute(db);
}
