import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { AppError } from '../../http/problem.ts';
import type { EscalationChoice, EscalationStep, EscalationStepProgress } from './escalation-plan.ts';

/** A letter's plan as stored: where it came from, its name (named or default plan) and its steps. */
export interface ResolvedEscalation {
  planName: string | null;
  source: 'letter' | 'named' | 'default' | 'options';
  steps: EscalationStep[];
}

/** The due time of step `index` of a row's steps, in SQL (afterDays × 24 hours after available_at). */
const dueOf = (steps: ReturnType<typeof sql>, index: ReturnType<typeof sql>, availableAt: ReturnType<typeof sql>) =>
  sql`${availableAt} + make_interval(hours => 24 * (${steps} -> ${index} ->> 'afterDays')::int)`;

/** The sender's named plans with these names (one query for a batch chunk). */
export async function findEscalationPlans(
  db: Db,
  senderId: string,
  names: readonly string[],
): Promise<Map<string, EscalationStep[]>> {
  if (names.length === 0) return new Map();
  const rows = await db
    .selectFrom('notify_escalation_plan')
    .select(['name', 'steps'])
    .where('sender_id', '=', senderId)
    .where('name', '=', (eb) => eb.fn.any(eb.val([...new Set(names)])))
    .execute();
  return new Map(rows.map((r) => [r.name, r.steps]));
}

/** A letter's checked choice as stored: a named plan's steps (422 escalation_unknown_plan if it has none). */
export async function resolveEscalation(
  db: Db,
  senderId: string,
  choice: EscalationChoice,
  field: string,
): Promise<ResolvedEscalation> {
  if ('steps' in choice) return { planName: null, source: 'letter', steps: choice.steps };
  const steps = (await findEscalationPlans(db, senderId, [choice.plan])).get(choice.plan);
  if (!steps) throw unknownPlan(`${field}/plan`);
  return { planName: choice.plan, source: 'named', steps };
}

export const unknownPlan = (field: string) =>
  new AppError(422, 'escalation_unknown_plan', 'You have no escalation plan with this name.', field);

/**
 * Sets (or replaces) one letter's plan. If the letter is already available and unread, the plan starts over from
 * its availability (steps already due run at the next sweep); a legacy reminder row gives way to it.
 */
export async function saveLetterEscalation(
  trx: Db,
  message: { id: string; sender_id: string; recipient_id: string },
  plan: ResolvedEscalation,
): Promise<void> {
  await insertLetterEscalations(trx, [{ messageId: message.id, ...plan }]);
}

/**
 * Stores many letters' plans in one statement (a batch chunk: set-based, one row per letter, the steps as JSON).
 * Letters already available (routed to the mailbox by the insert itself) get their first due time at once.
 */
export async function insertLetterEscalations(
  trx: Db,
  rows: readonly ({ messageId: string } & ResolvedEscalation)[],
): Promise<void> {
  if (rows.length === 0) return;
  const ids = rows.map((r) => r.messageId);
  await sql`
    with input as (
      select * from unnest(${ids}::uuid[], ${rows.map((r) => r.planName)}::text[],
                           ${rows.map((r) => r.source)}::text[], ${rows.map((r) => JSON.stringify(r.steps))}::jsonb[])
        as t(message_id, plan_name, source, steps)
    )
    insert into notify_escalation (message_id, sender_id, recipient_id, plan_name, source, steps, available_at,
                                   next_due_at)
    select m.id, m.sender_id, m.recipient_id, i.plan_name, i.source, i.steps, m.available_at,
      case when m.available_at is not null and m.first_read_at is null and jsonb_array_length(i.steps) > 0
           then ${dueOf(sql`i.steps`, sql`0`, sql`m.available_at`)} end
    from input i join message m on m.id = i.message_id
    on conflict (message_id) do update
      set plan_name = excluded.plan_name, source = excluded.source, steps = excluded.steps,
          available_at = excluded.available_at, next_due_at = excluded.next_due_at, next_step = 0,
          progress = '[]'::jsonb, stopped = null, stopped_at = null
  `.execute(trx);
  await trx
    .deleteFrom('notify_followup')
    .where('message_id', '=', (eb) => eb.fn.any(eb.val(ids)))
    .execute();
}

/**
 * Common table expressions over `avail` (letters made available at `now`), run with the new-mail notification:
 * a letter's own plan starts (its first due time); a letter without one gets the sender's default plan.
 */
export function escalationStartCtes(now: Date) {
  return sql`
    escalation_start as (
      update notify_escalation e
      set available_at = ${now}::timestamptz,
          next_due_at = case when jsonb_array_length(e.steps) > 0
                             then ${dueOf(sql`e.steps`, sql`0`, sql`${now}::timestamptz`)} end
      from avail a
      where e.message_id = a.id and e.available_at is null
    ), escalation_default as (
      insert into notify_escalation (message_id, sender_id, recipient_id, plan_name, source, steps, available_at,
                                     next_due_at)
      select a.id, a.sender_id, a.recipient_id, p.name, 'default', p.steps, ${now}::timestamptz,
        case when jsonb_array_length(p.steps) > 0 then ${dueOf(sql`p.steps`, sql`0`, sql`${now}::timestamptz`)} end
      from avail a
      join notify_escalation_plan p on p.sender_id = a.sender_id and p.is_default
      where not exists (select 1 from notify_escalation e where e.message_id = a.id)
      on conflict (message_id) do nothing
    )`;
}

/** SQL condition: letter `a` (with sender_id) has, or will get, an escalation plan instead of legacy follow-ups. */
export const hasEscalationSql = sql`(exists (select 1 from notify_escalation e where e.message_id = a.id)
  or exists (select 1 from notify_escalation_plan p where p.sender_id = a.sender_id and p.is_default))`;

/** The step states a sender sees. */
export type EscalationStepState = 'pending' | 'done' | 'skipped' | 'cancelled_read' | 'withdrawn';

export interface LetterEscalation {
  /** The named plan (or default plan) the steps came from; null for steps given with the letter. */
  plan: string | null;
  source: ResolvedEscalation['source'];
  /** Why the plan stopped: read, finished, withdrawn (recalled or no longer in the mailbox); null while running. */
  stopped: 'read' | 'finished' | 'withdrawn' | null;
  steps: {
    action: EscalationStep['action'];
    afterDays: number;
    channels?: string[];
    /** null until the letter is available. */
    dueAt: string | null;
    state: EscalationStepState;
    doneAt: string | null;
    reason: string | null;
  }[];
}

/**
 * A letter's plan and progress, or null when it has none. Steps not run when the letter was read show as
 * cancelled_read at once (the read time decides, not the sweep), so the sender sees the stop the moment it happens.
 */
export async function getLetterEscalation(
  db: Db,
  messageId: string,
  letter: { readAt: Date | null; withdrawn: boolean },
): Promise<LetterEscalation | null> {
  const row = await db
    .selectFrom('notify_escalation')
    .select(['plan_name', 'source', 'steps', 'available_at', 'next_step', 'progress', 'stopped'])
    .where('message_id', '=', messageId)
    .executeTakeFirst();
  if (!row) return null;
  const progress = row.progress as EscalationStepProgress[];
  const stopped = letter.readAt ? 'read' : letter.withdrawn ? 'withdrawn' : row.stopped;
  return {
    plan: row.plan_name,
    source: row.source,
    stopped: stopped ?? (row.next_step >= row.steps.length && row.available_at ? 'finished' : null),
    steps: row.steps.map((step, i) => {
      const done = progress[i];
      const dueAt = row.available_at
        ? new Date(new Date(row.available_at).getTime() + step.afterDays * 86_400_000).toISOString()
        : null;
      const state: EscalationStepState = done
        ? done.state
        : stopped === 'read'
          ? 'cancelled_read'
          : stopped === 'withdrawn'
            ? 'withdrawn'
            : 'pending';
      return {
        action: step.action,
        afterDays: step.afterDays,
        ...(step.action === 'remind' ? { channels: step.channels } : {}),
        dueAt,
        state,
        doneAt: done?.at ?? null,
        reason: done?.reason ?? null,
      };
    }),
  };
}

/** The sender's default plan (the one letters that name none get), or null. */
export async function findDefaultEscalationPlan(
  db: Db,
  senderId: string,
): Promise<{ name: string; steps: EscalationStep[] } | null> {
  const row = await db
    .selectFrom('notify_escalation_plan')
    .select(['name', 'steps'])
    .where('sender_id', '=', senderId)
    .where('is_default', '=', true)
    .executeTakeFirst();
  return row ?? null;
}

/** The sender's named plans, by name. */
export async function listEscalationPlans(db: Db, senderId: string) {
  return db
    .selectFrom('notify_escalation_plan')
    .select(['name', 'steps', 'is_default', 'updated_at'])
    .where('sender_id', '=', senderId)
    .orderBy('name')
    .execute();
}
