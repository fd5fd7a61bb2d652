import { type Kysely, sql } from 'kysely';

/**
 * Time-ordered message ids, and one index fewer per event.
 *
 * New letters get UUIDv7 ids (RFC 9562: 48 bits of Unix milliseconds, then 74 random bits): still unguessable,
 * but each new id sorts after the ones before it. Their rows in message_pkey, message_document_pkey,
 * message_action_pkey and message_event_message then go to the right-hand edge of those indexes instead of
 * random pages all over them: a bulk batch touches a few hot pages instead of dirtying (and after each
 * checkpoint, logging whole) pages across indexes larger than the buffer cache. Existing ids stay as they are.
 *
 * message_event_sender (sender_id, id) served nothing that message_event_feed (sender_id, tx_id, id) does not:
 * every sender-scoped read of events goes by (tx_id, id), and the feed index also covers the foreign key.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function kuvert_uuid7() returns uuid
    language sql volatile parallel safe
    as $$
      select encode(
        set_bit(set_bit(
          overlay(uuid_send(gen_random_uuid())
                  placing substring(int8send((extract(epoch from clock_timestamp()) * 1000)::bigint) from 3)
                  from 1 for 6),
          52, 1), 53, 1),
        'hex')::uuid
    $$;
    alter table message alter column id set default kuvert_uuid7();
    drop index message_event_sender;
    alter table message_event drop constraint message_event_sender_id_fkey;
    alter table message_event drop constraint message_event_message_id_fkey;
    alter table message_document drop constraint message_document_sha256_fkey;
  `.execute(db);
}
