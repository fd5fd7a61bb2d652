import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { AppError, notFound } from '../../http/problem.ts';
import type { Actor } from '../../kernel/actor.ts';
import type { Services } from '../../services.ts';
import type { MailboxAccess } from '../access/index.ts';
import { recordAudit } from '../audit/index.ts';
import { exportsDir } from './build-export.ts';
import { mayExportMailbox } from './export.policy.ts';
import { isUuid } from './list-inbox.ts';
import { findExport, listExports, type MailboxExportRow } from './mailbox-export.repository.ts';
import { exportForbidden } from './request-export.ts';

/** The exports page's data: the latest exports of the mailbox (owner only: mayExportMailbox, else 403). */
export async function mailboxExports(
  services: Services,
  actor: Actor | null,
  access: MailboxAccess | null,
): Promise<MailboxExportRow[]> {
  if (!mayExportMailbox(actor, access) || !access) throw exportForbidden();
  return listExports(services.db, access.mailboxId, 5);
}

export interface ExportDownload {
  filename: string;
  sizeBytes: number;
  body: Readable;
}

/**
 * The zip of a ready export of the mailbox being looked at (owner only; another mailbox's export is 404), each
 * download recorded in the audit log. Not ready yet: 409 export_not_ready; past its 7 days: 410 export_expired.
 */
export async function downloadMailboxExport(
  services: Services,
  actor: Actor | null,
  access: MailboxAccess | null,
  exportId: string,
  now = new Date(),
): Promise<ExportDownload> {
  if (!mayExportMailbox(actor, access) || !access || actor?.kind !== 'citizen') throw exportForbidden();
  const row = isUuid(exportId) ? await findExport(services.db, exportId.toLowerCase()) : null;
  if (!row || row.mailboxId !== access.mailboxId) throw notFound('export');
  if (row.state === 'expired' || (row.expiresAt && row.expiresAt <= now)) {
    throw new AppError(410, 'export_expired', 'The export has expired and been deleted.');
  }
  if (row.state !== 'ready' || !row.fileName) throw new AppError(409, 'export_not_ready', 'The export is not ready.');
  const file = path.join(exportsDir(services), row.fileName);
  const { size } = await stat(file).catch(() => {
    throw new AppError(410, 'export_expired', 'The export file is gone.');
  });
  await recordAudit(services.db, {
    actorKind: 'citizen',
    actorId: actor.recipientId,
    action: 'mailbox.export.download',
    subjectType: 'mailbox_export',
    subjectId: row.id,
    mailboxRecipientId: access.mailboxId,
    details: { via: access.via, sizeBytes: size },
  });
  const day = (row.readyAt ?? row.createdAt).toISOString().slice(0, 10);
  return { filename: `postkasse-${day}.zip`, sizeBytes: size, body: createReadStream(file) };
}
