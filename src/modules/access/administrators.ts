import type { Db } from '../../db/database.ts';
import { AppError } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import { recordAudit } from '../audit/index.ts';
import {
  findDelegation,
  findMailboxOwner,
  insertDelegation,
  lockMailbox,
  revokeDelegation,
} from './access.repository.ts';
import { countAdministrators, liveBusinessAccess } from './administrators.repository.ts';
import type { CitizenActor } from './grant-access.ts';
import { mayManageAdministrators, mayRemoveAdministrator } from './mailbox.policy.ts';
import { resolveMailboxAccess } from './mailbox-access.ts';
import { checkPersonInput, findMatchingPerson } from './match-person.ts';

const forbidden = () =>
  new AppError(403, 'access_management_forbidden', "Only the business's administrators can manage administrators.");

/**
 * Makes `granteeId` an administrator (owner access through the business) of `mailboxId`, in the caller's
 * transaction, after locking the mailbox: their other access to the business (read or read/write) ends, as the
 * owner access replaces it. Audited on the mailbox. Throws 409 already_administrator if they are one.
 */
export async function makeAdministrator(
  trx: Db,
  entry: { mailboxId: string; granteeId: string; by: { kind: string; id: string }; actorId: string; via: string },
  now: Date,
): Promise<string> {
  await lockMailbox(trx, entry.mailboxId);
  const held = await liveBusinessAccess(trx, entry.mailboxId, entry.granteeId, now);
  if (held.some((h) => h.level === 'owner')) {
    throw new AppError(409, 'already_administrator', 'This person is already an administrator.', 'cpr');
  }
  for (const lower of held) {
    await revokeDelegation(trx, lower.id, entry.by, now);
    await recordAudit(trx, {
      actorKind: 'citizen',
      actorId: entry.actorId,
      action: 'access.revoke',
      subjectType: 'mailbox_access',
      subjectId: lower.id,
      mailboxRecipientId: entry.mailboxId,
      details: { kind: 'business', level: lower.level, granteeId: entry.granteeId, replacedBy: 'owner' },
    });
  }
  const id = await insertDelegation(trx, {
    mailboxId: entry.mailboxId,
    granteeId: entry.granteeId,
    kind: 'business',
    level: 'owner',
    endsAt: null,
    createdBy: entry.by,
    createdAt: now,
  });
  await recordAudit(trx, {
    actorKind: 'citizen',
    actorId: entry.actorId,
    action: 'access.grant',
    subjectType: 'mailbox_access',
    subjectId: id,
    mailboxRecipientId: entry.mailboxId,
    details: { kind: 'business', level: 'owner', granteeId: entry.granteeId, endsAt: null, via: entry.via },
  });
  return id;
}

/**
 * Refuses (409 last_business_administrator) to end the owner access of a business's last administrator. Locks the mailbox
 * first, so two administrators removing each other at once cannot both pass. Call inside the revoking transaction.
 */
export async function keepLastAdministrator(trx: Db, mailboxId: string, now: Date): Promise<void> {
  await lockMailbox(trx, mailboxId);
  if ((await countAdministrators(trx, mailboxId, now)) <= 1) {
    throw new AppError(409, 'last_business_administrator', 'The business must keep at least one administrator.');
  }
}

export interface AddAdministratorOptions {
  mailboxId: string;
  /** A person by CPR number and name (the match-person flow), from a form body (never a URL)... */
  cpr?: string;
  name?: string;
  /** ...or one who already holds access to the business, by that access's id. */
  accessId?: string;
}

/** An administrator names another person administrator of the business. */
export async function addAdministrator(
  services: Services,
  actor: CitizenActor,
  options: AddAdministratorOptions,
  now = new Date(),
): Promise<{ id: string; name: string }> {
  const { db } = services;
  const access = await resolveMailboxAccess(db, actor, options.mailboxId, now);
  if (!access || !mayManageAdministrators(actor, access)) throw forbidden();
  const owner = await findMailboxOwner(db, access.mailboxId);
  if (owner?.kind !== 'business') throw forbidden();
  let grantee: { id: string; name: string };
  if (options.accessId) {
    const held = await findDelegation(db, options.accessId, now);
    if (!held || held.mailboxId !== access.mailboxId) {
      throw new AppError(404, 'access_not_found', 'This access does not exist or has already ended.');
    }
    grantee = { id: held.granteeId, name: held.granteeName };
  } else {
    const cpr = checkPersonInput({ cpr: options.cpr ?? '', name: options.name ?? '' });
    grantee = await findMatchingPerson(db, cpr, options.name ?? '');
  }
  const id = await db.transaction().execute((trx) =>
    makeAdministrator(
      trx,
      {
        mailboxId: access.mailboxId,
        granteeId: grantee.id,
        by: { kind: 'citizen', id: actor.recipientId },
        actorId: actor.recipientId,
        via: 'administrator',
      },
      now,
    ),
  );
  return { id, name: grantee.name };
}

/** An administrator removes an administrator (themselves included), never the last one. */
export async function removeAdministrator(
  services: Services,
  actor: CitizenActor,
  options: { mailboxId: string; accessId: string },
  now = new Date(),
): Promise<{ name: string; self: boolean }> {
  const { db } = services;
  const access = await resolveMailboxAccess(db, actor, options.mailboxId, now);
  if (!access || !mayManageAdministrators(actor, access)) throw forbidden();
  const target = await findDelegation(db, options.accessId, now);
  if (!target || target.mailboxId !== access.mailboxId || target.kind !== 'business' || target.level !== 'owner') {
    throw new AppError(404, 'not_an_administrator', 'This person is not an administrator of the business.');
  }
  await db.transaction().execute(async (trx) => {
    await lockMailbox(trx, access.mailboxId);
    if (!mayRemoveAdministrator(actor, access, await countAdministrators(trx, access.mailboxId, now))) {
      throw new AppError(409, 'last_business_administrator', 'The business must keep at least one administrator.');
    }
    if (!(await revokeDelegation(trx, target.id, { kind: 'citizen', id: actor.recipientId }, now))) {
      throw new AppError(404, 'not_an_administrator', 'This person is not an administrator of the business.');
    }
    await recordAudit(trx, {
      actorKind: 'citizen',
      actorId: actor.recipientId,
      action: 'access.revoke',
      subjectType: 'mailbox_access',
      subjectId: target.id,
      mailboxRecipientId: target.mailboxId,
      details: { kind: 'business', level: 'owner', granteeId: target.granteeId },
    });
  });
  return { name: target.granteeName, self: target.granteeId === actor.recipientId };
}
