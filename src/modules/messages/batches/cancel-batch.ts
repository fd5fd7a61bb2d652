import { AppError } from '../../../http/problem.ts';
import type { Services } from '../../../services.ts';
import { recordAudit } from '../../audit/index.ts';
import { type BatchStatus, getBatch } from './get-batch.ts';
import { type BatchSubmitter, batchActor } from './submit-batch.ts';

/**
 * Cancels a batch: processing stops at the next chunk boundary (the chunk in flight is rolled back). Letters
 * already accepted stay sent — cancelling is not recalling. A finished batch cannot be cancelled (409).
 */
export async function cancelBatch(services: Services, caller: BatchSubmitter, id: string): Promise<BatchStatus> {
  const current = await getBatch(services, caller.senderId, id);
  if (current.state === 'cancelled') return current;
  const unchanged = new Error('not cancellable');
  const changed = await services.db
    .transaction()
    .execute(async (trx) => {
      // The audit chain's lock first, as a batch chunk takes it, so the two never wait on each other in a circle.
      await recordAudit(trx, {
        ...batchActor(caller),
        action: 'batch.cancel',
        subjectType: 'batch',
        subjectId: id,
      });
      const row = await trx
        .updateTable('batch')
        .set({ state: 'cancelled', finished_at: new Date(), lease_owner: null, lease_until: null })
        .where('id', '=', id)
        .where('sender_id', '=', caller.senderId)
        .where('state', 'in', ['received', 'processing'])
        .returning('id')
        .executeTakeFirst();
      if (!row) throw unchanged; // rolls the audit row back
      return true;
    })
    .catch((error) => {
      if (error === unchanged) return false;
      throw error;
    });
  const after = await getBatch(services, caller.senderId, id);
  if (!changed && after.state !== 'cancelled') {
    throw new AppError(
      409,
      'batch_finished',
      `The batch has already ${after.state === 'failed' ? 'failed' : 'completed'}.`,
    );
  }
  return after;
}
