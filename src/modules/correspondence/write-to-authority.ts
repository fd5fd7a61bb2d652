import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import { sha256Hex } from '../../documents/document-store.ts';
import { inspectDocuments } from '../../documents/inspect-documents.ts';
import { textProblem } from '../../http/input.ts';
import { AppError, notFound } from '../../http/problem.ts';
import type { Actor } from '../../kernel/actor.ts';
import type { Services } from '../../services.ts';
import { characterCount, FormTextError } from '../../web/form-text.ts';
import { type MailboxAccess, mayOnLetter, resolveMailboxAccess } from '../access/index.ts';
import { recordAudit } from '../audit/index.ts';
import { recordMessageEvent } from '../events/index.ts';
import {
  type AttachmentLimits,
  type CheckedAttachment,
  checkAttachments,
  REPLY_LIMITS,
  type UploadedFile,
} from './attachments.ts';
import { findActiveContactPoint, isUuid, limitsOf } from './contact-points.ts';
import { mayReply, mayWriteToContactPoint } from './correspondence.policy.ts';

/** What the writer typed and attached. */
export interface InboundDraft {
  subject: string;
  body: string;
  /** The form's idempotency key (a UUID in a hidden field): submitting the same form twice stores one message. */
  formKey: string;
  files: UploadedFile[];
}

export const SUBJECT_MAX = 200;
export const BODY_MAX = 20_000;

/** Event types in the sender's feed. */
export const REPLY_EVENT = 'RECIPIENT_REPLY';
export const MESSAGE_EVENT = 'RECIPIENT_MESSAGE';

type Citizen = Extract<Actor, { kind: 'citizen' }>;

/** The letter a reply answers, if it is in a mailbox (available and not recalled). */
async function findLetter(db: Db, id: string) {
  if (!isUuid(id)) return null;
  return db
    .selectFrom('message')
    .innerJoin('sender', 'sender.id', 'message.sender_id')
    .leftJoin('mailbox_item', 'mailbox_item.message_id', 'message.id')
    .select([
      'mailbox_item.folder',
      'mailbox_item.folder_id',
      'mailbox_item.trashed_from_folder_id',
      'message.id',
      'message.sender_id',
      'message.recipient_id',
      'message.label',
      'message.reply_allowed',
      'message.reply_by',
      'sender.name as sender_name',
    ])
    .where('message.id', '=', id.toLowerCase())
    .where('message.available_at', 'is not', null)
    .where('message.recalled_at', 'is', null)
    .executeTakeFirst();
}

export type ReplyTarget = NonNullable<Awaited<ReturnType<typeof findLetter>>>;

/**
 * The letter to reply to, if `actor` may reply to it now; otherwise why not: a letter the actor may not even read is
 * "not found"; read-only access is 403 `read_only_access`; a letter that takes no reply is 409 `reply_not_allowed`;
 * after the reply-by time, 409 `reply_period_over`.
 */
export async function replyTarget(
  services: Services,
  actor: Actor | null,
  access: MailboxAccess | null,
  letterId: string,
  now = new Date(),
): Promise<ReplyTarget> {
  const letter = await findLetter(services.db, letterId);
  const place = {
    folder: letter?.folder ?? null,
    folderId: letter?.folder_id ?? null,
    trashedFromFolderId: letter?.trashed_from_folder_id ?? null,
  };
  // A letter outside a folder-scoped grant's folders is as one the actor cannot see.
  if (!letter || !access || access.mailboxId !== letter.recipient_id || !mayOnLetter(actor, access, 'read', place)) {
    throw notFound('message');
  }
  const decision = mayReply(
    actor,
    access,
    { recipientId: letter.recipient_id, replyAllowed: letter.reply_allowed, replyBy: letter.reply_by },
    now,
  );
  if (decision.allowed) return letter;
  if (decision.reason === 'no_access') {
    throw new AppError(403, 'read_only_access', 'Your access to this mailbox does not let you reply.');
  }
  if (decision.reason === 'closed') {
    throw new AppError(409, 'reply_period_over', 'The time for replying to this letter has passed.', undefined, {
      replyBy: letter.reply_by?.toISOString(),
    });
  }
  throw new AppError(409, 'reply_not_allowed', 'The sender does not take replies to this letter.');
}

/** Replies to a letter from its mailbox, as the owner or a read/write delegate. */
export async function replyToLetter(
  services: Services,
  options: { actor: Actor | null; access: MailboxAccess | null; letterId: string; draft: InboundDraft; now?: Date },
): Promise<{ id: string; created: boolean }> {
  const letter = await replyTarget(services, options.actor, options.access, options.letterId, options.now);
  const subject = options.draft.subject.trim() || `Svar: ${letter.label}`.slice(0, SUBJECT_MAX);
  return storeInbound(services, {
    actor: options.actor as Citizen,
    access: options.access as MailboxAccess,
    senderId: letter.sender_id,
    kind: 'reply',
    letterId: letter.id,
    contactPointId: null,
    limits: REPLY_LIMITS,
    draft: { ...options.draft, subject },
  });
}

/** Writes a new message from a mailbox to an authority's active contact point, within its attachment limits. */
export async function writeToContactPoint(
  services: Services,
  options: { actor: Actor | null; access: MailboxAccess | null; contactPointId: string; draft: InboundDraft },
): Promise<{ id: string; created: boolean }> {
  const contactPoint = await findActiveContactPoint(services.db, options.contactPointId);
  if (!contactPoint) throw notFound('contact point');
  if (!mayWriteToContactPoint(options.actor, options.access, contactPoint)) {
    throw new AppError(403, 'read_only_access', 'Your access to this mailbox does not let you write to authorities.');
  }
  return storeInbound(services, {
    actor: options.actor as Citizen,
    access: options.access as MailboxAccess,
    senderId: contactPoint.senderId,
    kind: 'contact_point',
    letterId: null,
    contactPointId: contactPoint.id,
    limits: limitsOf(contactPoint),
    draft: options.draft,
  });
}

/** Checks the text, then the files; nothing is stored if either is wrong. */
export function checkDraft(
  draft: InboundDraft,
  limits: AttachmentLimits,
  maxFileBytes: number,
): { subject: string; body: string; attachments: CheckedAttachment[] } {
  // Control characters (line breaks in the subject) and lone surrogates are refused as typed, before any trimming.
  const subjectProblem = textProblem(draft.subject, { allowBlank: true });
  if (subjectProblem) throw new FormTextError('/subject', subjectProblem, SUBJECT_MAX);
  const bodyProblem = textProblem(draft.body, { multiline: true, allowBlank: true });
  if (bodyProblem) throw new FormTextError('/body', bodyProblem, BODY_MAX, true);
  const subject = draft.subject.trim();
  if (!subject) throw new AppError(422, 'subject_required', 'Write a subject.', '/subject');
  if (characterCount(subject) > SUBJECT_MAX) {
    throw new AppError(422, 'subject_too_long', `The subject is at most ${SUBJECT_MAX} characters.`, '/subject');
  }
  const body = draft.body.replace(/\r\n/g, '\n').trim();
  if (!body) throw new AppError(422, 'body_required', 'Write your message.', '/body');
  if (characterCount(body) > BODY_MAX) {
    throw new AppError(422, 'body_too_long', `The message is at most ${BODY_MAX} characters.`, '/body');
  }
  return { subject, body, attachments: checkAttachments(draft.files, limits, maxFileBytes) };
}

async function storeInbound(
  services: Services,
  input: {
    actor: Citizen;
    access: MailboxAccess;
    senderId: string;
    kind: 'reply' | 'contact_point';
    letterId: string | null;
    contactPointId: string | null;
    limits: AttachmentLimits;
    draft: InboundDraft;
  },
): Promise<{ id: string; created: boolean }> {
  const { db } = services;
  const mailboxId = input.access.mailboxId;
  const formKey = isUuid(input.draft.formKey) ? input.draft.formKey.toLowerCase() : randomUUID();
  const previous = await findByFormKey(db, mailboxId, formKey);
  if (previous) return { id: previous, created: false };

  const { subject, body, attachments } = checkDraft(input.draft, input.limits, services.config.maxDocumentBytes);

  try {
    await inspectDocuments(
      services,
      attachments.map((file, i) => ({ ...file, field: `/attachments/${i}` })),
    );
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'not_a_pdf') throw error;
    const filename = attachments[Number(error.field?.split('/')[2])]?.filename ?? '';
    throw new AppError(422, 'attachment_content_mismatch', 'The file is not a real PDF file.', error.field, {
      filename,
      detail: error.code,
    });
  }
  // Bytes first, durably: a crash or a failed transaction after this leaves at most a file no row names, which the
  // orphan sweeper removes after its grace period (sweep-documents.ts); never a message without its file.
  const hashes: string[] = [];
  for (const file of attachments) hashes.push(await services.documents.put(file.bytes));

  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('inbound_message')
      .values({
        sender_id: input.senderId,
        mailbox_id: mailboxId,
        kind: input.kind,
        reply_to_message_id: input.letterId,
        contact_point_id: input.contactPointId,
        subject,
        body,
        writer_recipient_id: input.actor.recipientId,
        writer_name: input.actor.name,
        writer_access: input.access.level === 'owner' ? 'owner' : 'read_write',
        writer_via: input.access.via,
        form_key: formKey,
      })
      .onConflict((oc) => oc.columns(['mailbox_id', 'form_key']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!row) {
      // The same form, submitted twice at once: the other request stored it.
      const existing = await findByFormKey(trx, mailboxId, formKey);
      return { id: existing as string, created: false };
    }
    for (const [position, file] of attachments.entries()) {
      const sha256 = hashes[position] ?? sha256Hex(file.bytes);
      await trx
        .insertInto('document')
        .values({ sha256, media_type: file.mediaType, size_bytes: file.bytes.length })
        .onConflict((oc) => oc.column('sha256').doNothing())
        .execute();
      await trx
        .insertInto('inbound_attachment')
        .values({
          inbound_id: row.id,
          position,
          filename: file.filename,
          media_type: file.mediaType,
          sha256,
          size_bytes: file.bytes.length,
        })
        .execute();
    }
    // The sender's event feed (and so its webhooks): a reply belongs to its letter; a message to a contact point
    // has no letter.
    const type = input.kind === 'reply' ? REPLY_EVENT : MESSAGE_EVENT;
    const data = { inboundId: row.id, ...(input.contactPointId ? { contactPointId: input.contactPointId } : {}) };
    await recordMessageEvent(trx, { messageId: input.letterId ?? null, senderId: input.senderId, type, data });
    await recordAudit(trx, {
      actorKind: 'citizen',
      actorId: input.actor.recipientId,
      action: input.kind === 'reply' ? 'correspondence.reply' : 'correspondence.write',
      subjectType: 'inbound_message',
      subjectId: row.id,
      mailboxRecipientId: mailboxId,
      details: {
        senderId: input.senderId,
        ...(input.letterId ? { messageId: input.letterId } : {}),
        ...(input.contactPointId ? { contactPointId: input.contactPointId } : {}),
        attachments: attachments.length,
        access: input.access.level,
        via: input.access.via,
      },
    });
    return { id: row.id, created: true };
  });
}

async function findByFormKey(db: Db, mailboxId: string, formKey: string): Promise<string | null> {
  const row = await db
    .selectFrom('inbound_message')
    .select('id')
    .where('mailbox_id', '=', mailboxId)
    .where('form_key', '=', formKey)
    .executeTakeFirst();
  return row?.id ?? null;
}

/**
 * The actor's access to the mailbox a letter is in (null: none, or no such letter in any mailbox), and the name of
 * that mailbox's owner.
 */
export async function accessToLetter(
  services: Services,
  actor: Actor | null,
  letterId: string,
): Promise<{ access: MailboxAccess | null; ownerName: string }> {
  const letter = await findLetter(services.db, letterId);
  if (!letter) return { access: null, ownerName: '' };
  const access = await resolveMailboxAccess(services.db, actor, letter.recipient_id);
  const owner = await services.db
    .selectFrom('recipient')
    .select('name')
    .where('id', '=', letter.recipient_id)
    .executeTakeFirst();
  return { access, ownerName: owner?.name ?? '' };
}
