import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

/** What a dry run needs of its recipients (by CPR or CVR): the routing inputs and whether the address is printable. */
export async function findPlanRecipients(db: Db, cprs: readonly string[], cvrs: readonly string[]) {
  if (cprs.length === 0 && cvrs.length === 0) return [];
  return db
    .selectFrom('recipient')
    .select(['id', 'cpr', 'cvr', 'enrolment', 'closed_reason', 'address_lines', 'postcode', 'city'])
    .where((eb) =>
      eb.or([
        ...(cprs.length ? [eb('cpr', '=', eb.fn.any(eb.val([...cprs])))] : []),
        ...(cvrs.length ? [eb('cvr', '=', eb.fn.any(eb.val([...cvrs])))] : []),
      ]),
    )
    .execute();
}

/** The content hashes of the sender's letters already sent with these message UUIDs (idempotency, as at intake). */
export async function findSentContentHashes(
  db: Db,
  senderId: string,
  messageUuids: readonly string[],
): Promise<Map<string, string>> {
  if (messageUuids.length === 0) return new Map();
  const rows = await db
    .selectFrom('message')
    .select(['message_uuid', 'content_hash'])
    .where('sender_id', '=', senderId)
    .where('message_uuid', '=', (eb) => eb.fn.any(eb.val([...messageUuids])))
    .execute();
  return new Map(rows.map((r) => [r.message_uuid, r.content_hash]));
}

/**
 * When letters with these doNotDeliverUntil dates are due: 00:00 Copenhagen time on the date, computed by the same
 * expression as acceptMessage's (so daylight saving is the database's, not ours), and whether that is still ahead.
 */
export async function deliveryTimes(
  db: Db,
  dates: readonly string[],
  now: Date,
): Promise<Map<string, { at: Date; later: boolean }>> {
  if (dates.length === 0) return new Map();
  const rows = await sql<{ d: string; at: Date; later: boolean }>`
    select d, (d::date::timestamp at time zone 'Europe/Copenhagen') as at,
           (d::date::timestamp at time zone 'Europe/Copenhagen') > ${now}::timestamptz as later
    from unnest(${[...new Set(dates)]}::text[]) as d
  `.execute(db);
  return new Map(rows.rows.map((r) => [r.d, { at: r.at, later: r.later }]));
}
