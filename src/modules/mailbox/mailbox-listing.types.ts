import type { MailboxFolderKind } from './mailbox.tables.ts';

/** The shapes of a mailbox listing (folder pages, search hits), re-exported by mailbox-listing.repository.ts. */

/** A folder of a mailbox: a system folder, or one of the owner's own (by id). */
export type FolderRef =
  | { kind: 'inbox' }
  | { kind: 'archive' }
  | { kind: 'trash' }
  | { kind: 'user'; id: string; name?: string };

/** One line of a mailbox listing. */
export interface InboxItem {
  id: string;
  label: string;
  senderName: string;
  availableAt: Date;
  firstReadAt: Date | null;
  /** The recipient's own mark: unread until first opened, or as they marked it since. */
  unread: boolean;
  legalNotification: boolean;
  /** Where the letter lies (search results span folders). */
  folder: Exclude<MailboxFolderKind, 'deleted'>;
  folderId: string | null;
  /** A line to show under the subject: the notification text, else what the envelope holds (its documents' titles). */
  preview: string | null;
  /** The letter holds more than one document (attachments). */
  attachments: boolean;
  /** The letter holds an appointment (AFTALE). */
  appointment: boolean;
  /** The letter asks the recipient to act (confirm, sign, pay, self-service, sign up) and that is not done. */
  actionNeeded: boolean;
}

/** How a folder page is ordered: newest first (the default), oldest first, or by sender A–Å (then newest first). */
export type ListingSort = 'newest' | 'oldest' | 'sender';

/** A sender that has written to a mailbox (for the listing's sender filter). */
export interface MailboxSender {
  id: string;
  name: string;
}

/** Which page of a folder, in which order, of which sender. */
export interface FolderPageOptions {
  before?: string | undefined;
  limit: number;
  /** Newest first when absent. */
  sort?: ListingSort | undefined;
  /** Only letters from this sender (a sender id). */
  senderId?: string | undefined;
  /** A folder-scoped grant's folders (MailboxAccess.folderIds): only letters there are listed; null: no limit. */
  scope?: readonly string[] | null | undefined;
}
