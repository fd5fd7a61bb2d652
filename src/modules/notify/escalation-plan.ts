import { type Static, Type } from 'typebox';
import type { ErrorCode } from '../../http/errors.ts';
import { AppError } from '../../http/problem.ts';
import { nextSmsTime } from './quiet-hours.ts';

/**
 * Escalation plans: what happens to a letter that stays unread. A plan is an ordered list of steps, each `afterDays`
 * days (24 hours each) after the letter became available in the mailbox; every step checks first that the letter is
 * still unread, and the first step that finds it read stops the plan (the rest show as cancelled_read).
 * This file is pure (no database): the shapes, their checks (422 `escalation_*` with a field) and the schedule.
 */

export const ESCALATION_ACTIONS = ['remind', 'print_if_unread', 'notify_sender'] as const;
export type EscalationAction = (typeof ESCALATION_ACTIONS)[number];
export const REMIND_CHANNELS = ['email', 'sms'] as const;
export type RemindChannel = (typeof REMIND_CHANNELS)[number];

/** One step as stored: remind (by the channels given), print_if_unread or notify_sender. */
export type EscalationStep =
  | { action: 'remind'; afterDays: number; channels: RemindChannel[] }
  | { action: 'print_if_unread'; afterDays: number }
  | { action: 'notify_sender'; afterDays: number };

/** What happened to a step that was due (stored in order, one per step run). */
export interface EscalationStepProgress {
  state: 'done' | 'skipped';
  at: string;
  /** Why a step was skipped: no_contact (no usable address for its channels), not_printable. */
  reason?: string;
}

export const MAX_ESCALATION_STEPS = 6;
export const MAX_ESCALATION_DAYS = 365;
const PLAN_NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/;

export const EscalationStepInput = Type.Object(
  {
    action: Type.String({ description: 'remind, print_if_unread or notify_sender' }),
    afterDays: Type.Integer({
      description: `Days after the letter became available (1–${MAX_ESCALATION_DAYS}); steps in order of their days`,
    }),
    channels: Type.Optional(Type.Array(Type.String(), { description: 'remind only: email and/or sms (default both)' })),
  },
  { additionalProperties: false },
);
export type EscalationStepInput = Static<typeof EscalationStepInput>;

/** The `escalation` of a letter (send body, batch line, the per-letter call): a named plan or the steps themselves. */
export const EscalationInput = Type.Object(
  {
    plan: Type.Optional(
      Type.String({ description: 'The name of one of your plans (PUT /api/v1/escalation-plans/{name})' }),
    ),
    steps: Type.Optional(
      Type.Array(EscalationStepInput, {
        description: `The plan itself (at most ${MAX_ESCALATION_STEPS} steps); [] means none, not even your default`,
      }),
    ),
  },
  {
    additionalProperties: false,
    description:
      'What happens if the letter stays unread: give `plan` (a named plan) or `steps`; without it your default ' +
      'plan applies. Every step stops the moment the letter is read.',
  },
);
export type EscalationInput = Static<typeof EscalationInput>;

/** A letter's checked choice: a named plan (resolved against the sender's plans when stored) or its own steps. */
export type EscalationChoice = { plan: string } | { steps: EscalationStep[] };

type EscalationCode = Extract<ErrorCode, `escalation_${string}`>;
const fail = (code: EscalationCode, message: string, field: string) => new AppError(422, code, message, field);

/** Checks a plan name (lower-case letters, digits, - and _, at most 40); throws 422 escalation_invalid_plan_name. */
export function checkPlanName(name: string, field: string): string {
  if (!PLAN_NAME.test(name)) {
    throw fail(
      'escalation_invalid_plan_name',
      'A plan name is 1–40 lower-case letters, digits, - or _, starting with a letter or digit.',
      field,
    );
  }
  return name;
}

/**
 * Checks a list of steps: at most MAX_ESCALATION_STEPS, known actions, days 1–365 in non-decreasing order, remind
 * channels a non-empty subset of email/sms, at most one print. `letter.mandatory` (must go digitally) forbids print.
 */
export function checkEscalationSteps(
  steps: readonly EscalationStepInput[],
  field: string,
  letter: { mandatory?: boolean } = {},
): EscalationStep[] {
  if (steps.length > MAX_ESCALATION_STEPS) {
    throw fail('escalation_too_many_steps', `A plan has at most ${MAX_ESCALATION_STEPS} steps.`, field);
  }
  const out: EscalationStep[] = [];
  let previous = 0;
  for (const [i, step] of steps.entries()) {
    const at = `${field}/${i}`;
    if (!(ESCALATION_ACTIONS as readonly string[]).includes(step.action)) {
      throw fail('escalation_unknown_action', 'A step is remind, print_if_unread or notify_sender.', `${at}/action`);
    }
    if (!Number.isInteger(step.afterDays) || step.afterDays < 1 || step.afterDays > MAX_ESCALATION_DAYS) {
      throw fail(
        'escalation_invalid_days',
        `afterDays is a whole number from 1 to ${MAX_ESCALATION_DAYS}.`,
        `${at}/afterDays`,
      );
    }
    if (step.afterDays < previous) {
      throw fail('escalation_steps_out_of_order', 'Steps come in the order of their days.', `${at}/afterDays`);
    }
    previous = step.afterDays;
    if (step.action === 'remind') {
      const channels = step.channels ?? [...REMIND_CHANNELS];
      const known = channels.every((c) => (REMIND_CHANNELS as readonly string[]).includes(c));
      if (channels.length === 0 || !known || new Set(channels).size !== channels.length) {
        throw fail('escalation_invalid_channels', 'A reminder goes by email and/or sms, each once.', `${at}/channels`);
      }
      out.push({ action: 'remind', afterDays: step.afterDays, channels: channels as RemindChannel[] });
      continue;
    }
    if (step.channels !== undefined) {
      throw fail('escalation_invalid_channels', 'Only a reminder has channels.', `${at}/channels`);
    }
    if (step.action === 'print_if_unread') {
      if (out.some((s) => s.action === 'print_if_unread')) {
        throw fail('escalation_duplicate_print', 'A plan prints a letter at most once.', `${at}/action`);
      }
      if (letter.mandatory) {
        throw fail(
          'escalation_print_mandatory',
          'A mandatory letter must go digitally: it cannot be printed if unread.',
          `${at}/action`,
        );
      }
    }
    out.push({ action: step.action as 'print_if_unread' | 'notify_sender', afterDays: step.afterDays });
  }
  return out;
}

/**
 * Checks a letter's `escalation` (field: where it sits, e.g. /escalation). A NemSMS has no escalation; a mandatory
 * letter no print step. A named plan is only checked for form here; its existence is checked where it is stored.
 */
export function checkEscalationInput(
  input: EscalationInput,
  field: string,
  letter: { mandatory?: boolean; messageType?: string } = {},
): EscalationChoice {
  if (letter.messageType === 'NEMSMS') {
    throw fail('escalation_nemsms', 'A NemSMS is not followed up: send it without escalation.', field);
  }
  if ((input.plan === undefined) === (input.steps === undefined)) {
    throw fail('escalation_plan_or_steps', 'Give either plan (a named plan) or steps, not both.', field);
  }
  if (input.plan !== undefined) return { plan: checkPlanName(input.plan, `${field}/plan`) };
  return { steps: checkEscalationSteps(input.steps ?? [], `${field}/steps`, letter) };
}

/** The plan the per-letter options of the older call stand for: remind after N days, print after M. */
export function legacyPlan(remindAfterDays: number | null, printAfterDays: number | null): EscalationStep[] {
  const steps: EscalationStep[] = [];
  if (remindAfterDays != null) steps.push({ action: 'remind', afterDays: remindAfterDays, channels: ['email', 'sms'] });
  if (printAfterDays != null) steps.push({ action: 'print_if_unread', afterDays: printAfterDays });
  return steps.sort((a, b) => a.afterDays - b.afterDays);
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** When one step falls due: afterDays × 24 hours after availability (the SQL sweep computes the same). */
export function stepDueAt(availableAt: Date, step: Pick<EscalationStep, 'afterDays'>): Date {
  return new Date(availableAt.getTime() + step.afterDays * DAY_MS);
}

export interface ScheduledEscalationStep {
  index: number;
  action: EscalationAction;
  afterDays: number;
  /** When the step runs (if the letter is still unread then). */
  dueAt: Date;
  /** remind: each channel that would be used and when it would go out (SMS waits for the end of quiet hours). */
  sends: { channel: RemindChannel; at: Date }[];
  /** Why the step would do nothing: no_contact (no usable address for its channels), not_printable. */
  skip: 'no_contact' | 'not_printable' | null;
}

/**
 * The schedule of a plan for one letter, computed without the database (also for a dry run of a send): each step's
 * due time from `availableAt`, the reminder's channels the recipient can be reached by (`channels`: which of them
 * has a confirmed, wanted address; both when not given) and when an SMS would go out given quiet hours
 * (`quietHours`, default 08–21 Copenhagen time; `urgent` letters ignore them). `printable: false` (a mandatory
 * letter, or no paper channel) marks a print step as skipped.
 */
export function planEscalationSchedule(
  steps: readonly EscalationStep[],
  letter: {
    availableAt: Date;
    urgent?: boolean;
    channels?: { email: boolean; sms: boolean };
    printable?: boolean;
  },
  quietHours: { fromHour: number; untilHour: number } = { fromHour: 8, untilHour: 21 },
): ScheduledEscalationStep[] {
  return steps.map((step, index) => {
    const dueAt = stepDueAt(letter.availableAt, step);
    const base = { index, action: step.action, afterDays: step.afterDays, dueAt };
    if (step.action === 'remind') {
      const reachable = step.channels.filter((c) => letter.channels?.[c] ?? true);
      const sends = reachable.map((channel) => ({
        channel,
        at: channel === 'sms' && !letter.urgent ? nextSmsTime(dueAt, quietHours.fromHour, quietHours.untilHour) : dueAt,
      }));
      return { ...base, sends, skip: sends.length === 0 ? ('no_contact' as const) : null };
    }
    if (step.action === 'print_if_unread' && letter.printable === false) {
      return { ...base, sends: [], skip: 'not_printable' as const };
    }
    return { ...base, sends: [], skip: null };
  });
}
