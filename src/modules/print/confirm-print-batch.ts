import { AppError } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import { recordMessageEvents } from '../events/index.ts';
import { lockPrintBatch, markBatchLettersSent, markPrintBatchConfirmed } from './print.repository.ts';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface PrintBatchConfirmation {
  batchId: string;
  confirmedAt: Date;
  letters: number;
  /** Letters marked sent by this call; 0 when the batch was confirmed before. */
  newlySent: number;
}

/**
 * The print provider has printed and posted a batch: every letter in it gets PHYSICAL_LETTER_SENT, once. Confirming
 * again changes nothing and answers the same. Unknown batch: 404; a batch not yet in the outbox: 409.
 */
export async function confirmPrintBatch(services: Services, batchId: string): Promise<PrintBatchConfirmation> {
  if (!UUID_RE.test(batchId)) throw unknownBatch();
  return services.db.transaction().execute(async (trx) => {
    const batch = await lockPrintBatch(trx, batchId);
    if (!batch) throw unknownBatch();
    if (batch.state === 'building') {
      throw new AppError(409, 'print_batch_not_ready', 'This print batch has not reached the outbox yet.');
    }
    const now = new Date();
    const confirmedAt = batch.confirmed_at ?? now;
    const sent = await markBatchLettersSent(trx, batchId, confirmedAt);
    await recordMessageEvents(
      trx,
      sent.map((letter) => ({
        messageId: letter.id,
        senderId: letter.sender_id,
        type: 'PHYSICAL_LETTER_SENT',
        data: { printBatchId: batchId },
        occurredAt: now,
      })),
    );
    await markPrintBatchConfirmed(trx, batchId, confirmedAt);
    return { batchId, confirmedAt, letters: batch.letters, newlySent: sent.length };
  });
}

const unknownBatch = () => new AppError(404, 'print_batch_not_found', 'There is no print batch with this id.');
