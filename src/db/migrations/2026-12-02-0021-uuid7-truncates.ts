import { type Kysely, sql } from 'kysely';

/**
 * kuvert_uuid7() takes the whole milliseconds of the time, as RFC 9562 says: 0020's version rounded them, so an id
 * made in the second half of a millisecond carried the next one. The id for a given time is kuvert_uuid7_at(t), so
 * the time part can be checked exactly; kuvert_uuid7() is it at clock_timestamp().
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function kuvert_uuid7_at(t timestamptz) returns uuid
    language sql volatile parallel safe
    as $$
      select encode(
        set_bit(set_bit(
          overlay(uuid_send(gen_random_uuid())
                  placing substring(int8send(floor(extract(epoch from t) * 1000)::bigint) from 3)
                  from 1 for 6),
          52, 1), 53, 1),
        'hex')::uuid
    $$;
    create or replace function kuvert_uuid7() returns uuid
    language sql volatile parallel safe
    as $$ select kuvert_uuid7_at(clock_timestamp()) $$;
  `.execute(db);
}
