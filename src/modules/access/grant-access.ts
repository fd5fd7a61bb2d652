import { AppError } from '../../http/problem.ts';
import type { Actor } from '../../kernel/actor.ts';
import type { Services } from '../../services.ts';
import { recordAudit } from '../audit/index.ts';
import {
  endOfDayInCopenhagen,
  findMailboxOwner,
  hasLiveDelegation,
  insertDelegation,
  lockMailbox,
} from './access.repository.ts';
import { parseEndDate, parseLevel } from './access-input.ts';
import { mayGrantInMailbox } from './mailbox.policy.ts';
import { resolveMailboxAccess } from './mailbox-access.ts';
import { checkPersonInput, findMatchingPerson } from './match-person.ts';

export type CitizenActor = Extract<Actor, { kind: 'citizen' }>;

export interface GrantAccessOptions {
  /** The mailbox to give access to (the owner's own, or a business the actor administers). */
  mailboxId: string;
  /** The grantee's CPR number, from a form body (never a URL). */
  cpr: string;
  /** The grantee's name as the owner knows it: it must match the CPR register, so a CPR number reveals no name. */
  name: string;
  level: string;
  /** Last day of access (optional). */
  endDate?: string;
}

/**
 * A person gives another person read or read/write access to their mailbox (or a business's administrator gives an
 * employee access to the business's mailbox), optionally until a last day. Audited on the mailbox, so it shows in
 * the owner's activity log.
 */
export async function grantAccess(
  services: Services,
  actor: CitizenActor,
  options: GrantAccessOptions,
  now = new Date(),
): Promise<{ id: string; granteeName: string }> {
  const { db } = services;
  const access = await resolveMailboxAccess(db, actor, options.mailboxId, now);
  const level = parseLevel(options.level);
  if (!mayGrantInMailbox(actor, access, level) || !access) {
    throw new AppError(403, 'access_management_forbidden', 'Only the owner of this mailbox can give access to it.');
  }
  const owner = await findMailboxOwner(db, access.mailboxId);
  if (!owner) throw new AppError(404, 'not_found', 'The mailbox does not exist.');
  // The same check as every "person by CPR number and name" form (match-person.ts); the end date before the register.
  const cpr = checkPersonInput({ cpr: options.cpr, name: options.name });
  const endDate = parseEndDate(options.endDate, now);
  const grantee = await findMatchingPerson(db, cpr, options.name);
  if (grantee.id === access.mailboxId || grantee.id === actor.recipientId) {
    throw new AppError(422, 'cannot_grant_self', 'You cannot give yourself access.', 'cpr');
  }
  const kind = owner.kind === 'business' ? 'business' : 'grant';
  const endsAt = endDate ? await endOfDayInCopenhagen(db, endDate) : null;

  const id = await db.transaction().execute(async (trx) => {
    await lockMailbox(trx, access.mailboxId);
    if (await hasLiveDelegation(trx, access.mailboxId, grantee.id, kind, now)) {
      throw new AppError(
        409,
        'already_has_access',
        'This person already has access. Revoke it first to change it.',
        'cpr',
      );
    }
    const id = await insertDelegation(trx, {
      mailboxId: access.mailboxId,
      granteeId: grantee.id,
      kind,
      level,
      endsAt,
      createdBy: { kind: 'citizen', id: actor.recipientId },
      createdAt: now,
    });
    await recordAudit(trx, {
      actorKind: 'citizen',
      actorId: actor.recipientId,
      action: 'access.grant',
      subjectType: 'mailbox_access',
      subjectId: id,
      mailboxRecipientId: access.mailboxId,
      details: { kind, level, granteeId: grantee.id, endsAt: endsAt?.toISOString() ?? null },
    });
    return id;
  });
  return { id, granteeName: grantee.name };
}
