import type { Actor } from '../identity/actor.ts';

/**
 * Every decision about what someone may do in a mailbox goes through this module (owned by the access work; the
 * mailbox, correspondence and contact-details code call it and decide nothing themselves).
 *
 * How much access someone holds to a mailbox:
 * - owner: the person (or, for a business, someone acting for it) whose mailbox it is;
 * - read_write: a grant, power of attorney or parental access with read/write rights;
 * - read: a grant with read rights only.
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
  /** See who opened what (the activity log). */
  | 'view_activity'
  /** Grant and revoke others' access to this mailbox. */
  | 'manage_access'
  /** Change the mailbox's contact details and notification settings. */
  | 'manage_contact_details';

/**
 * Whether `actor`, holding `access` (null: none) to a mailbox, may do `action` there. Pure: the caller resolves
 * access first (grants checked for revocation and expiry at that moment). Caseworkers, sender staff and operators
 * never act inside a mailbox and never see content.
 */
export function mayInMailbox(actor: Actor | null, access: MailboxAccess | null, action: MailboxAction): boolean {
  if (!actor || !access || actor.kind !== 'citizen') return false;
  switch (access.level) {
    case 'owner':
      return true;
    case 'read_write':
      return (
        action !== 'delete_permanently' &&
        action !== 'manage_access' &&
        action !== 'manage_contact_details' &&
        action !== 'view_activity'
      );
    case 'read':
      return action === 'list' || action === 'read';
  }
}

/**
 * Who may read a letter's content: whoever may 'read' in its mailbox. Kept for callers that only know the owner.
 * @deprecated use resolveMailboxAccess + mayInMailbox
 */
export function canReadMessage(actor: Actor | null, message: { recipientId: string }): boolean {
  if (actor?.kind !== 'citizen') return false;
  return actor.recipientId === message.recipientId;
}
