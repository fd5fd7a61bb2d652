import path from 'node:path';
import type { Services } from '../../services.ts';
import { listPrintBatches as selectPrintBatches } from './print.repository.ts';

export interface PrintBatchSummary {
  id: string;
  state: 'ready' | 'confirmed';
  createdAt: string;
  readyAt: string | null;
  confirmedAt: string | null;
  letters: number;
  pages: number;
  /** The batch folder, relative to Kuvert's data folder: `print/outbox/<id>`. */
  folder: string;
}

/** Batches for the print provider, oldest first: 'ready' to collect and print, or already 'confirmed'. */
export async function listPrintBatches(
  services: Services,
  options: { state: 'ready' | 'confirmed'; limit: number },
): Promise<PrintBatchSummary[]> {
  const rows = await selectPrintBatches(services.db, options.state, options.limit);
  return rows.map((row) => ({
    id: row.id,
    state: options.state,
    createdAt: row.created_at.toISOString(),
    readyAt: row.ready_at?.toISOString() ?? null,
    confirmedAt: row.confirmed_at?.toISOString() ?? null,
    letters: row.letters,
    pages: row.pages,
    folder: path.posix.join('print', 'outbox', row.id),
  }));
}
