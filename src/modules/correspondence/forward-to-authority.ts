import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import { AppError, notFound } from '../../http/problem.ts';
import type { Actor } from '../../kernel/actor.ts';
import type { Services } from '../../services.ts';
import { recordAudit } from '../audit/index.ts';
import { recordMessageEvent } from '../events/index.ts';
import { checkForwardNote, FORWARD_AUDIT, type ForwardSource, forwardSource } from '../mailbox/index.ts';
import { type ContactPoint, findActiveContactPoint, isUuid } from './contact-points.ts';
import { mayWriteToContactPoint } from './correspondence.policy.ts';
import { MESSAGE_EVENT, SUBJECT_MAX } from './write-to-authority.ts';

interface LetterDocument {
  position: number;
  filename: string;
  media_type: string;
  sha256: string;
  size_bytes: string;
}

export interface AuthorityForward {
  source: ForwardSource;
  contactPoint: ContactPoint & { senderName: string };
  documents: LetterDocument[];
  note: string | null;
}

/** The letter's documents as the reader sees them (not the technical ones), in order. */
async function letterDocuments(db: Db, messageId: string): Promise<LetterDocument[]> {
  return db
    .selectFrom('message_document')
    .select(['position', 'filename', 'media_type', 'sha256', 'size_bytes'])
    .where('message_id', '=', messageId)
    .where('role', '<>', 'technical')
    .orderBy('position')
    .execute();
}

/**
 * Everything forwarding to an authority checks, without writing (the confirmation step shows the result): the letter
 * may be forwarded (mailbox's forwardSource), the note is fine, the contact point is active and the mailbox may write
 * to it, and the contact point takes the letter's documents (count, total size, file types) as it would take
 * attachments a person uploads.
 */
export async function prepareForwardToAuthority(
  db: Db,
  actor: Actor | null,
  input: { messageId: string; contactPointId: string; note?: string },
): Promise<AuthorityForward> {
  const source = await forwardSource(db, actor, input.messageId);
  const note = checkForwardNote(input.note);
  const contactPoint = input.contactPointId ? await findActiveContactPoint(db, input.contactPointId) : null;
  if (!contactPoint) {
    throw new AppError(422, 'forward_contact_point_required', 'Choose the authority.', 'contactPoint');
  }
  if (!mayWriteToContactPoint(source.actor, source.access, contactPoint)) {
    throw new AppError(403, 'forward_read_only', 'Your access to this mailbox does not let you forward letters.');
  }
  const documents = await letterDocuments(db, source.message.id);
  const total = documents.reduce((sum, d) => sum + Number(d.size_bytes), 0);
  const types = new Set<string>(contactPoint.allowedMediaTypes);
  if (
    documents.length > contactPoint.maxAttachments ||
    total > contactPoint.maxTotalBytes ||
    documents.some((d) => !types.has(d.media_type))
  ) {
    throw new AppError(
      422,
      'forward_documents_not_accepted',
      'The authority does not accept the letter’s documents at this contact point.',
      'contactPoint',
    );
  }
  return { source, contactPoint, documents, note };
}

/**
 * Forwards a letter to an authority's contact point: it arrives in the authority's inbound queue as a message from
 * the mailbox ("Videresendt: <label>", the note or a line naming the original sender as its text) with the letter's
 * documents attached by reference (same sha256: nothing is copied), the authority's feed gets RECIPIENT_MESSAGE as
 * for any message to a contact point, and the mailbox's activity log shows the forward. The original sender is told
 * nothing (unless it is the authority written to, which then sees only the message it receives). A double submit
 * (same form key) forwards once.
 */
export async function forwardToAuthority(
  services: Services,
  actor: Actor | null,
  input: { messageId: string; contactPointId: string; note?: string; formKey?: string },
): Promise<{ inboundId: string; created: boolean }> {
  const { db } = services;
  const { source, contactPoint, documents, note } = await prepareForwardToAuthority(db, actor, input);
  const mailboxId = source.access.mailboxId;
  const formKey = input.formKey && isUuid(input.formKey) ? input.formKey.toLowerCase() : randomUUID();
  const letter = source.message;
  const subject = `Videresendt: ${letter.label}`.slice(0, SUBJECT_MAX);
  const received = letter.available_at ? new Date(letter.available_at).toISOString().slice(0, 10) : '';
  const body = note ?? `Videresendt brev fra ${letter.sender_name}${received ? `, modtaget ${received}` : ''}.`;
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('inbound_message')
      .values({
        sender_id: contactPoint.senderId,
        mailbox_id: mailboxId,
        kind: 'contact_point',
        reply_to_message_id: null,
        contact_point_id: contactPoint.id,
        subject,
        body,
        writer_recipient_id: source.actor.recipientId,
        writer_name: source.actor.name,
        writer_access: source.access.level === 'owner' ? 'owner' : 'read_write',
        writer_via: source.access.via,
        form_key: formKey,
      })
      .onConflict((oc) => oc.columns(['mailbox_id', 'form_key']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!row) {
      const existing = await trx
        .selectFrom('inbound_message')
        .select('id')
        .where('mailbox_id', '=', mailboxId)
        .where('form_key', '=', formKey)
        .executeTakeFirst();
      if (!existing) throw notFound('message');
      return { inboundId: existing.id, created: false };
    }
    for (const [position, document] of documents.entries()) {
      await trx
        .insertInto('inbound_attachment')
        .values({
          inbound_id: row.id,
          position,
          filename: document.filename,
          media_type: document.media_type,
          sha256: document.sha256,
          size_bytes: Number(document.size_bytes),
        })
        .execute();
    }
    await recordMessageEvent(trx, {
      messageId: null,
      senderId: contactPoint.senderId,
      type: MESSAGE_EVENT,
      data: { inboundId: row.id, contactPointId: contactPoint.id },
    });
    await recordAudit(trx, {
      actorKind: 'citizen',
      actorId: source.actor.recipientId,
      action: FORWARD_AUDIT,
      subjectType: 'message',
      subjectId: letter.id,
      mailboxRecipientId: mailboxId,
      details: {
        to: 'authority',
        toName: `${contactPoint.senderName} (${contactPoint.name})`,
        inboundId: row.id,
        note: note !== null,
        level: source.access.level,
        via: source.access.via,
      },
    });
    return { inboundId: row.id, created: true };
  });
}
