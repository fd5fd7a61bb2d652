import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { recordAudit } from '../audit/index.ts';

/** Why post to an address came back; the print provider's return reasons. */
export type AddressDoubtReason = 'unknown_addressee' | 'moved' | 'insufficient_address' | 'deceased' | 'other';

/**
 * Notes in the registry, in the caller's transaction, that post to a recipient's postal address came back: the
 * address is doubtful from the first return until an import brings a new one (population-batch.ts,
 * population-events.ts, business-batch.ts clear it). A later return keeps the first date and gives the latest reason.
 * Audited on the recipient's mailbox. Returns false for an unknown recipient.
 */
export async function markAddressDoubtful(
  trx: Db,
  doubt: { recipientId: string; reason: AddressDoubtReason; since: Date; messageId: string },
): Promise<boolean> {
  const updated = await trx
    .updateTable('recipient')
    .set({
      address_doubtful_since: sql<Date>`coalesce(address_doubtful_since, ${doubt.since}::timestamptz)`,
      address_doubt_reason: doubt.reason,
    })
    .where('id', '=', doubt.recipientId)
    .returning('id')
    .executeTakeFirst();
  if (!updated) return false;
  await recordAudit(trx, {
    actorKind: 'system',
    actorId: 'print-provider',
    action: 'registry.address_doubtful',
    subjectType: 'recipient',
    subjectId: doubt.recipientId,
    mailboxRecipientId: doubt.recipientId,
    details: { reason: doubt.reason, messageId: doubt.messageId },
  });
  return true;
}

/**
 * The SET fragment with which an import's update clears the doubt when it brings a new address: `row` is the updated
 * table's name or alias, `incoming` the new (address_lines, postcode, city) as a row expression. SET expressions read the row as it was before the update.
 */
export function clearDoubtOnNewAddress(row: 'recipient' | 'r', incoming: RawBuilder<unknown>): RawBuilder<unknown> {
  const r = sql.table(row);
  const changed = sql`(${r}.address_lines, ${r}.postcode, ${r}.city) is distinct from ${incoming}`;
  return sql`address_doubtful_since = case when ${changed} then null else ${r}.address_doubtful_since end,
    address_doubt_reason = case when ${changed} then null else ${r}.address_doubt_reason end`;
}
