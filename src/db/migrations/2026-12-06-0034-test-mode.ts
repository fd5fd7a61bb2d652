import { type Kysely, sql } from 'kysely';

/**
 * Test mode (issue 17, item 8; GOV.UK Notify's test keys are the model).
 *
 * - api_key.test: a test key ("kuv_test_…"). Letters sent with it are validated and routed exactly like live ones,
 *   but reach nobody: no mailbox, notification, print or NemSMS, no statistics.
 * - batch.test: a batch submitted with a test key; its letters are test letters.
 * - message.test, test_route, test_routed_at: a test letter and where it would have gone (the routing outcome:
 *   mailbox, print, nemsms or a failure reason) and when. Its status mirrors the live one, but a test letter never
 *   gets an available_at (the check below): every mailbox read, the search trigger and the new-mail notification
 *   key on available_at, so a test letter cannot reach a person's mailbox even by a forgotten filter.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table api_key add column test boolean not null default false;
    alter table batch add column test boolean not null default false;
    alter table message add column test boolean not null default false;
    alter table message add column test_route text
      check (test_route in ('mailbox', 'print', 'nemsms', 'recipient_closed', 'recipient_not_digital',
                            'recipient_unknown', 'routing_failed'));
    alter table message add column test_routed_at timestamptz;
    alter table message add constraint message_test_never_available check (not test or available_at is null);
    create index message_sender_test on message (sender_id, received_at desc, id desc) where test;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index if exists message_sender_test;
    alter table message drop constraint if exists message_test_never_available;
    alter table message drop column if exists test_routed_at;
    alter table message drop column if exists test_route;
    alter table message drop column if exists test;
    alter table batch drop column if exists test;
    alter table api_key drop column if exists test;
  `.execute(db);
}
