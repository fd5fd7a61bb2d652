import type { Actor } from '../../kernel/actor.ts';

/**
 * Every decision about what someone may do in a mailbox goes through this module (owned by the access work; the
 * mailbox, correspondence and contact-details code call it and decide nothing themselves).
 *
 * How much access someone holds to a mailbox:
 * - owner: the person whose mailbox it is, or for a business its registered administrator (via 'business');
 * - read_write: a grant, power of attorney, parental access or business role with read/write rights;
 * - read: the same with read rights only.
 *
 * The matrix (✓ allowed; everything else refused):
 *
 * | action                  | owner | read_write | read |
 * |-------------------------|-------|------------|------|
 * | list, read              |   ✓   |     ✓      |  ✓   |
 * | organise, delete        |   ✓   |     ✓      |      |
 * | act, reply, write       |   ✓   |     ✓      |      |
 * | forward                 |   ✓   |     ✓      |      |
 * | delete_permanently      |   ✓   |            |      |
 * | view_activity           |   ✓   |            |      |
 * | export_activity         |   ✓   |            |      |
 * | manage_access           |   ✓   |            |      |
 * | manage_contact_details  |   ✓   |            |      |
 * | manage_rules            |   ✓   |            |      |
 *
 * Why: read access only looks (it changes nothing the owner would miss); read/write access handles the mail on the
 * owner's behalf as a fuldmagt does in Danish Digital Post (replies and actions record who did them), but what
 * cannot be undone (permanent deletion), the owner's oversight of their delegates (activity log), who else gets in
 * (access) and where notifications go (contact details) stay with the owner. Caseworkers, sender staff and
 * operators never act inside a mailbox and never see content.
 */
export type AccessLevel = 'owner' | 'read_write' | 'read';

/** Why someone holds access other than their own. */
export type AccessVia = 'self' | 'grant' | 'power_of_attorney' | 'parent' | 'business';

/** The actor's access to one mailbox, as resolved (see resolveMailboxAccess in src/modules/access). */
export interface MailboxAccess {
  /** The recipient id of the mailbox's owner. */
  mailboxId: string;
  level: AccessLevel;
  via: AccessVia;
  /** The grant (or power of attorney) that gives this access; null for the owner. */
  grantId: string | null;
  /**
   * The folders (user folder ids of this mailbox) the grant reaches, when it is folder-scoped; null or absent: the
   * whole mailbox. An empty list reaches no letter (its folders were deleted): a scope narrows, it never widens.
   */
  folderIds?: readonly string[] | null;
}

export type MailboxAction =
  /** See the list of letters, folders and search. */
  | 'list'
  /** Open a letter and its documents (recorded in the activity log). */
  | 'read'
  /** Move between folders, mark read/unread, manage own folders. */
  | 'organise'
  /** Move to Trash (and restore). */
  | 'delete'
  /** Delete for good, from Trash. */
  | 'delete_permanently'
  /** Confirm or sign a letter's action. */
  | 'act'
  /** Reply to a letter. */
  | 'reply'
  /** Write a new message to an authority's contact point. */
  | 'write'
  /** Forward a letter to another person's mailbox or to an authority's contact point. */
  | 'forward'
  /** See who opened what (the activity log). */
  | 'view_activity'
  /** Download the mailbox's audit chain as a signed export (the activity log's evidence). */
  | 'export_activity'
  /** Grant and revoke others' access to this mailbox. */
  | 'manage_access'
  /** Change the mailbox's contact details and notification settings. */
  | 'manage_contact_details'
  /** Add, delete and reorder the routing rules that file incoming letters into folders. */
  | 'manage_rules';

/** Every action, for exhaustive tests and documentation. */
export const MAILBOX_ACTIONS: readonly MailboxAction[] = [
  'list',
  'read',
  'organise',
  'delete',
  'delete_permanently',
  'act',
  'reply',
  'write',
  'forward',
  'view_activity',
  'export_activity',
  'manage_access',
  'manage_contact_details',
  'manage_rules',
];

/** Every access level, strongest first. */
export const ACCESS_LEVELS: readonly AccessLevel[] = ['owner', 'read_write', 'read'];

const allowed: Record<AccessLevel, ReadonlySet<MailboxAction>> = {
  owner: new Set(MAILBOX_ACTIONS),
  read_write: new Set<MailboxAction>(['list', 'read', 'organise', 'delete', 'act', 'reply', 'write', 'forward']),
  read: new Set<MailboxAction>(['list', 'read']),
};

/** An access record that cannot be real (a forged or mis-resolved one) grants nothing. */
function consistent(actor: Extract<Actor, { kind: 'citizen' }>, access: MailboxAccess): boolean {
  // Ownership is never limited to folders: a scoped owner record is forged.
  if (access.level === 'owner' && isFolderScoped(access)) return false;
  if (access.via === 'self') return access.level === 'owner' && access.mailboxId === actor.recipientId;
  // Only the owner holds 'owner' in their own right; others hold it only as a business's administrator.
  if (access.level === 'owner') return access.via === 'business' && access.mailboxId !== actor.recipientId;
  return access.mailboxId !== actor.recipientId;
}

/**
 * Whether `actor`, holding `access` (null: none) to a mailbox, may do `action` there. Pure: the caller resolves
 * access first (grants checked for revocation and expiry at that moment). Caseworkers, sender staff and operators
 * never act inside a mailbox and never see content.
 */
export function mayInMailbox(actor: Actor | null, access: MailboxAccess | null, action: MailboxAction): boolean {
  if (!actor || !access || actor.kind !== 'citizen') return false;
  if (!consistent(actor, access)) return false;
  return allowed[access.level]?.has(action) ?? false;
}

/** The kinds of access someone can hold to another's mailbox, as stored (access module). */
export type DelegationKind = 'grant' | 'power_of_attorney' | 'parent' | 'business';

/**
 * Whether the holder of `access` may give someone `level` access to this mailbox. Only the owner (or a business's
 * administrator) grants, and only read or read/write: ownership is never handed on.
 */
export function mayGrantInMailbox(actor: Actor | null, access: MailboxAccess | null, level: AccessLevel): boolean {
  return level !== 'owner' && mayInMailbox(actor, access, 'manage_access');
}

/**
 * Whether the holder of `access` may end a delegation of `kind` on this mailbox. The owner may revoke grants and
 * powers of attorney at any time (a fuldmagt can always be withdrawn by whoever gave it); parents' access to a
 * 15–17-year-old follows custody, not the child's consent, so only citizen service ends it early.
 */
export function mayRevokeInMailbox(
  actor: Actor | null,
  access: MailboxAccess | null,
  delegation: { kind: DelegationKind },
): boolean {
  return delegation.kind !== 'parent' && mayInMailbox(actor, access, 'manage_access');
}

/**
 * Whether the holder of `access` may name and remove a business's administrators (issue 17): only an administrator
 * of that business, i.e. owner access through the business. A person's own mailbox has no administrators.
 */
export function mayManageAdministrators(actor: Actor | null, access: MailboxAccess | null): boolean {
  return access?.via === 'business' && access.level === 'owner' && mayInMailbox(actor, access, 'manage_access');
}

/**
 * Whether an administrator may be removed while `administrators` people administer the business: only by an
 * administrator, and never the last one (a business without one could never again manage its mailbox's access).
 */
export function mayRemoveAdministrator(
  actor: Actor | null,
  access: MailboxAccess | null,
  administrators: number,
): boolean {
  return mayManageAdministrators(actor, access) && administrators > 1;
}

/**
 * Where a letter sits, for the folder scope: its folder kind and user folder id, and for a letter in Trash the user
 * folder it came from (trashed_from_folder_id).
 */
export interface LetterPlace {
  folder: 'inbox' | 'archive' | 'trash' | 'user' | 'deleted' | null;
  folderId: string | null;
  trashedFromFolderId?: string | null;
}

/**
 * The user folder a letter belongs to for the scope: its folder, or in Trash the folder it was deleted from (so a
 * scoped employee with read/write can restore what they deleted). Inbox, Archive and anything else: none.
 */
export function scopeFolderOf(place: LetterPlace): string | null {
  if (place.folder === 'user') return place.folderId;
  if (place.folder === 'trash') return place.trashedFromFolderId ?? null;
  return null;
}

/** Whether the access is limited to chosen folders (a folder-scoped grant). */
export function isFolderScoped(access: MailboxAccess | null): boolean {
  return !!access && access.folderIds !== null && access.folderIds !== undefined;
}

/**
 * Whether the holder of `access` reaches folder `folderId` (a user folder; null: the Inbox, Archive or a letter
 * with no folder). Whole-mailbox access reaches every folder; a scoped grant only its own (never the Inbox).
 */
export function reachesFolder(access: MailboxAccess | null, folderId: string | null): boolean {
  if (!access) return false;
  if (!isFolderScoped(access)) return true;
  return folderId !== null && (access.folderIds ?? []).includes(folderId);
}

/**
 * Whether `actor` may do `action` on a letter at `place` in the mailbox: mayInMailbox, and the letter lies within the
 * access's folders. Letters outside a scoped grant are as letters one cannot see (the caller answers 404).
 * The SQL of the listings applies the same rule (scopeFolderOf, reachesFolder) to the rows they read.
 */
export function mayOnLetter(
  actor: Actor | null,
  access: MailboxAccess | null,
  action: MailboxAction,
  place: LetterPlace,
): boolean {
  return mayInMailbox(actor, access, action) && reachesFolder(access, scopeFolderOf(place));
}

/**
 * Whether a letter may be moved from `from` to `to` by the holder of `access`: organise (delete for Trash) on the
 * letter where it is, and the place it goes to must still be within reach: a scoped employee cannot move a letter
 * out of their folders into one they cannot see (nor to the Inbox or Archive, which they cannot see).
 */
export function mayMoveLetter(
  actor: Actor | null,
  access: MailboxAccess | null,
  from: LetterPlace,
  to: LetterPlace,
): boolean {
  const action: MailboxAction = to.folder === 'trash' ? 'delete' : 'organise';
  return mayOnLetter(actor, access, action, from) && reachesFolder(access, scopeFolderOf(to));
}

/**
 * Whether the holder of `access` may act on the mailbox as a whole beyond its folders (write a new message, see the
 * sent items, manage folders): whole-mailbox access only; a folder-scoped employee works within their folders.
 */
export function mayBeyondFolders(actor: Actor | null, access: MailboxAccess | null, action: MailboxAction): boolean {
  return mayInMailbox(actor, access, action) && !isFolderScoped(access);
}

/** Whether folder-scoped grants may be given on a mailbox of this kind: business mailboxes only (see ARCHITECTURE). */
export function mayScopeGrantToFolders(
  actor: Actor | null,
  access: MailboxAccess | null,
  mailboxKind: 'person' | 'business',
): boolean {
  return mailboxKind === 'business' && mayInMailbox(actor, access, 'manage_access');
}
