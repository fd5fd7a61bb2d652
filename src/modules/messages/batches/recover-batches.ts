import type { Services } from '../../../services.ts';
import { stalledBatches, watchBatch } from './batches.repository.ts';

/**
 * Schedules a fresh "process-batch" job for every unfinished batch, to run when its lease expires. A worker killed
 * mid-batch leaves its job locked (graphile-worker frees it only after hours); this lets the batch resume from its
 * committed chunks soon after a restart. Harmless when the batch is healthy: the job finds the lease held, looks
 * again when it would expire, and otherwise ends.
 */
export async function recoverBatches(services: Services): Promise<number> {
  const batches = await stalledBatches(services.db);
  for (const batch of batches) await watchBatch(services.db, batch.id);
  return batches.length;
}
