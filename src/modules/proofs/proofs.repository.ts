import type { Db } from '../../db/database.ts';

/** A stored proof of a letter's fact. */
export async function findLetterProof(db: Db, messageId: string, fact: string) {
  return db
    .selectFrom('letter_proof')
    .select(['message_id', 'fact', 'occurred_at', 'pdf', 'sha256', 'kid'])
    .where('message_id', '=', messageId)
    .where('fact', '=', fact)
    .executeTakeFirst();
}

/**
 * Keeps a proof; a proof already kept (made at the same time by another request) wins and is left as it is. True if
 * this call kept it.
 */
export async function insertLetterProof(
  db: Db,
  proof: {
    messageId: string;
    fact: string;
    senderId: string;
    occurredAt: Date;
    pdf: Buffer;
    sha256: string;
    kid: string;
  },
): Promise<boolean> {
  const inserted = await db
    .insertInto('letter_proof')
    .values({
      message_id: proof.messageId,
      fact: proof.fact,
      sender_id: proof.senderId,
      occurred_at: proof.occurredAt,
      pdf: proof.pdf,
      sha256: proof.sha256,
      kid: proof.kid,
    })
    .onConflict((oc) => oc.columns(['message_id', 'fact']).doNothing())
    .returning('fact')
    .executeTakeFirst();
  return inserted !== undefined;
}
