import { AppError, notFound } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import { type MemoVersion, toMemoXml } from './memo/index.ts';
import { fromStoredMemo, type StoredMemoMessage } from './stored-memo.ts';

/**
 * One of the sender's letters as a MeMo document (1.1 or 1.2; by default the version it came in, else 1.2), with
 * its files. Letters stored without a MeMo model (none sent through the API) are 409 memo_unavailable.
 */
export async function exportMemo(
  services: Services,
  senderId: string,
  messageId: string,
  version?: MemoVersion,
): Promise<string> {
  if (!/^[0-9a-f-]{36}$/i.test(messageId)) throw notFound('message');
  const row = await services.db
    .selectFrom('message')
    .select(['memo', 'memo_version'])
    .where('id', '=', messageId.toLowerCase())
    .where('sender_id', '=', senderId)
    .executeTakeFirst();
  if (!row) throw notFound('message');
  if (!row.memo) {
    throw new AppError(409, 'memo_unavailable', 'This letter was stored without a MeMo model and cannot be exported.');
  }
  const message = await fromStoredMemo(row.memo as StoredMemoMessage, (sha) => services.documents.get(sha));
  return toMemoXml(message, version ?? row.memo_version ?? '1.2');
}
