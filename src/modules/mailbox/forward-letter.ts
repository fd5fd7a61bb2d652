import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import { textProblem } from '../../http/input.ts';
import { AppError, notFound } from '../../http/problem.ts';
import type { Actor } from '../../kernel/actor.ts';
import type { Services } from '../../services.ts';
import { characterCount, FormTextError } from '../../web/form-text.ts';
import {
  type MailboxAccess,
  type MatchedPerson,
  matchPersonByCprAndName,
  mayOnLetter,
  resolveMailboxAccess,
} from '../access/index.ts';
import { recordAudit } from '../audit/index.ts';
import { insertForwardedCopy } from '../messages/index.ts';
import { scheduleForwardedMailNotification } from '../notify/index.ts';
import { mayForward } from './forward.policy.ts';
import { findMailboxMessage, type MailboxMessageRow } from './letter.repository.ts';
import { letterPlace } from './letter-access.ts';
import { isUuid } from './list-inbox.ts';

type Citizen = Extract<Actor, { kind: 'citizen' }>;

/** The longest note a forwarder may add. */
export const FORWARD_NOTE_MAX = 1000;

/** Audit actions of forwarding: in the forwarding mailbox, and in the receiving one. */
export const FORWARD_AUDIT = 'letter.forward';
export const FORWARD_RECEIVED_AUDIT = 'letter.forward.received';

export interface ForwardSource {
  actor: Citizen;
  access: MailboxAccess;
  message: MailboxMessageRow;
}

/**
 * The letter `messageId` and the actor's access to its mailbox, if the forwarding policy lets them forward it now.
 * A letter they may not read, a recalled one and one deleted for good are "not found"; read-only access is 403
 * `forward_read_only`; an unserved legal notification 409 `forward_legal_notification_unserved`.
 */
export async function forwardSource(db: Db, actor: Actor | null, messageId: string): Promise<ForwardSource> {
  if (!isUuid(messageId) || actor?.kind !== 'citizen') throw notFound('message');
  const message = await findMailboxMessage(db, messageId.toLowerCase());
  if (!message) throw notFound('message');
  const access = await resolveMailboxAccess(db, actor, message.recipient_id);
  // A letter outside a folder-scoped grant's folders is as one the actor cannot see.
  if (!mayOnLetter(actor, access, 'read', letterPlace(message))) throw notFound('message');
  const decision = mayForward(actor, access, {
    recipientId: message.recipient_id,
    legalNotification: message.legal_notification,
    legallyNotifiedAt: message.legally_notified_at,
    recalled: false,
    deleted: message.folder === 'deleted',
  });
  if (!decision.allowed) {
    if (decision.reason === 'read_only') {
      throw new AppError(403, 'forward_read_only', 'Your access to this mailbox does not let you forward letters.');
    }
    if (decision.reason === 'unserved_legal_notification') {
      throw new AppError(
        409,
        'forward_legal_notification_unserved',
        'Open this legal notification before you forward it.',
      );
    }
    throw notFound('message');
  }
  return { actor, access: access as MailboxAccess, message };
}

/** The forwarder's optional note: one text, no control characters but line breaks, at most FORWARD_NOTE_MAX. */
export function checkForwardNote(note: string | undefined): string | null {
  const value = (note ?? '').replace(/\r\n/g, '\n');
  const problem = textProblem(value, { multiline: true, allowBlank: true });
  if (problem) throw new FormTextError('note', problem, FORWARD_NOTE_MAX, true);
  const trimmed = value.trim();
  if (characterCount(trimmed) > FORWARD_NOTE_MAX) throw new FormTextError('note', 'too_long', FORWARD_NOTE_MAX, true);
  return trimmed || null;
}

export interface PersonForward {
  source: ForwardSource;
  person: MatchedPerson;
  note: string | null;
}

/**
 * Everything forwarding to a person checks, without writing (the confirmation step shows the result): the letter
 * may be forwarded, the note is fine, the CPR number and name match a person (the access form's check, so a CPR
 * number reveals no name), who is not the forwarder nor the mailbox the letter is in, and who receives Digital Post
 * (an exempted or not enrolled person gets no forwarded letters: nothing is printed for a forward).
 */
export async function prepareForwardToPerson(
  db: Db,
  actor: Actor | null,
  input: { messageId: string; cpr: string; name: string; note?: string },
): Promise<PersonForward> {
  const source = await forwardSource(db, actor, input.messageId);
  const note = checkForwardNote(input.note);
  const person = await matchPersonByCprAndName(db, { cpr: input.cpr, name: input.name });
  if (person.id === source.access.mailboxId || person.id === source.actor.recipientId) {
    throw new AppError(422, 'forward_to_self', 'The letter cannot be forwarded to yourself.', 'cpr');
  }
  if (person.enrolment !== 'automatic' && person.enrolment !== 'voluntary') {
    throw new AppError(
      422,
      'forward_recipient_not_enrolled',
      'This person does not receive Digital Post, so the letter cannot be forwarded to them.',
      'cpr',
    );
  }
  return { source, person, note };
}

/**
 * Forwards a letter to another person's mailbox: a copy there (same documents, content-addressed, nothing copied;
 * see insertForwardedCopy) marked as forwarded by the actor with the note, the usual new-mail notification, and an
 * audit row in both mailboxes ("… videresendte »…« til Karen Holm" / "Modtog »…« videresendt fra …"). The sender is
 * told nothing. Submitting the same form twice (same form key) forwards once.
 */
export async function forwardToPerson(
  services: Services,
  actor: Actor | null,
  input: { messageId: string; cpr: string; name: string; note?: string; formKey?: string },
  now = new Date(),
): Promise<{ copyId: string; recipientName: string; created: boolean }> {
  const { db } = services;
  const { source, person, note } = await prepareForwardToPerson(db, actor, input);
  const fromMailbox = source.access.mailboxId;
  const formKey = input.formKey && isUuid(input.formKey) ? input.formKey.toLowerCase() : randomUUID();
  return db.transaction().execute(async (trx) => {
    const previous = await trx
      .selectFrom('mailbox_forward')
      .select('message_id')
      .where('from_mailbox_id', '=', fromMailbox)
      .where('form_key', '=', formKey)
      .executeTakeFirst();
    if (previous) return { copyId: previous.message_id, recipientName: person.name, created: false };
    const copyId = await insertForwardedCopy(trx, {
      originalId: source.message.id,
      recipientId: person.id,
      at: now,
    });
    if (!copyId) throw notFound('message');
    const inserted = await trx
      .insertInto('mailbox_forward')
      .values({
        message_id: copyId,
        original_message_id: source.message.id,
        from_mailbox_id: fromMailbox,
        to_mailbox_id: person.id,
        forwarded_by_id: source.actor.recipientId,
        forwarded_by_name: source.actor.name,
        note,
        form_key: formKey,
        created_at: now,
      })
      .onConflict((oc) => oc.columns(['from_mailbox_id', 'form_key']).doNothing())
      .returning('message_id')
      .executeTakeFirst();
    if (!inserted) {
      // The same form, submitted twice at once: the other request forwarded it; this transaction's copy goes.
      throw new AppError(409, 'forward_already_sent', 'This letter has already been forwarded.');
    }
    await scheduleForwardedMailNotification(trx, [copyId], now);
    await recordAudit(trx, {
      actorKind: 'citizen',
      actorId: source.actor.recipientId,
      action: FORWARD_AUDIT,
      subjectType: 'message',
      subjectId: source.message.id,
      mailboxRecipientId: fromMailbox,
      details: {
        to: 'person',
        toName: person.name,
        note: note !== null,
        level: source.access.level,
        via: source.access.via,
      },
    });
    await recordAudit(trx, {
      actorKind: 'citizen',
      actorId: source.actor.recipientId,
      action: FORWARD_RECEIVED_AUDIT,
      subjectType: 'message',
      subjectId: copyId,
      mailboxRecipientId: person.id,
      details: { fromName: source.actor.name },
    });
    return { copyId, recipientName: person.name, created: true };
  });
}

/** How a letter came to this mailbox by forwarding, for the letter page: who forwarded it, when, with what note. */
export interface ForwardInfo {
  forwardedByName: string;
  forwardedAt: Date;
  note: string | null;
}

/** The forwarding of letter `messageId` (a forwarded copy), or null for a letter its sender sent. */
export async function findForwardInfo(db: Db, messageId: string): Promise<ForwardInfo | null> {
  if (!isUuid(messageId)) return null;
  const row = await db
    .selectFrom('mailbox_forward')
    .select(['forwarded_by_name', 'created_at', 'note'])
    .where('message_id', '=', messageId.toLowerCase())
    .executeTakeFirst();
  return row ? { forwardedByName: row.forwarded_by_name, forwardedAt: row.created_at, note: row.note } : null;
}

/** A forward from one of the mailboxes `actor` may forward from, for the receipt page; null if none such. */
export async function findSentForward(
  db: Db,
  actor: Actor | null,
  copyId: string,
): Promise<{ recipientName: string; label: string; originalId: string } | null> {
  if (!isUuid(copyId) || actor?.kind !== 'citizen') return null;
  const row = await db
    .selectFrom('mailbox_forward')
    .innerJoin('recipient', 'recipient.id', 'mailbox_forward.to_mailbox_id')
    .innerJoin('message', 'message.id', 'mailbox_forward.message_id')
    .select([
      'recipient.name',
      'message.label',
      'mailbox_forward.original_message_id',
      'mailbox_forward.from_mailbox_id',
    ])
    .where('mailbox_forward.message_id', '=', copyId.toLowerCase())
    .executeTakeFirst();
  // The original was purged (retention): nothing left to show the forward against.
  if (!row || row.original_message_id === null) return null;
  const access = await resolveMailboxAccess(db, actor, row.from_mailbox_id);
  if (
    !mayForward(actor, access, {
      recipientId: row.from_mailbox_id,
      legalNotification: false,
      legallyNotifiedAt: null,
      recalled: false,
      deleted: false,
    }).allowed
  ) {
    return null;
  }
  return { recipientName: row.name, label: row.label, originalId: row.original_message_id as string };
}
