import type { Selectable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { ContactDetailTable } from '../../db/schema.ts';

export type ContactDetailRow = Selectable<ContactDetailTable>;

/** Locks the person's row for the rest of the transaction, so limits are checked and applied by one writer at a time. */
export async function lockRecipient(trx: Db, recipientId: string): Promise<boolean> {
  const row = await trx
    .selectFrom('recipient')
    .select('id')
    .where('id', '=', recipientId)
    .forNoKeyUpdate()
    .executeTakeFirst();
  return row !== undefined;
}

/** All contact details of one person: e-mail addresses first, then the mobile number, oldest first. */
export async function listContactDetailRows(db: Db, recipientId: string): Promise<ContactDetailRow[]> {
  return db
    .selectFrom('contact_detail')
    .selectAll()
    .where('recipient_id', '=', recipientId)
    .orderBy('kind')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** One of the person's own contact details (locked for update when inside a transaction); undefined otherwise. */
export async function findContactDetailForUpdate(
  trx: Db,
  recipientId: string,
  id: string,
): Promise<ContactDetailRow | undefined> {
  return trx
    .selectFrom('contact_detail')
    .selectAll()
    .where('id', '=', id)
    .where('recipient_id', '=', recipientId)
    .forUpdate()
    .executeTakeFirst();
}

export async function insertContactDetail(
  trx: Db,
  values: {
    id: string;
    recipientId: string;
    kind: 'email' | 'mobile';
    value: string;
    createdAt: Date;
    codeHash: string;
    codeExpiresAt: Date;
    codesSentAt: Date[];
  },
): Promise<void> {
  await trx
    .insertInto('contact_detail')
    .values({
      id: values.id,
      recipient_id: values.recipientId,
      kind: values.kind,
      value: values.value,
      created_at: values.createdAt,
      code_hash: values.codeHash,
      code_expires_at: values.codeExpiresAt,
      code_attempts: 0,
      codes_sent_at: values.codesSentAt,
    })
    .execute();
}

/** A fresh code replaces any earlier one and resets the attempts. */
export async function storeNewCode(
  trx: Db,
  id: string,
  code: { hash: string; expiresAt: Date; codesSentAt: Date[] },
): Promise<void> {
  await trx
    .updateTable('contact_detail')
    .set({ code_hash: code.hash, code_expires_at: code.expiresAt, code_attempts: 0, codes_sent_at: code.codesSentAt })
    .where('id', '=', id)
    .execute();
}

/** A wrong code: one more attempt used; with `voidCode` the code stops working. */
export async function recordWrongCode(trx: Db, id: string, attempts: number, voidCode: boolean): Promise<void> {
  await trx
    .updateTable('contact_detail')
    .set({
      code_attempts: attempts,
      ...(voidCode ? { code_hash: null, code_expires_at: null } : {}),
    })
    .where('id', '=', id)
    .execute();
}

export async function clearCode(trx: Db, id: string): Promise<void> {
  await trx
    .updateTable('contact_detail')
    .set({ code_hash: null, code_expires_at: null })
    .where('id', '=', id)
    .execute();
}

/** Confirmed now: the first confirmation time is kept, the last one moves, delivery failures are forgotten. */
export async function markConfirmed(trx: Db, id: string, now: Date): Promise<void> {
  await trx
    .updateTable('contact_detail')
    .set((eb) => ({
      confirmed_at: eb.fn.coalesce('confirmed_at', eb.val(now)),
      last_confirmed_at: now,
      failing_since: null,
      code_hash: null,
      code_expires_at: null,
      code_attempts: 0,
    }))
    .where('id', '=', id)
    .execute();
}

/** Deletes one of the person's own details; returns its kind, or undefined when there is no such detail. */
export async function deleteContactDetail(
  trx: Db,
  recipientId: string,
  id: string,
): Promise<'email' | 'mobile' | undefined> {
  const row = await trx
    .deleteFrom('contact_detail')
    .where('id', '=', id)
    .where('recipient_id', '=', recipientId)
    .returning('kind')
    .executeTakeFirst();
  return row?.kind;
}

/** The codes sent to a person since `since` (all their details, including removed ones): how many and the oldest. */
export async function countCodesSentToPerson(
  db: Db,
  recipientId: string,
  since: Date,
): Promise<{ count: number; oldest: Date | null }> {
  const row = await db
    .selectFrom('contact_code_send')
    .select((eb) => [eb.fn.countAll<string>().as('count'), eb.fn.min('sent_at').as('oldest')])
    .where('recipient_id', '=', recipientId)
    .where('sent_at', '>', since)
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), oldest: row.oldest ? new Date(row.oldest) : null };
}

/** Records one code sent to a person and forgets those older than `forgetBefore`. */
export async function recordCodeSentToPerson(
  trx: Db,
  recipientId: string,
  sentAt: Date,
  forgetBefore: Date,
): Promise<void> {
  await trx
    .deleteFrom('contact_code_send')
    .where('recipient_id', '=', recipientId)
    .where('sent_at', '<', forgetBefore)
    .execute();
  await trx.insertInto('contact_code_send').values({ recipient_id: recipientId, sent_at: sentAt }).execute();
}

/** Confirmed, not failing, confirmed after `confirmedAfter`: the details notifications may use. */
export async function listUsableContactDetailRows(
  db: Db,
  recipientId: string,
  confirmedAfter: Date,
): Promise<{ id: string; kind: 'email' | 'mobile'; value: string }[]> {
  return db
    .selectFrom('contact_detail')
    .select(['id', 'kind', 'value'])
    .where('recipient_id', '=', recipientId)
    .where('confirmed_at', 'is not', null)
    .where('failing_since', 'is', null)
    .where('last_confirmed_at', '>', confirmedAfter)
    .orderBy('kind')
    .orderBy('created_at')
    .execute();
}

/** Which of these recipients have at least one usable detail (same rule as listUsableContactDetailRows). */
export async function listRecipientsWithUsableContactDetails(
  db: Db,
  recipientIds: string[],
  confirmedAfter: Date,
): Promise<string[]> {
  const rows = await db
    .selectFrom('contact_detail')
    .select('recipient_id')
    .distinct()
    .where('recipient_id', '=', (eb) => eb.fn.any(eb.val(recipientIds)))
    .where('confirmed_at', 'is not', null)
    .where('failing_since', 'is', null)
    .where('last_confirmed_at', '>', confirmedAfter)
    .execute();
  return rows.map((row) => row.recipient_id);
}
