import type { Db } from '../../db/database.ts';
import type { ErrorCode } from '../../http/errors.ts';
import { AppError } from '../../http/problem.ts';
import { MEMO_DELETE_AFTER_FIELD } from './memo/kuvert-retention.ts';
import type { MessageDraft } from './message-draft.ts';
import { checkDeleteAfter, DELETE_AFTER_FIELD, effectiveDeleteAfter } from './retention.ts';

/** The sender's default retention in years (sender.retention_years), or null. */
export async function senderRetentionYears(db: Db, senderId: string): Promise<number | null> {
  const row = await db.selectFrom('sender').select('retention_years').where('id', '=', senderId).executeTakeFirst();
  return row?.retention_years ?? null;
}

/** The letter's messageUuid was used by a letter since purged: refused, so a key never names two letters. */
export async function refuseTombstonedUuid(db: Db, senderId: string, messageUuid: string): Promise<void> {
  const gone = await db
    .selectFrom('message_tombstone')
    .select('message_id')
    .where('sender_id', '=', senderId)
    .where('message_uuid', '=', messageUuid)
    .executeTakeFirst();
  if (gone) {
    throw new AppError(
      409,
      'retention_message_deleted',
      'A letter sent with this messageUuid has been deleted under the retention rules; use a new messageUuid.',
      '/messageUuid',
    );
  }
}

/**
 * The single sending path's retention: refuses a reused messageUuid of a purged letter and a deleteAfter outside
 * (now, now + national maximum], and answers when the letter is to be purged (its own deleteAfter, else the sender's
 * default, else null).
 */
export async function letterDeleteAfter(
  db: Db,
  senderId: string,
  draft: Pick<MessageDraft, 'messageUuid' | 'deleteAfter' | 'memoVersion'>,
  maxYears: number,
  now = new Date(),
): Promise<string | null> {
  await refuseTombstonedUuid(db, senderId, draft.messageUuid);
  if (draft.deleteAfter) {
    const field = draft.memoVersion ? MEMO_DELETE_AFTER_FIELD : DELETE_AFTER_FIELD.json;
    checkDeleteAfter(draft.deleteAfter, now, maxYears, field);
  }
  return effectiveDeleteAfter(draft.deleteAfter, await senderRetentionYears(db, senderId), now);
}

/**
 * The bulk path's retention for one chunk of batch items, looked up once: `problem` is the item's failure (a reused
 * messageUuid of a purged letter, a deleteAfter outside the allowed range) or null; `deleteAfter` is what to store.
 */
/** The fields of a batch item (batches/batch-item.ts's ParsedItem) retention reads. */
type RetentionItem = Pick<MessageDraft, 'messageUuid' | 'deleteAfter' | 'memoVersion'> & {
  line: number;
  entry: string | null;
};

/** A batch item's failure, in the shape of batch-item.ts's ItemError. */
interface RetentionFailure {
  line: number;
  entry: string | null;
  messageUuid: string;
  code: ErrorCode;
  field: string;
  detail: string;
}

export async function batchRetention(
  db: Db,
  senderId: string,
  items: readonly RetentionItem[],
  maxYears: number,
  now = new Date(),
): Promise<{
  problem: (item: RetentionItem) => RetentionFailure | null;
  deleteAfter: (item: Pick<MessageDraft, 'deleteAfter'>) => string | null;
}> {
  const uuids = items.map((i) => i.messageUuid);
  const gone = new Set(
    uuids.length === 0
      ? []
      : (
          await db
            .selectFrom('message_tombstone')
            .select('message_uuid')
            .where('sender_id', '=', senderId)
            .where('message_uuid', 'in', uuids)
            .execute()
        ).map((r) => r.message_uuid),
  );
  const years = await senderRetentionYears(db, senderId);
  return {
    problem: (item) => {
      const fail = (code: ErrorCode, field: string, detail: string): RetentionFailure => ({
        line: item.line,
        entry: item.entry,
        messageUuid: item.messageUuid,
        code,
        field,
        detail,
      });
      if (gone.has(item.messageUuid)) {
        return fail(
          'retention_message_deleted',
          '/messageUuid',
          'A letter sent with this messageUuid has been deleted under the retention rules.',
        );
      }
      if (!item.deleteAfter) return null;
      const field = item.memoVersion ? MEMO_DELETE_AFTER_FIELD : DELETE_AFTER_FIELD.json;
      try {
        checkDeleteAfter(item.deleteAfter, now, maxYears, field);
        return null;
      } catch (error) {
        if (error instanceof AppError) return fail(error.code, field, error.message);
        throw error;
      }
    },
    deleteAfter: (item) => effectiveDeleteAfter(item.deleteAfter, years, now),
  };
}
