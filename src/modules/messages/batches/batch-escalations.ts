import type { Db } from '../../../db/database.ts';
import { AppError } from '../../../http/problem.ts';
import {
  checkEscalationInput,
  findEscalationPlans,
  insertLetterEscalations,
  type ResolvedEscalation,
  unknownPlan,
} from '../../notify/index.ts';
import type { ParsedItem } from './batch-item.ts';

/**
 * The escalation plans of a chunk's items (batch lines, CSV rows, MeMo entries that give one), resolved with one
 * query for the named plans the chunk uses: by messageUuid, the plan to store; or, for an item naming a plan the
 * sender does not have (or one that prints a mandatory letter), the AppError that fails its line.
 */
export async function resolveChunkEscalations(
  db: Db,
  senderId: string,
  items: readonly ParsedItem[],
): Promise<{ plans: Map<string, ResolvedEscalation>; refused: Map<string, AppError> }> {
  const plans = new Map<string, ResolvedEscalation>();
  const refused = new Map<string, AppError>();
  const names = items.flatMap((i) => (i.escalation && 'plan' in i.escalation ? [i.escalation.plan] : []));
  const named = await findEscalationPlans(db, senderId, names);
  const field = (item: ParsedItem) => item.escalationField ?? '/escalation';
  for (const item of items) {
    const choice = item.escalation;
    if (!choice) continue;
    if ('steps' in choice) {
      plans.set(item.messageUuid, { planName: null, source: 'letter', steps: choice.steps });
      continue;
    }
    const steps = named.get(choice.plan);
    if (!steps) {
      refused.set(item.messageUuid, unknownPlan(`${field(item)}/plan`));
      continue;
    }
    try {
      // The named plan's steps, checked against this letter (a mandatory letter is never printed).
      checkEscalationInput({ steps }, field(item), { mandatory: item.mandatory });
      plans.set(item.messageUuid, { planName: choice.plan, source: 'named', steps });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      refused.set(item.messageUuid, error);
    }
  }
  return { plans, refused };
}

/** Stores the plans of the letters a chunk inserted (one statement; a letter's plan replaces the default's). */
export async function storeChunkEscalations(
  trx: Db,
  inserted: ReadonlyMap<string, { id: string }>,
  plans: ReadonlyMap<string, ResolvedEscalation>,
): Promise<void> {
  const rows = [...plans].flatMap(([uuid, plan]) => {
    const message = inserted.get(uuid);
    return message ? [{ messageId: message.id, ...plan }] : [];
  });
  await insertLetterEscalations(trx, rows);
}
