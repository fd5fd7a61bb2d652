import { AppError } from '../../http/problem.ts';
import { enqueue } from '../../jobs/queue.ts';
import type { Actor } from '../../kernel/actor.ts';
import type { Services } from '../../services.ts';
import type { MailboxAccess } from '../access/index.ts';
import { recordAudit } from '../audit/index.ts';
import { mayExportMailbox } from './export.policy.ts';
import { insertExport, type MailboxExportRow } from './mailbox-export.repository.ts';

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';

export const exportForbidden = () =>
  new AppError(403, 'export_forbidden', 'Only the owner of the mailbox can download the whole mailbox.');

/**
 * Requests an export of the whole mailbox (owner only: mayExportMailbox; 403 otherwise, and nothing is stored). The
 * export row, its audit entry and the building job are one transaction. A mailbox has at most one export queued or
 * running (the table's partial unique index): a second request is 409 export_in_progress.
 */
export async function requestMailboxExport(
  services: Services,
  actor: Actor | null,
  access: MailboxAccess | null,
  lang: 'da' | 'en',
): Promise<MailboxExportRow> {
  if (!mayExportMailbox(actor, access) || actor?.kind !== 'citizen' || !access) throw exportForbidden();
  try {
    return await services.db.transaction().execute(async (trx) => {
      const row = await insertExport(trx, { mailboxId: access.mailboxId, requestedBy: actor.recipientId, lang });
      await recordAudit(trx, {
        actorKind: 'citizen',
        actorId: actor.recipientId,
        action: 'mailbox.export.request',
        subjectType: 'mailbox_export',
        subjectId: row.id,
        mailboxRecipientId: access.mailboxId,
        details: { via: access.via },
      });
      await enqueue(
        trx,
        'mailbox.export-build',
        { exportId: row.id },
        { jobKey: `mailbox.export-build:${row.id}`, maxAttempts: EXPORT_BUILD_ATTEMPTS },
      );
      return row;
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw new AppError(409, 'export_in_progress', 'An export of this mailbox is already in progress.');
  }
}

/** Tries of the building job before the export is marked failed (each try starts over). */
export const EXPORT_BUILD_ATTEMPTS = 3;
