import { sql } from 'kysely';
import type { Services } from '../services.ts';

const BATCH = 500;

/**
 * Removes stored files that no `document` row names and that were last put longer ago than the grace period
 * (config.documents.orphanGraceHours): what a transaction that failed, or a process that died, after its bytes were
 * written left behind. Every writer inserts the `document` row in the transaction that names the file (letters,
 * replies, batches); such rows are never deleted, so a file shared by several letters stays as long as any did. The
 * grace period covers writers whose transaction has not committed yet; a put() of bytes already stored restarts it.
 */
export async function sweepOrphanDocuments(
  services: Pick<Services, 'db' | 'documents' | 'config'>,
  now = new Date(),
): Promise<{ checked: number; removed: number }> {
  const cutoff = new Date(now.getTime() - services.config.documents.orphanGraceHours * 3600_000);
  let checked = 0;
  let removed = 0;
  let candidates: string[] = [];
  const sweep = async () => {
    const named = await sql<{ sha256: string }>`
      select sha256 from document where sha256 = any(${candidates}::bpchar[])`.execute(services.db);
    const keep = new Set(named.rows.map((r) => r.sha256.trim()));
    for (const sha256 of candidates) {
      if (!keep.has(sha256) && (await services.documents.removeIfPutBefore(sha256, cutoff))) removed++;
    }
    checked += candidates.length;
    candidates = [];
  };
  for await (const sha256 of services.documents.listPutBefore(cutoff)) {
    candidates.push(sha256);
    if (candidates.length >= BATCH) await sweep();
  }
  if (candidates.length) await sweep();
  return { checked, removed };
}
