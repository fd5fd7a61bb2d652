import type { Db } from '../../db/database.ts';
import type { ClosedReason, Enrolment, EnrolmentChangeKind, ExemptionGround } from '../../db/schema.ts';
import type { ErrorCode } from '../../http/errors.ts';
import { AppError } from '../../http/problem.ts';
import { recordAudit } from '../audit/index.ts';
import { deleteAfterDeath } from './registry.config.ts';

/** Who changes a registration: a caseworker, the person themselves, the population register, or a scheduled rule. */
export interface RegistryActor {
  kind: 'caseworker' | 'citizen' | 'population' | 'business_register' | 'system';
  id: string;
  name?: string;
}

export const exemptionGrounds: ExemptionGround[] = [
  'disability',
  'no_internet',
  'emigrated',
  'homeless',
  'language',
  'no_mitid',
  'other',
];

export type EnrolmentCommand =
  | { type: 'enrol_automatically'; reason: 'turned_15' | 'moved_in' | 'registered' }
  | { type: 'enrol_voluntarily' }
  | { type: 'exempt'; ground: ExemptionGround; note?: string; sendUnopenedAsPaper?: boolean }
  | { type: 're_enrol'; note?: string }
  /** deleteAfter: the day the closed mailbox may be deleted (a ceased company's: its ceased day + retention). */
  | { type: 'close'; reason: ClosedReason; note?: string; deleteAfter?: string }
  | { type: 'reopen'; note?: string };

interface Current {
  kind: 'person' | 'business';
  enrolment: Enrolment;
  closedReason: ClosedReason | null;
  age: number | null;
}

export interface Transition {
  to: Enrolment;
  kind: EnrolmentChangeKind;
}

const refuse = (code: ErrorCode, message: string) => new AppError(409, code, message);

/**
 * The rules of enrolment as one pure function: the next state for a command, null when the command changes
 * nothing (an automatic rule applied twice), or an AppError with a stable code when it is not allowed.
 */
export function decideTransition(current: Current, command: EnrolmentCommand): Transition | null {
  const { enrolment } = current;
  switch (command.type) {
    case 'enrol_automatically':
      if (current.kind === 'business') return null;
      // The rules never override a person's exemption or a closed mailbox, and never enrol twice.
      if (enrolment !== 'not_enrolled') return null;
      if (current.age !== null && current.age < 15) return null;
      return { to: 'automatic', kind: 'enrolled_automatically' };
    case 'enrol_voluntarily':
      if (enrolment === 'closed') throw refuse('mailbox_closed', 'The mailbox is closed and cannot be enrolled.');
      if (enrolment === 'automatic' || enrolment === 'voluntary') {
        throw refuse('already_enrolled', 'The person is already enrolled in Digital Post.');
      }
      if (current.age !== null && current.age < 15) {
        throw refuse('too_young', 'People under 15 cannot have their own Digital Post mailbox.');
      }
      return { to: 'voluntary', kind: 'enrolled_voluntarily' };
    case 'exempt':
      if (current.kind === 'business') {
        throw refuse('business_cannot_be_exempted', 'Businesses must receive Digital Post and cannot be exempted.');
      }
      if (enrolment === 'closed') throw refuse('mailbox_closed', 'A closed mailbox cannot be exempted.');
      if (enrolment === 'exempted') throw refuse('already_exempted', 'The person is already exempted.');
      return { to: 'exempted', kind: 'exempted' };
    case 're_enrol':
      if (enrolment !== 'exempted') {
        throw refuse('not_exempted', 'Only an exempted person can be re-enrolled.');
      }
      return { to: 'voluntary', kind: 're_enrolled' };
    case 'close':
      if (enrolment === 'closed') throw refuse('already_closed', 'The mailbox is already closed.');
      if (current.kind === 'business' && command.reason === 'death') {
        throw refuse('invalid_reason', 'A business cannot be closed because of death.');
      }
      if (current.kind === 'person' && command.reason === 'ceased') {
        throw refuse('invalid_reason', 'Only a business can be closed because it ceased.');
      }
      return { to: 'closed', kind: 'closed' };
    case 'reopen':
      if (enrolment !== 'closed') throw refuse('not_closed', 'Only a closed mailbox can be reopened.');
      if (current.closedReason === 'death')
        throw refuse('deceased', 'The mailbox of a deceased person cannot be reopened.');
      return {
        to:
          current.kind === 'business'
            ? 'automatic'
            : current.age !== null && current.age < 15
              ? 'not_enrolled'
              : 'automatic',
        kind: 'reopened',
      };
  }
}

/** The note a command leaves in the enrolment history (the bulk paths write the same, see population-transitions.ts). */
export function historyNote(command: EnrolmentCommand): string | null {
  if (command.type === 'close') return [command.reason, command.note].filter(Boolean).join(': ');
  if ('note' in command) return command.note ?? null;
  return command.type === 'enrol_automatically' ? command.reason : null;
}

/** Whole years between a birth date (YYYY-MM-DD) and a day. */
export function ageOn(birthDate: string | null, on: Date): number | null {
  if (!birthDate) return null;
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  let age = on.getUTCFullYear() - y;
  if (on.getUTCMonth() + 1 < m || (on.getUTCMonth() + 1 === m && on.getUTCDate() < d)) age--;
  return age;
}

export interface ChangeResult {
  changed: boolean;
  from: Enrolment;
  to: Enrolment;
}

/**
 * Applies a command to one recipient inside the caller's transaction (locking the row): updates the state, appends
 * to the history, and writes an audit event. Returns changed=false when the command changes nothing.
 */
export async function changeEnrolment(
  trx: Db,
  recipientId: string,
  command: EnrolmentCommand,
  actor: RegistryActor,
  now: Date = new Date(),
): Promise<ChangeResult> {
  const row = await trx
    .selectFrom('recipient')
    .select(['id', 'kind', 'enrolment', 'closed_reason', 'birth_date'])
    .where('id', '=', recipientId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw new AppError(404, 'not_found', 'The person or business does not exist.');
  const transition = decideTransition(
    {
      kind: row.kind,
      enrolment: row.enrolment,
      closedReason: row.closed_reason,
      age: row.kind === 'person' ? ageOn(row.birth_date as string | null, now) : null,
    },
    command,
  );
  if (!transition) return { changed: false, from: row.enrolment, to: row.enrolment };

  const ground = command.type === 'exempt' ? command.ground : null;
  const closedReason = command.type === 'close' ? command.reason : null;
  await trx
    .updateTable('recipient')
    .set({
      enrolment: transition.to,
      exemption_ground: ground,
      enrolment_changed_at: now,
      closed_reason: closedReason,
      delete_after:
        command.type === 'close' && command.deleteAfter
          ? command.deleteAfter
          : closedReason === 'death'
            ? deleteAfterDeath(now)
            : null,
    })
    .where('id', '=', recipientId)
    .execute();
  await trx
    .insertInto('enrolment_change')
    .values({
      recipient_id: recipientId,
      occurred_at: now,
      kind: transition.kind,
      from_state: row.enrolment,
      to_state: transition.to,
      exemption_ground: ground,
      note: historyNote(command),
      send_unopened_as_paper: command.type === 'exempt' ? (command.sendUnopenedAsPaper ?? false) : false,
      actor_kind: actor.kind,
      actor_id: actor.id,
      actor_name: actor.name ?? null,
    })
    .execute();
  await recordAudit(trx, {
    actorKind: actor.kind === 'population' || actor.kind === 'business_register' ? 'system' : actor.kind,
    actorId: actor.id,
    action: `registry.${transition.kind}`,
    subjectType: 'recipient',
    subjectId: recipientId,
    mailboxRecipientId: recipientId,
    details: { from: row.enrolment, to: transition.to, ...(ground ? { ground } : {}) },
  });
  return { changed: true, from: row.enrolment, to: transition.to };
}

/** Applies a command in its own transaction. */
export async function changeEnrolmentNow(
  db: Db,
  recipientId: string,
  command: EnrolmentCommand,
  actor: RegistryActor,
  now?: Date,
): Promise<ChangeResult> {
  return db.transaction().execute((trx) => changeEnrolment(trx, recipientId, command, actor, now));
}
