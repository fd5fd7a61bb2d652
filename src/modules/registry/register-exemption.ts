import type { ExemptionGround } from '../../db/schema.ts';
import { textProblem } from '../../http/input.ts';
import { AppError } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import { characterCount, FormTextError } from '../../web/form-text.ts';
import { type ChangeResult, changeEnrolment, exemptionGrounds } from './enrolment.ts';
import { type CaseworkerActor, caseworkerAsRegistryActor, requireManageablePerson } from './get-registration.ts';

export const NOTE_MAX_LENGTH = 500;

export interface RegisterExemptionOptions {
  recipientId: string;
  ground: string;
  note?: string;
  /** Send the unopened letters of the last 6 months as paper (recorded with the change for the print channel). */
  sendUnopenedAsPaper?: boolean;
}

/** Validates a free-text note from a form: no control characters but line breaks and tabs, trimmed, empty means none, at most NOTE_MAX_LENGTH characters. */
export function cleanNote(note: string | undefined): string | undefined {
  const problem = textProblem(note ?? '', { multiline: true, allowBlank: true });
  if (problem) throw new FormTextError('note', problem, NOTE_MAX_LENGTH, true);
  const trimmed = note?.trim();
  if (!trimmed) return undefined;
  if (characterCount(trimmed) > NOTE_MAX_LENGTH) {
    throw new AppError(422, 'note_too_long', `The note may be at most ${NOTE_MAX_LENGTH} characters.`, 'note');
  }
  return trimmed;
}

/** A caseworker exempts a person of their municipality from Digital Post on a stated ground (audited). */
export async function registerExemption(
  services: Services,
  actor: CaseworkerActor,
  options: RegisterExemptionOptions,
): Promise<ChangeResult> {
  if (!exemptionGrounds.includes(options.ground as ExemptionGround)) {
    throw new AppError(422, 'invalid_ground', 'Choose one of the grounds for exemption.', 'ground');
  }
  const note = cleanNote(options.note);
  return services.db.transaction().execute(async (trx) => {
    await requireManageablePerson(trx, actor, options.recipientId);
    return changeEnrolment(
      trx,
      options.recipientId,
      {
        type: 'exempt',
        ground: options.ground as ExemptionGround,
        note,
        sendUnopenedAsPaper: options.sendUnopenedAsPaper ?? false,
      },
      caseworkerAsRegistryActor(actor),
    );
  });
}
