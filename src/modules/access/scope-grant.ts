import type { Db } from '../../db/database.ts';
import { AppError } from '../../http/problem.ts';
import type { Actor } from '../../kernel/actor.ts';
import { recordAudit } from '../audit/index.ts';
import { findDelegation, findMailboxOwner, lockMailbox, setDelegationFolders, UUID_RE } from './access.repository.ts';
import { mayScopeGrantToFolders } from './mailbox.policy.ts';
import { resolveMailboxAccess } from './mailbox-access.ts';

export interface ScopeGrantOptions {
  mailboxId: string;
  grantId: string;
  /** null: the whole mailbox; else the chosen folders (at least one). */
  folderIds: readonly string[] | null;
  /**
   * The user folders the mailbox has now, from the caller (the mailbox module, above this one, owns folders: to the
   * access module they are just ids). A chosen id not among them is refused.
   */
  mailboxFolderIds: readonly string[];
}

/**
 * A business's administrator limits an employee's grant to chosen folders, or gives it the whole mailbox again.
 * Business mailboxes only (mayScopeGrantToFolders); a person's own grants stay whole-mailbox. Audited on the
 * mailbox as 'access.scope', in the same transaction.
 */
export async function scopeGrant(db: Db, actor: Actor | null, options: ScopeGrantOptions, now = new Date()) {
  const access = actor?.kind === 'citizen' ? await resolveMailboxAccess(db, actor, options.mailboxId, now) : null;
  const owner = access ? await findMailboxOwner(db, access.mailboxId) : null;
  if (!access || !owner || actor?.kind !== 'citizen' || !mayScopeGrantToFolders(actor, access, owner.kind)) {
    throw new AppError(403, 'folder_scope_forbidden', 'Only a business mailbox administrator can do this.');
  }
  const grant = UUID_RE.test(options.grantId) ? await findDelegation(db, options.grantId.toLowerCase(), now) : null;
  if (!grant || grant.mailboxId !== access.mailboxId || grant.level === 'owner') {
    throw new AppError(404, 'access_not_found', 'This access does not exist or has already ended.');
  }
  const known = new Set(options.mailboxFolderIds.map((id) => id.toLowerCase()));
  const chosen = options.folderIds?.map((id) => id.toLowerCase()) ?? null;
  if (chosen && (chosen.length === 0 || chosen.some((id) => !known.has(id)))) {
    throw new AppError(422, 'invalid_folder', 'Choose folders of this mailbox.', 'folders');
  }
  await db.transaction().execute(async (trx) => {
    await lockMailbox(trx, access.mailboxId);
    await setDelegationFolders(trx, grant.id, chosen);
    await recordAudit(trx, {
      actorKind: 'citizen',
      actorId: actor.recipientId,
      action: 'access.scope',
      subjectType: 'mailbox_access',
      subjectId: grant.id,
      mailboxRecipientId: access.mailboxId,
      details: { granteeId: grant.granteeId, folderIds: chosen },
    });
  });
}

/** A grant in force on `mailboxId` that may be scoped (not an administrator's), with its grantee and folders; or null. */
export async function findScopableGrant(db: Db, mailboxId: string, grantId: string, now = new Date()) {
  const grant = UUID_RE.test(grantId) ? await findDelegation(db, grantId.toLowerCase(), now) : null;
  if (!grant || grant.mailboxId !== mailboxId || grant.level === 'owner') return null;
  return { id: grant.id, granteeName: grant.granteeName, folderIds: grant.folderIds, mailboxKind: grant.mailboxKind };
}
