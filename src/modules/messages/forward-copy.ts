import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

/**
 * Inside the caller's transaction: puts a copy of letter `originalId` into `recipientId`'s mailbox, available at
 * `at`, and returns its id. The copy names the same documents (same sha256: the content-addressed bytes are not
 * copied), keeps the original's label and sender name for the reader, and marks itself `forwarded_from`, which keeps
 * it out of everything the sender sees (API, portal, feed, statistics): the sender delivered one letter, to one
 * recipient. It is not a legal notification, takes no reply and carries no actions (those were the original
 * recipient's); no message event is written. Null if the original is not in a mailbox (not available, recalled).
 */
export async function insertForwardedCopy(
  trx: Db,
  input: { originalId: string; recipientId: string; at: Date },
): Promise<string | null> {
  const { rows } = await sql<{ id: string }>`
    insert into message (sender_id, recipient_id, message_uuid, content_hash, label, status, received_at,
                         available_at, message_type, mandatory, legal_notification, reply_allowed, forwarded_from)
    select m.sender_id, ${input.recipientId}, gen_random_uuid(), m.content_hash, m.label, 'available', ${input.at},
           ${input.at}, 'DIGITALPOST', false, false, false, m.id
      from message m
     where m.id = ${input.originalId} and m.available_at is not null and m.recalled_at is null
    returning id
  `.execute(trx);
  const id = rows[0]?.id;
  if (!id) return null;
  await sql`
    insert into message_document (message_id, position, title, filename, media_type, sha256, size_bytes, role,
                                  document_id, language)
    select ${id}, d.position, d.title, d.filename, d.media_type, d.sha256, d.size_bytes, d.role, d.document_id,
           d.language
      from message_document d
     where d.message_id = ${input.originalId} and d.role <> 'technical'
  `.execute(trx);
  return id;
}
