/**
 * The access module's public face for the modules above it (issue 15: other modules import a module only through its
 * index). So far: the one mailbox access policy — who may do what in a mailbox — and its types.
 */

export { listFolderGrantees } from './access.repository.ts';
export { activityForExport, type ExportedActivity } from './activity-export.ts';
export type { ActivityItem } from './list-activity.ts';
export {
  ACCESS_LEVELS,
  type AccessLevel,
  type AccessVia,
  type DelegationKind,
  isFolderScoped,
  type LetterPlace,
  MAILBOX_ACTIONS,
  type MailboxAccess,
  type MailboxAction,
  mayBeyondFolders,
  mayGrantInMailbox,
  mayInMailbox,
  mayMoveLetter,
  mayOnLetter,
  mayRevokeInMailbox,
  mayScopeGrantToFolders,
  reachesFolder,
  scopeFolderOf,
} from './mailbox.policy.ts';
export { currentMailbox, type OpenableMailbox, resolveMailboxAccess } from './mailbox-access.ts';
export { checkPersonInput, findMatchingPerson, type MatchedPerson, matchPersonByCprAndName } from './match-person.ts';
export { findScopableGrant, type ScopeGrantOptions, scopeGrant } from './scope-grant.ts';
