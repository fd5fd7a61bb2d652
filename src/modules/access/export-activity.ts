import { AppError } from '../../http/problem.ts';
import type { Actor } from '../../kernel/actor.ts';
import type { Services } from '../../services.ts';
import { type AuditExport, exportAuditChain } from '../audit/index.ts';
import { mayInMailbox } from './mailbox.policy.ts';
import type { OpenableMailbox } from './mailbox-access.ts';

/**
 * The mailbox's audit chain as a signed export (the activity log's evidence), for its owner only (policy
 * 'export_activity'): 403 otherwise. Anyone can check the file with `kuvert audit verify --file` and Kuvert's
 * published keys.
 */
export async function exportMailboxActivity(
  services: Services,
  actor: Actor | null,
  mailbox: OpenableMailbox,
): Promise<AuditExport> {
  if (!mayInMailbox(actor, mailbox.access, 'export_activity')) {
    throw new AppError(403, 'activity_forbidden', 'Only the owner of the mailbox can export the activity log.');
  }
  return exportAuditChain(services.db, mailbox.owner.id);
}
