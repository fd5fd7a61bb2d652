import type { Db } from '../../db/database.ts';

export async function findRecipientByIdentifier(db: Db, id: { cpr?: string; cvr?: string }) {
  let query = db.selectFrom('recipient').select(['id', 'kind', 'enrolment', 'name']);
  query = id.cpr ? query.where('cpr', '=', id.cpr) : query.where('cvr', '=', id.cvr ?? '');
  return query.executeTakeFirst();
}

export async function findMessageBySenderUuid(db: Db, senderId: string, messageUuid: string) {
  return db
    .selectFrom('message')
    .select(['id', 'content_hash'])
    .where('sender_id', '=', senderId)
    .where('message_uuid', '=', messageUuid)
    .executeTakeFirst();
}

/**
 * A sender's view of one of its own letters (null if it does not exist or belongs to another sender): the letter with
 * its documents, actions and events, read from one snapshot (a read-only repeatable-read transaction), so its status
 * and its events always agree, even while it is being routed or delivered.
 */
export async function findSenderMessage(db: Db, senderId: string, messageId: string) {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const message = await trx
        .selectFrom('message')
        .selectAll()
        .where('id', '=', messageId)
        .where('sender_id', '=', senderId)
        .where('forwarded_from', 'is', null)
        .executeTakeFirst();
      if (!message) return null;
      const documents = await trx
        .selectFrom('message_document')
        .selectAll()
        .where('message_id', '=', messageId)
        .orderBy('position')
        .execute();
      const actions = await trx
        .selectFrom('message_action')
        .selectAll()
        .where('message_id', '=', messageId)
        .orderBy('position')
        .execute();
      const events = await trx
        .selectFrom('message_event_expanded')
        .select(['type', 'occurred_at', 'data'])
        .where('message_id', '=', messageId)
        .orderBy('id')
        .execute();
      return { message, documents, actions, events };
    });
}
