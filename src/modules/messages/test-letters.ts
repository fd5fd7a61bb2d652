import { sql } from 'kysely';
import { notFound } from '../../http/problem.ts';
import type { Services } from '../../services.ts';

/** A test letter as its sender's test mailbox lists it. The recipient's number comes masked, never whole. */
export interface TestLetterSummary {
  id: string;
  label: string;
  senderReference: string | null;
  /** CPR as "ddmmyy-****" (the birth date part only), CVR as it is (a business number is public). */
  recipient: string;
  recipientKind: 'person' | 'business';
  /** The routing outcome (mailbox, print, nemsms or a failure reason); null while not yet due (scheduled). */
  route: string | null;
  messageType: string;
  receivedAt: Date;
  routedAt: Date | null;
}

export interface TestLetterPage {
  letters: TestLetterSummary[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The masked number a test mailbox shows: never a whole CPR number. */
export const maskedRecipient = (r: { kind: string; cpr: string | null; cvr: string | null }) =>
  r.kind === 'person' ? `${(r.cpr ?? '').slice(0, 6)}-****` : `CVR ${r.cvr ?? ''}`;

interface Row {
  id: string;
  label: string;
  sender_reference: string | null;
  kind: 'person' | 'business';
  cpr: string | null;
  cvr: string | null;
  test_route: string | null;
  message_type: string;
  received_at: Date;
  test_routed_at: Date | null;
}

const summary = (r: Row): TestLetterSummary => ({
  id: r.id,
  label: r.label,
  senderReference: r.sender_reference,
  recipient: maskedRecipient(r),
  recipientKind: r.kind,
  route: r.test_route,
  messageType: r.message_type,
  receivedAt: r.received_at,
  routedAt: r.test_routed_at,
});

/**
 * One page of a sender's test letters (sent with a test credential, test-mode.ts), newest first, keyset-paged on
 * (received_at, id). Only test letters: a live letter is never in it, and a test letter never in a mailbox.
 */
export async function listTestLetters(
  services: Services,
  senderId: string,
  options: { before?: string; limit?: number } = {},
): Promise<TestLetterPage> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  const before = options.before && UUID.test(options.before) ? options.before : null;
  const { rows } = await sql<Row>`
    select m.id, m.label, m.sender_reference, r.kind, r.cpr, r.cvr, m.test_route, m.message_type, m.received_at,
           m.test_routed_at
    from message m join recipient r on r.id = m.recipient_id
    where m.sender_id = ${senderId} and m.test
      ${
        before
          ? sql`and (m.received_at, m.id) < (select c.received_at, c.id from message c
                 where c.id = ${before} and c.sender_id = ${senderId} and c.test)`
          : sql``
      }
    order by m.received_at desc, m.id desc
    limit ${limit + 1}
  `.execute(services.db);
  const page = rows.slice(0, limit);
  return { letters: page.map(summary), nextBefore: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
}

export interface TestLetterDocument {
  position: number;
  title: string;
  filename: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
}

/** One test letter of the sender, with its documents and what the recipient would read as its notification. */
export async function findTestLetter(
  services: Services,
  senderId: string,
  messageId: string,
): Promise<TestLetterSummary & { notification: string | null; documents: TestLetterDocument[] }> {
  if (!UUID.test(messageId)) throw notFound('message');
  const { rows } = await sql<Row & { notification: string | null }>`
    select m.id, m.label, m.sender_reference, r.kind, r.cpr, r.cvr, m.test_route, m.message_type, m.received_at,
           m.test_routed_at, m.notification
    from message m join recipient r on r.id = m.recipient_id
    where m.id = ${messageId} and m.sender_id = ${senderId} and m.test
  `.execute(services.db);
  const row = rows[0];
  // Another sender's letter, or a live one, is "not found": the test mailbox shows nothing else.
  if (!row) throw notFound('message');
  const documents = await services.db
    .selectFrom('message_document')
    .select(['position', 'title', 'filename', 'media_type', 'size_bytes', 'sha256'])
    .where('message_id', '=', row.id)
    .orderBy('position')
    .execute();
  return {
    ...summary(row),
    notification: row.notification,
    documents: documents.map((d) => ({
      position: d.position,
      title: d.title,
      filename: d.filename,
      mediaType: d.media_type,
      sizeBytes: Number(d.size_bytes),
      sha256: d.sha256,
    })),
  };
}
