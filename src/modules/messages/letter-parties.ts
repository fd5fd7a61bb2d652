import type { Db } from '../../db/database.ts';

/** Who sent a letter and to whom, as a proof of its legal facts shows them: the recipient never by full CPR number. */
export interface LetterParties {
  senderName: string;
  senderCvr: string | null;
  recipientKind: 'person' | 'business';
  /** A person as their birth date part of the CPR number with the last four digits masked (DDMMYY-****); a business by CVR. */
  recipientMasked: string;
  /** Kuvert's pseudonymous id of the recipient. */
  recipientId: string;
}

/** A sender's own letter's parties (not a forwarded copy); undefined when the letter is not the sender's. */
export async function findLetterParties(
  db: Db,
  senderId: string,
  messageId: string,
): Promise<LetterParties | undefined> {
  const row = await db
    .selectFrom('message as m')
    .innerJoin('sender as s', 's.id', 'm.sender_id')
    .innerJoin('recipient as r', 'r.id', 'm.recipient_id')
    .select(['s.name as sender_name', 's.cvr as sender_cvr', 'r.id as recipient_id', 'r.kind', 'r.cpr', 'r.cvr'])
    .where('m.id', '=', messageId)
    .where('m.sender_id', '=', senderId)
    .where('m.forwarded_from', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    senderName: row.sender_name,
    senderCvr: row.sender_cvr,
    recipientKind: row.kind,
    recipientMasked: row.kind === 'person' ? maskCpr(row.cpr) : `CVR ${row.cvr ?? ''}`,
    recipientId: row.recipient_id,
  };
}

/** DDMMYY-****: the date part of a CPR number (which many share), never its last four digits. */
export function maskCpr(cpr: string | null): string {
  const digits = (cpr ?? '').replace(/\D/g, '');
  return digits.length === 10 ? `${digits.slice(0, 6)}-****` : '******-****';
}
