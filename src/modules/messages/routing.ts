import type { RawBuilder } from 'kysely';
import type { Enrolment } from '../../db/schema.ts';
import { valuesTable } from '../../db/values-table.ts';

/**
 * The routing rule (issue 15, "one home per rule"): where a due letter goes, by its recipient's enrolment, its
 * type and whether the sender requires Digital Post (mandatory). The single path (deliver-message.ts) calls
 * routeMessage; the bulk paths read the same table in SQL (routingTableSql), so the two cannot diverge:
 * - enrolled (automatic, voluntary) → the mailbox;
 * - exempted or not enrolled (under 15) → paper (print), unless mandatory: then FAILED, recipient_not_digital;
 * - closed → FAILED, recipient_closed (even a NemSMS: a closed mailbox takes nothing more);
 * - a NemSMS otherwise → the notify module's NemSMS channel, whatever the enrolment;
 * - an enrolment not in the table → FAILED, recipient_unknown.
 */
export type RoutingFailure = 'recipient_closed' | 'recipient_not_digital' | 'recipient_unknown';
export type RouteOutcome = 'mailbox' | 'print' | 'nemsms' | RoutingFailure;

export const ENROLMENTS = [
  'automatic',
  'voluntary',
  'exempted',
  'not_enrolled',
  'closed',
] as const satisfies readonly Enrolment[];
export const MESSAGE_TYPES = ['DIGITALPOST', 'NEMSMS'] as const;
export type RoutedMessageType = (typeof MESSAGE_TYPES)[number];

/** The table of outcomes: enrolment → message type → [not mandatory, mandatory]. */
export const ROUTING_TABLE: Readonly<
  Record<Enrolment, Readonly<Record<RoutedMessageType, readonly [RouteOutcome, RouteOutcome]>>>
> = {
  automatic: { DIGITALPOST: ['mailbox', 'mailbox'], NEMSMS: ['nemsms', 'nemsms'] },
  voluntary: { DIGITALPOST: ['mailbox', 'mailbox'], NEMSMS: ['nemsms', 'nemsms'] },
  exempted: { DIGITALPOST: ['print', 'recipient_not_digital'], NEMSMS: ['nemsms', 'nemsms'] },
  not_enrolled: { DIGITALPOST: ['print', 'recipient_not_digital'], NEMSMS: ['nemsms', 'nemsms'] },
  closed: { DIGITALPOST: ['recipient_closed', 'recipient_closed'], NEMSMS: ['recipient_closed', 'recipient_closed'] },
};

export interface RoutingInput {
  enrolment: string;
  /** Anything but NEMSMS is a letter (DIGITALPOST). */
  messageType: string;
  mandatory: boolean;
}

/** The outcomes that hand the message to a channel; every other outcome is a failure (its reason). */
export const ROUTING_CHANNELS = ['mailbox', 'print', 'nemsms'] as const satisfies readonly RouteOutcome[];

export const isRoutingFailure = (outcome: RouteOutcome): outcome is RoutingFailure =>
  !(ROUTING_CHANNELS as readonly string[]).includes(outcome);

/** Where a due message goes (pure: the table above). */
export function routeMessage(input: RoutingInput): RouteOutcome {
  const byType = Object.hasOwn(ROUTING_TABLE, input.enrolment)
    ? ROUTING_TABLE[input.enrolment as Enrolment]
    : undefined;
  if (!byType) return 'recipient_unknown';
  const type: RoutedMessageType = input.messageType === 'NEMSMS' ? 'NEMSMS' : 'DIGITALPOST';
  return byType[type][input.mandatory ? 1 : 0];
}

/** Every row of the table: (enrolment, message type, mandatory) → outcome. */
export function routingRows(): {
  enrolment: Enrolment;
  messageType: RoutedMessageType;
  mandatory: boolean;
  outcome: RouteOutcome;
}[] {
  return ENROLMENTS.flatMap((enrolment) =>
    MESSAGE_TYPES.flatMap((messageType) =>
      [false, true].map((mandatory) => ({
        enrolment,
        messageType,
        mandatory,
        outcome: routeMessage({ enrolment, messageType, mandatory }),
      })),
    ),
  );
}

/**
 * The table as an SQL relation `(values ...) as <alias>(enrolment, message_type, mandatory, outcome)`, for the bulk
 * paths to join on (a row it does not match is recipient_unknown, as in routeMessage).
 */
export function routingTableSql(alias: string): RawBuilder<unknown> {
  return valuesTable(
    alias,
    ['enrolment', 'message_type', 'mandatory', 'outcome'],
    routingRows().map((r) => [r.enrolment, r.messageType, r.mandatory, r.outcome]),
  );
}
