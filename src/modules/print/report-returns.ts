import { AppError } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import { type MessageEvent, recordMessageEvents } from '../events/index.ts';
import { markAddressDoubtful } from '../registry/index.ts';
import { lockPrintJobsForReturn, markPrintReturned } from './print.repository.ts';
import type { ReturnReason } from './print.tables.ts';

export const RETURN_REASONS = [
  'unknown_addressee',
  'moved',
  'refused',
  'insufficient_address',
  'deceased',
  'other',
] as const satisfies readonly ReturnReason[];

/** One returned letter as the print provider reports it. */
export interface ReturnedLetter {
  letterId: string;
  reason: ReturnReason;
  returnedAt: Date;
}

export interface ReturnsResult {
  /** Returns recorded by this call (event written, status and registry updated). */
  recorded: number;
  /** Returns reported before (or twice in this report): nothing changed for them. */
  alreadyRecorded: number;
  letters: { letterId: string; outcome: 'recorded' | 'already_recorded' }[];
}

// The clocks of the provider and Kuvert may differ a little; a return a day ahead is a mistake.
const CLOCK_SLACK_MS = 10 * 60_000;

/**
 * The print provider reports letters the post brought back. For each letter not reported before: the print job
 * records the return, the sender gets RETURNED_TO_SENDER with the reason (event feed, webhooks; the messages module's
 * trigger makes the letter 'returned'), and the registry marks the recipient's postal address as doubtful, unless
 * the recipient refused the letter (then the address is right). All or nothing: an unknown letter or one not posted
 * yet refuses the whole report and changes nothing. Reporting a letter again changes nothing and answers the same.
 */
export async function reportReturnedLetters(
  services: Services,
  returns: readonly ReturnedLetter[],
  now: Date = new Date(),
): Promise<ReturnsResult> {
  returns.forEach((r, i) => {
    if (r.returnedAt.getTime() > now.getTime() + CLOCK_SLACK_MS) {
      throw new AppError(
        422,
        'print_return_in_future',
        'A letter cannot have come back later than now.',
        `/returns/${i}/returnedAt`,
      );
    }
  });
  return services.db.transaction().execute(async (trx) => {
    const jobs = await lockPrintJobsForReturn(trx, [...new Set(returns.map((r) => r.letterId.toLowerCase()))]);
    const byId = new Map(jobs.map((job) => [job.message_id, job]));
    returns.forEach((r, i) => {
      const job = byId.get(r.letterId.toLowerCase());
      if (!job) {
        throw new AppError(
          422,
          'print_return_unknown_letter',
          'There is no paper letter with this id.',
          `/returns/${i}/letterId`,
        );
      }
      if (job.state !== 'sent') {
        throw new AppError(
          409,
          'print_return_not_posted',
          'This letter has not been confirmed as posted, so it cannot have come back.',
          `/returns/${i}/letterId`,
        );
      }
    });

    const result: ReturnsResult = { recorded: 0, alreadyRecorded: 0, letters: [] };
    const events: MessageEvent[] = [];
    for (const r of returns) {
      const job = byId.get(r.letterId.toLowerCase()) as (typeof jobs)[number];
      const recorded = await markPrintReturned(trx, job.message_id, { at: r.returnedAt, reason: r.reason });
      result.letters.push({ letterId: job.message_id, outcome: recorded ? 'recorded' : 'already_recorded' });
      if (!recorded) {
        result.alreadyRecorded++;
        continue;
      }
      result.recorded++;
      events.push({
        messageId: job.message_id,
        senderId: job.sender_id,
        type: 'RETURNED_TO_SENDER',
        data: { channel: 'print', reason: r.reason },
        occurredAt: r.returnedAt,
      });
      if (r.reason !== 'refused') {
        await markAddressDoubtful(trx, {
          recipientId: job.recipient_id,
          reason: r.reason,
          since: r.returnedAt,
          messageId: job.message_id,
        });
      }
    }
    await recordMessageEvents(trx, events);
    return result;
  });
}
