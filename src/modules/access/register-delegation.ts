import { createHmac, timingSafeEqual } from 'node:crypto';
import { textProblem } from '../../http/input.ts';
import { AppError } from '../../http/problem.ts';
import { birthDateFromCpr, normaliseCpr } from '../../kernel/identifiers.ts';
import type { Services } from '../../services.ts';
import { characterCount, FormTextError } from '../../web/form-text.ts';
import { recordAudit } from '../audit/index.ts';
import {
  ageOn,
  type CaseworkerActor,
  findRegistrationByCpr,
  notYourMunicipality,
  requireManageablePerson,
} from '../registry/index.ts';
import { type CaseworkerDelegationKind, mayManageDelegations } from './access.policy.ts';
import {
  type Delegation,
  endOfDayInCopenhagen,
  hasLiveDelegation,
  insertDelegation,
  listDelegationsTo,
  lockMailbox,
  startOfDayInCopenhagen,
} from './access.repository.ts';
import { nameMatches, parseEndDate, parseLevel } from './access-input.ts';
import type { AccessLevel } from './mailbox.policy.ts';

export const DOCUMENT_REFERENCE_MAX = 200;

export interface RegisterDelegationOptions {
  /** The person whose mailbox it is (the one giving power of attorney, or the child). */
  recipientId: string;
  kind: string;
  /** The person who gets access (the attorney, or the parent), by CPR in the form body. */
  cpr: string;
  /** Their name as the caseworker has it: it must match the CPR register (the citizen's own form's rule). */
  name: string;
  level: string;
  /** The power of attorney's document (journal number, case reference). Required for powers of attorney. */
  documentReference?: string;
  /** Last day of a power of attorney (optional); parents' access always ends at the child's 18th birthday. */
  endDate?: string;
}

/** The 18th birthday (YYYY-MM-DD); someone born on 29 February comes of age on 1 March in a common year. */
export function eighteenthBirthday(birthDate: string): string {
  const [y, m, d] = birthDate.split('-') as [string, string, string];
  const day = `${Number(y) + 18}-${m}-${d}`;
  const check = new Date(`${day}T00:00:00Z`);
  return check.toISOString().slice(0, 10) === day ? day : `${Number(y) + 18}-03-01`;
}

/** What a caseworker is about to register, checked but not written: the confirmation step shows it. */
export interface DelegationPlan {
  person: { id: string; name: string };
  grantee: { id: string; name: string };
  kind: CaseworkerDelegationKind;
  level: Exclude<AccessLevel, 'owner'>;
  documentReference: string | null;
  endsAt: Date | null;
  /**
   * Binds the confirmation to exactly this plan, for this caseworker (an HMAC with the session secret): a
   * confirmation whose details were changed, or that no longer fits the register, is refused.
   */
  confirmation: string;
}

/**
 * Checks a power of attorney (read or read/write, with its document reference and an optional last day) or a
 * parent's access to a 15–17-year-old's mailbox (ending by itself at the 18th birthday) for a person of the
 * caseworker's municipality, without writing anything. The grantee's name must match the CPR register, as on the
 * citizen's own access form.
 */
export async function prepareDelegation(
  services: Services,
  actor: CaseworkerActor,
  options: RegisterDelegationOptions,
  now = new Date(),
): Promise<DelegationPlan> {
  const { db } = services;
  const person = await requireManageablePerson(db, actor, options.recipientId);
  const kind = options.kind;
  if (kind !== 'power_of_attorney' && kind !== 'parent') {
    throw new AppError(422, 'invalid_kind', 'Choose power of attorney or parental access.', 'kind');
  }
  if (!mayManageDelegations(actor, person, { kind })) throw notYourMunicipality();
  const cpr = normaliseCpr(options.cpr ?? '');
  if (!cpr) throw new AppError(422, 'invalid_cpr', 'This is not a valid CPR number (DDMMÅÅ-XXXX).', 'cpr');
  const nameProblem = textProblem(options.name ?? '', { allowBlank: true });
  if (nameProblem) throw new FormTextError('name', nameProblem, 200);
  if (!options.name?.trim()) throw new AppError(422, 'name_required', 'Enter the name of the person.', 'name');
  if (characterCount(options.name) > 200) throw new FormTextError('name', 'too_long', 200);
  const level = parseLevel(options.level);
  const referenceProblem = textProblem(options.documentReference ?? '', { allowBlank: true });
  if (referenceProblem) throw new FormTextError('documentReference', referenceProblem, DOCUMENT_REFERENCE_MAX);
  const documentReference = options.documentReference?.trim() || null;
  if (documentReference && documentReference.length > DOCUMENT_REFERENCE_MAX) {
    throw new AppError(
      422,
      'document_reference_too_long',
      `The document reference may be at most ${DOCUMENT_REFERENCE_MAX} characters.`,
      'documentReference',
    );
  }
  let endsAt: Date | null = null;
  if (kind === 'power_of_attorney') {
    if (!documentReference) {
      throw new AppError(
        422,
        'document_reference_required',
        'Enter the reference of the power of attorney document.',
        'documentReference',
      );
    }
    const endDate = parseEndDate(options.endDate, now);
    endsAt = endDate ? await endOfDayInCopenhagen(db, endDate) : null;
  } else {
    const birthDate = person.birthDate ?? (person.cpr ? birthDateFromCpr(person.cpr) : null);
    const age = ageOn(birthDate, now);
    if (!birthDate || age === null || age < 15 || age > 17) {
      throw new AppError(
        422,
        'not_a_minor_15_17',
        'Parents can be given access only to the mailbox of a 15–17-year-old.',
        'kind',
      );
    }
    endsAt = await startOfDayInCopenhagen(db, eighteenthBirthday(birthDate));
  }

  const grantee = await findRegistrationByCpr(db, cpr);
  if (grantee?.kind !== 'person' || grantee.enrolment === 'closed') {
    throw new AppError(404, 'grantee_not_found', 'No person with this CPR number is registered.', 'cpr');
  }
  if (!nameMatches(options.name, grantee.name)) {
    throw new AppError(422, 'person_not_matched', 'No person with this CPR number has that name.', 'name');
  }
  if (grantee.id === person.id) {
    throw new AppError(422, 'cannot_grant_self', 'A person cannot be given access to their own mailbox.', 'cpr');
  }
  // Said before the confirmation step too; checked again, under the mailbox's lock, when it is written.
  if (await hasLiveDelegation(db, person.id, grantee.id, kind, now)) {
    throw new AppError(409, 'already_has_access', 'This person already has this access. Revoke it first.', 'cpr');
  }
  const plan: Omit<DelegationPlan, 'confirmation'> = {
    person: { id: person.id, name: person.name },
    grantee: { id: grantee.id, name: grantee.name },
    kind,
    level,
    documentReference,
    endsAt,
  };
  return { ...plan, confirmation: confirmationOf(services, actor, plan) };
}

function confirmationOf(
  services: Services,
  actor: CaseworkerActor,
  plan: Omit<DelegationPlan, 'confirmation'>,
): string {
  const fields = [
    'kuvert-delegation-confirmation',
    actor.staffId,
    plan.person.id,
    plan.person.name,
    plan.grantee.id,
    plan.grantee.name,
    plan.kind,
    plan.level,
    plan.documentReference ?? '',
    plan.endsAt?.toISOString() ?? '',
  ];
  return createHmac('sha256', services.config.sessionSecret).update(fields.join('\0')).digest('base64url');
}

function sameConfirmation(presented: string | undefined, expected: string): boolean {
  const a = Buffer.from(presented ?? '');
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Registers what the caseworker confirmed: the plan is checked again (prepareDelegation) and must be the one the
 * confirmation page showed (same people, kind, level, reference and end), else 409 confirmation_stale and nothing
 * is written. Audited on the person's mailbox.
 */
export async function registerDelegation(
  services: Services,
  actor: CaseworkerActor,
  options: RegisterDelegationOptions & { confirmation: string },
  now = new Date(),
): Promise<{ id: string; granteeName: string; kind: CaseworkerDelegationKind }> {
  const { db } = services;
  const plan = await prepareDelegation(services, actor, options, now);
  if (!sameConfirmation(options.confirmation, plan.confirmation)) {
    throw new AppError(
      409,
      'confirmation_stale',
      'The details are not the ones you confirmed. Check them and confirm again.',
    );
  }
  const { person, grantee, kind, level, documentReference, endsAt } = plan;

  const id = await db.transaction().execute(async (trx) => {
    await lockMailbox(trx, person.id);
    if (await hasLiveDelegation(trx, person.id, grantee.id, kind, now)) {
      throw new AppError(409, 'already_has_access', 'This person already has this access. Revoke it first.', 'cpr');
    }
    const id = await insertDelegation(trx, {
      mailboxId: person.id,
      granteeId: grantee.id,
      kind,
      level,
      documentReference,
      endsAt,
      createdBy: { kind: 'caseworker', id: actor.staffId },
      createdAt: now,
    });
    await recordAudit(trx, {
      actorKind: 'caseworker',
      actorId: actor.staffId,
      action: 'access.register',
      subjectType: 'mailbox_access',
      subjectId: id,
      mailboxRecipientId: person.id,
      details: {
        kind,
        level,
        granteeId: grantee.id,
        endsAt: endsAt?.toISOString() ?? null,
        documentReference,
      },
    });
    return id;
  });
  return { id, granteeName: grantee.name, kind };
}

/**
 * Citizen service looks at who has access to a person's mailbox: the person (of the caseworker's municipality,
 * else 404) and the delegations in force. Looking is audited on the person's mailbox.
 */
export async function viewPersonAccess(services: Services, actor: CaseworkerActor, personId: string, now: Date) {
  const person = await requireManageablePerson(services.db, actor, personId);
  await services.db.transaction().execute((trx) =>
    recordAudit(trx, {
      actorKind: 'caseworker',
      actorId: actor.staffId,
      action: 'access.view',
      subjectType: 'recipient',
      subjectId: person.id,
      mailboxRecipientId: person.id,
    }),
  );
  const delegations: Delegation[] = await listDelegationsTo(services.db, person.id, now);
  return { person, delegations };
}
