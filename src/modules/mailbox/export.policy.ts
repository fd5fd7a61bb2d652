import type { Actor } from '../../kernel/actor.ts';
import { isFolderScoped, type MailboxAccess, mayInMailbox } from '../access/index.ts';

/**
 * Whether the holder of `access` may export the whole mailbox (issue 18, item 4: GDPR articles 15 and 20) and
 * download the export. Only the owner:
 *
 * | who                                                    | export |
 * |--------------------------------------------------------|--------|
 * | the person whose mailbox it is                         |   ✓    |
 * | a business's administrator (owner access via business) |   ✓    |
 * | read access, read/write access (grants)                |        |
 * | power of attorney, parents of a 15–17-year-old         |        |
 * | a business employee (read or read/write, scoped or not)|        |
 * | caseworkers, sender staff, operators, nobody           |        |
 *
 * Why: an export hands over every letter and the activity log at once, in a file that leaves Kuvert's control; it is
 * the data subject's right (or the business's), not a delegate's. Delegates read letters one by one, each read
 * recorded in the owner's activity log. A business has no person behind its mailbox; its administrators are the
 * ones MitID Erhverv names to act for it and already hold owner access (activity log, access, rules), so they count
 * as the owner here too.
 */
export function mayExportMailbox(actor: Actor | null, access: MailboxAccess | null): boolean {
  if (access?.level !== 'owner' || isFolderScoped(access)) return false;
  if (access.via !== 'self' && access.via !== 'business') return false;
  // 'view_activity' is owner-only in the matrix: the export includes the activity log.
  return mayInMailbox(actor, access, 'view_activity');
}
