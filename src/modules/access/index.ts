/**
 * The access module's public face for the modules above it (issue 15: other modules import a module only through its
 * index). So far: the one mailbox access policy — who may do what in a mailbox — and its types.
 */
export {
  ACCESS_LEVELS,
  type AccessLevel,
  type AccessVia,
  type DelegationKind,
  MAILBOX_ACTIONS,
  type MailboxAccess,
  type MailboxAction,
  mayGrantInMailbox,
  mayInMailbox,
  mayRevokeInMailbox,
} from './mailbox.policy.ts';
export { currentMailbox, resolveMailboxAccess } from './mailbox-access.ts';
export { checkPersonInput, findMatchingPerson, type MatchedPerson, matchPersonByCprAndName } from './match-person.ts';
export {
  isFolderScoped,
  type LetterPlace,
  mayBeyondFolders,
  mayMoveLetter,
  mayOnLetter,
  mayScopeGrantToFolders,
  reachesFolder,
  scopeFolderOf,
} from './mailbox.policy.ts';
export { listFolderGrantees } from './access.repository.ts';
export { type ScopeGrantOptions, scopeGrant } from './scope-grant.ts';
