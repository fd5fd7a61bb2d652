import type { Actor } from '../../kernel/actor.ts';
import type { Services } from '../../services.ts';
import { type MailboxAccess, mayInMailbox } from '../access/index.ts';
import { mayForward } from './forward.policy.ts';
import { letterHtmlFragment } from './html-document.ts';
import { findMailboxLetterPage, findRecipientName, type MailboxMessageRow } from './letter.repository.ts';
import { authoriseLetter } from './letter-access.ts';
import type { MailboxFolderKind } from './mailbox.tables.ts';
import type { MailboxNavData } from './mailbox-listing.repository.ts';
import { recordReadNow } from './record-read.ts';

/** Plain-text and HTML documents up to this size are shown on the page; larger ones only by link. */
const INLINE_TEXT_LIMIT = 256 * 1024;
const INLINE_HTML_LIMIT = 512 * 1024;

/** Codes of actions the recipient does in Kuvert (the sender is told); the others are links or information. */
export const CONFIRM_ACTION_CODES = new Set(['BEKRAEFT', 'UNDERSKRIV']);

/** The URL as a link target if it is https, else null: other schemes are never rendered as links. */
export function httpsLink(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && parsed.hostname !== '' ? parsed.href : null;
  } catch {
    return null;
  }
}

export interface LetterAction {
  position: number;
  code: string;
  label: string;
  /** An https link; null when the action has none or its URL is not https. */
  url: string | null;
  /** The URL as sent when it is not a safe link (shown as text, never as a link). */
  unsafeUrl: string | null;
  startAt: Date | null;
  endAt: Date | null;
  reservation: { description: string; abstract: string; location: string; start: string; end: string } | null;
  status: 'pending' | 'done' | null;
}

export interface LetterSummary {
  id: string;
  label: string;
  senderName: string;
  availableAt: Date;
  legalNotification: boolean;
  folder: Exclude<MailboxFolderKind, 'deleted'>;
  folderId: string | null;
  /** The owner's name when the mailbox is not the actor's own. */
  ownerName: string | null;
  access: MailboxAccess;
}

export interface OpenedMessage extends LetterSummary {
  notification: string | null;
  unread: boolean;
  /** Whether the letter may be answered now (reply allowed, reply-by not passed) by this actor. */
  replyable: boolean;
  /** Whether this actor may forward the letter (the forward policy: read access cannot, a legal notification once served). */
  forwardable: boolean;
  /** Who forwarded this letter here (a forwarded copy), when, and their note; null for a letter sent here. */
  forwardedBy: { name: string; at: Date; note: string | null } | null;
  /** When a legal notification was served (forkyndt); null for other letters. */
  legallyNotifiedAt: Date | null;
  documents: {
    position: number;
    title: string;
    filename: string;
    mediaType: string;
    sizeBytes: number;
    /** The text, for plain-text documents small enough to show inline. */
    text: string | null;
    /** The sanitised HTML (letterHtmlFragment), for HTML documents small enough to show inline. */
    html: string | null;
    /** For a PDF: how many of its pages are offered as images (phones); null when it cannot be drawn. */
    pageImages: number | null;
    /** For a PDF that can be drawn: how many pages it has (more than pageImages when capped). */
    pageImagesTotal: number;
  }[];
  actions: LetterAction[];
}

/** The page's navigation without counts: the mailbox's folders, and whether the actor may switch mailboxes. */
export type LetterNav = Pick<MailboxNavData, 'folders' | 'canSwitch'>;

export type OpenResult =
  | { kind: 'opened'; message: OpenedMessage; nav: LetterNav }
  /** A legal-notification letter not opened yet: the recipient is told before opening it. */
  | { kind: 'legal_notice'; message: LetterSummary; nav: LetterNav };

type LetterRow = NonNullable<Awaited<ReturnType<typeof findMailboxLetterPage>>>;

/** A time as read from JSON (ISO text) or from a column (a Date). */
const asDate = (value: Date | string | null): Date | null => (value === null ? null : new Date(value));

function toAction(row: LetterRow['actions'][number]): LetterAction {
  const url = httpsLink(row.url);
  const r = row.reservation as Record<string, unknown> | null;
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    position: row.position,
    code: row.action_code,
    label: row.label,
    url,
    unsafeUrl: row.url && !url ? row.url : null,
    startAt: asDate(row.start_at),
    endAt: asDate(row.end_at),
    reservation:
      row.action_code === 'AFTALE' && r
        ? {
            description: str(r.description),
            abstract: str(r.abstract),
            location: str(r.location),
            start: str(r.startDateTime),
            end: str(r.endDateTime),
          }
        : null,
    status: row.status,
  };
}

function summary(
  actor: Extract<Actor, { kind: 'citizen' }>,
  message: MailboxMessageRow,
  access: MailboxAccess,
  ownerName: string | null,
): LetterSummary {
  return {
    id: message.id,
    label: message.label,
    senderName: message.sender_name,
    availableAt: message.available_at as Date,
    legalNotification: message.legal_notification,
    folder: (message.folder ?? 'inbox') as LetterSummary['folder'],
    folderId: message.folder_id ?? null,
    ownerName: message.recipient_id === actor.recipientId ? null : ownerName,
    access,
  };
}

/**
 * How many pages of a PDF the page offers as images (phones show them instead of the embedded PDF); null when it
 * cannot be drawn, or the drawing process is busy : the page then offers the download only.
 */
async function pageImageCount(
  services: Services,
  sha256: string,
  sizeBytes: number,
): Promise<{ pageImages: number | null; pageImagesTotal: number }> {
  try {
    const total = await services.pageImages.pageCount(sha256, sizeBytes, () => services.documents.get(sha256));
    if (total === null) return { pageImages: null, pageImagesTotal: 0 };
    return { pageImages: Math.min(total, services.pageImages.limits.maxPages), pageImagesTotal: total };
  } catch {
    // Busy, or the cache could not be written: the letter is still shown, with its download.
    return { pageImages: null, pageImagesTotal: 0 };
  }
}

/**
 * Opens a letter for reading. A letter the actor may not read is "not found" (never "forbidden"). A legal-notification
 * letter not yet opened is not opened until the recipient says so (`confirmLegal`): until then only its summary is
 * returned and nothing is recorded. Opening marks it read the first time and records every read, in one transaction.
 */
export async function openMessage(
  services: Services,
  actorIn: Actor | null,
  messageId: string,
  options: { confirmLegal?: boolean } = {},
): Promise<OpenResult> {
  // The letter and what its page shows besides in one statement; used only once the policy allowed reading.
  const actorId = actorIn?.kind === 'citizen' ? actorIn.recipientId : null;
  const { actor, message, access } = await authoriseLetter(
    services.db,
    actorIn,
    messageId,
    'read',
    'message',
    (db, id) => findMailboxLetterPage(db, id, { actorId, now: new Date() }),
  );
  const nav: LetterNav = { folders: message.folders, canSwitch: message.can_switch };
  const ownName = message.recipient_id === actor.recipientId;
  const ownerName = ownName ? Promise.resolve(null) : findRecipientName(services.db, message.recipient_id);
  if (message.legal_notification && message.first_read_at === null && !options.confirmLegal) {
    return { kind: 'legal_notice', message: summary(actor, message, access, await ownerName), nav };
  }
  // The letter's contents came with it; what the read records is written apart (one statement for a re-read).
  const { documents, actions } = message;
  const [name, read] = await Promise.all([ownerName, recordReadNow(services.db, actor, message, 'message.open')]);
  const head = summary(actor, message, access, name);
  const now = Date.now();
  const replyOpen = message.reply_allowed && (message.reply_by === null || message.reply_by.getTime() > now);
  return {
    kind: 'opened',
    nav,
    message: {
      ...head,
      notification: message.notification,
      unread: false,
      replyable: replyOpen && mayInMailbox(actor, access, 'reply'),
      forwardable: mayForward(actor, access, {
        recipientId: message.recipient_id,
        legalNotification: message.legal_notification,
        // Served now if this opening served it.
        legallyNotifiedAt: message.legally_notified_at ?? (read.firstRead ? new Date(now) : null),
        recalled: false,
        deleted: false,
      }).allowed,
      forwardedBy: message.forwarded
        ? {
            name: message.forwarded.forwarded_by_name,
            at: new Date(message.forwarded.created_at),
            note: message.forwarded.note,
          }
        : null,
      legallyNotifiedAt: message.legal_notification
        ? (message.legally_notified_at ?? (read.firstRead ? new Date(now) : null))
        : null,
      actions: actions.map(toAction),
      documents: await Promise.all(
        documents.map(async (doc) => {
          const sizeBytes = Number(doc.size_bytes);
          const inline = doc.media_type === 'text/plain' && sizeBytes <= INLINE_TEXT_LIMIT;
          const inlineHtml = doc.media_type === 'text/html' && sizeBytes <= INLINE_HTML_LIMIT;
          return {
            position: doc.position,
            title: doc.title,
            filename: doc.filename,
            mediaType: doc.media_type,
            sizeBytes,
            text: inline ? (await services.documents.get(doc.sha256)).toString('utf8') : null,
            html: inlineHtml ? letterHtmlFragment((await services.documents.get(doc.sha256)).toString('utf8')) : null,
            ...(doc.media_type === 'application/pdf'
              ? await pageImageCount(services, doc.sha256, sizeBytes)
              : { pageImages: null, pageImagesTotal: 0 }),
          };
        }),
      ),
    },
  };
}
