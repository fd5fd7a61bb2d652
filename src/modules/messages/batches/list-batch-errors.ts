import type { Services } from '../../../services.ts';
import { listItemErrors } from './batches.repository.ts';
import { getBatch } from './get-batch.ts';

export interface BatchErrorPage {
  errors: {
    line: number;
    entry: string | null;
    messageUuid: string | null;
    code: string;
    field: string | null;
    detail: string;
  }[];
  /** Pass as `after` for the next page; null when this page is the last one so far. */
  next: string | null;
}

/** The failed items of a sender's batch, by line number, a page at a time (cursor: the last line seen). */
export async function listBatchErrors(
  services: Services,
  senderId: string,
  id: string,
  options: { after?: number; limit?: number },
): Promise<BatchErrorPage> {
  await getBatch(services, senderId, id); // 404 for another sender's batch
  const limit = Math.min(Math.max(options.limit ?? 100, 1), 1000);
  const rows = await listItemErrors(services.db, id, options.after ?? 0, limit);
  return {
    errors: rows.map((r) => ({
      line: r.line,
      entry: r.entry,
      messageUuid: r.message_uuid,
      code: r.code,
      field: r.field,
      detail: r.detail,
    })),
    next: rows.length === limit ? String(rows.at(-1)?.line) : null,
  };
}
