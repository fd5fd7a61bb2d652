import { type RawBuilder, sql } from 'kysely';
import type { Enrolment, EnrolmentChangeKind, ClosedReason as SchemaClosedReason } from '../../db/schema.ts';
import { valuesTable } from '../../db/values-table.ts';
import { decideTransition, type EnrolmentCommand, historyNote } from './enrolment.ts';
import type { PopulationEvent } from './population-record.ts';

/**
 * The enrolment rules of the population register in one place. `populationCommands` says which enrolment commands
 * an event gives a person; `decideTransition` (enrolment.ts) says what each does. The line-by-line path
 * (applyPopulationEvent) applies them through changeEnrolment; the set-based paths (the bulk import in
 * population-batch.ts and the daily age rule in age-rules.ts) join a table of every outcome, computed here from the
 * same two functions, so the SQL cannot decide differently from the code.
 */

/** People are closed by death or emigration; 'ceased' (businesses) never meets a population rule. */
type ClosedReason = SchemaClosedReason;

/** A person as the register knows them when an event arrives; null when the CPR number is new. */
export interface KnownPerson {
  enrolment: Enrolment;
  closedReason: ClosedReason | null;
}

/** What the age rule does: the same command a move-in gives, for everyone who has turned 15. */
export type RegistryRuleEvent = PopulationEvent | 'turned_15';

/** The enrolment commands an event gives a person, in the order applyPopulationEvent applies them. */
export function populationCommands(event: RegistryRuleEvent, known: KnownPerson | null): EnrolmentCommand[] {
  if (event === 'turned_15') return known ? [{ type: 'enrol_automatically', reason: 'turned_15' }] : [];
  if (event === 'emigration' || event === 'death') {
    // An unknown CPR or a mailbox already closed: nothing to close.
    return known && known.enrolment !== 'closed' ? [{ type: 'close', reason: event }] : [];
  }
  // An address for an unknown CPR creates the person as if they moved in (the register knows them, so they live here).
  const movesIn = event === 'move_in' || (event === 'address_change' && !known);
  if (!movesIn) return [];
  const commands: EnrolmentCommand[] = [];
  if (known?.enrolment === 'closed' && known.closedReason === 'emigration') {
    commands.push({ type: 'reopen', note: 'moved_in' });
  }
  commands.push({ type: 'enrol_automatically', reason: 'moved_in' });
  return commands;
}

/** One history row of an outcome: the person as found (`known`, 'new' for a new CPR), 15 or older or not. */
export interface PopulationStep {
  event: RegistryRuleEvent;
  known: Enrolment | 'new';
  knownClosedReason: ClosedReason | null;
  adult: boolean;
  step: number;
  kind: EnrolmentChangeKind;
  fromState: Enrolment;
  toState: Enrolment;
  /** The recipient's closed_reason after this step (a close sets it, every other change clears it). */
  closedReason: ClosedReason | null;
  note: string | null;
  /** The step whose state the person ends in. */
  last: boolean;
}

const events: RegistryRuleEvent[] = ['birth', 'move_in', 'address_change', 'emigration', 'death', 'turned_15'];
const states: (KnownPerson | null)[] = [
  null,
  { enrolment: 'not_enrolled', closedReason: null },
  { enrolment: 'automatic', closedReason: null },
  { enrolment: 'voluntary', closedReason: null },
  { enrolment: 'exempted', closedReason: null },
  { enrolment: 'closed', closedReason: 'emigration' },
  { enrolment: 'closed', closedReason: 'death' },
];

/** Every outcome that changes something, by applying populationCommands and decideTransition to every case. */
export function populationSteps(): PopulationStep[] {
  const rows: PopulationStep[] = [];
  for (const event of events) {
    for (const known of states) {
      // A deceased person's registration, move or address is refused before any rule (population-batch.ts).
      if (known?.closedReason === 'death' && event !== 'emigration' && event !== 'death') continue;
      for (const adult of [true, false]) {
        // A new person is created 'not_enrolled' and the commands apply from there.
        let current = {
          kind: 'person' as const,
          enrolment: known?.enrolment ?? ('not_enrolled' as Enrolment),
          closedReason: known?.closedReason ?? null,
          age: adult ? 15 : 14,
        };
        const steps: PopulationStep[] = [];
        for (const command of populationCommands(event, known)) {
          const transition = decideTransition(current, command);
          if (!transition) continue;
          const closedReason = command.type === 'close' ? command.reason : null;
          steps.push({
            event,
            known: known?.enrolment ?? 'new',
            knownClosedReason: known?.closedReason ?? null,
            adult,
            step: steps.length + 1,
            kind: transition.kind,
            fromState: current.enrolment,
            toState: transition.to,
            closedReason,
            note: historyNote(command),
            last: false,
          });
          current = { ...current, enrolment: transition.to, closedReason };
        }
        const lastStep = steps.at(-1);
        if (lastStep) lastStep.last = true;
        rows.push(...steps);
      }
    }
  }
  return rows;
}

const steps = populationSteps();

/**
 * The outcomes as a common table expression `population_rule(event, known, known_closed_reason, adult, step, kind,
 * from_state, to_state, closed_reason, note, last)`, for `with ${populationRuleCte()}, ...`. Join it on the event, the
 * state found (`known`, 'new' for a new person) with `known_closed_reason is not distinct from`, and `adult`; `last`
 * marks the row whose to_state and closed_reason the person ends with, every row is a history row in `step` order.
 */
export function populationRuleCte(): RawBuilder<unknown> {
  const columns = ['event', 'known', 'known_closed_reason', 'adult', 'step', 'kind', 'from_state', 'to_state'];
  const table = valuesTable(
    'rule',
    [...columns, 'closed_reason', 'note', 'last'],
    steps.map((s) => [
      s.event,
      s.known,
      s.knownClosedReason,
      s.adult,
      s.step,
      s.kind,
      s.fromState,
      s.toState,
      s.closedReason,
      s.note,
      s.last,
    ]),
  );
  return sql`population_rule as (select * from ${table})`;
}
