import { AppError, notFound } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import { type MemoVersion, toMemoXml, validateMemoSchema } from './memo/index.ts';
import { loadLetterRows, memoFromRows } from './memo-from-rows.ts';
import { fromStoredMemo, type StoredMemoMessage } from './stored-memo.ts';

/**
 * One of the sender's letters as a MeMo document (1.1 or 1.2; by default the version it came in, else 1.2), with
 * its files. A letter stored with its MeMo model (single letters, MeMo batch entries) is exported from that model;
 * one stored without (JSON and CSV batch letters) from its rows: message, sender, recipient, documents, actions.
 * The document is checked against the MeMo schema of the version before it is handed out.
 */
export async function exportMemo(
  services: Services,
  senderId: string,
  messageId: string,
  version?: MemoVersion,
): Promise<string> {
  if (!/^[0-9a-f-]{36}$/i.test(messageId)) throw notFound('message');
  const id = messageId.toLowerCase();
  const row = await services.db
    .selectFrom('message')
    .select(['memo', 'memo_version'])
    .where('id', '=', id)
    .where('sender_id', '=', senderId)
    .where('forwarded_from', 'is', null)
    .executeTakeFirst();
  if (!row) throw notFound('message');
  let stored = row.memo as StoredMemoMessage | null;
  if (!stored) {
    const rows = await loadLetterRows(services.db, senderId, id);
    if (!rows) throw notFound('message');
    stored = memoFromRows(rows);
  }
  const message = await fromStoredMemo(stored, (sha) => services.documents.get(sha));
  const target = version ?? row.memo_version ?? '1.2';
  const xml = toMemoXml(message, target);
  const verdict = await validateMemoSchema(xml, target);
  if (verdict.outcome !== 'valid') {
    // Element names only: libxml2's messages quote values, and a value may be a CPR number.
    const elements = [...new Set(verdict.issues.map((i) => i.element).filter((e) => e !== undefined))];
    throw new AppError(
      409,
      'memo_unavailable',
      `This letter cannot be written as valid MeMo ${target}${elements.length ? ` (${elements.join(', ')})` : ''}.`,
    );
  }
  return xml;
}
