import ical from 'ical-generator';
import { AppError, notFound } from '../../http/problem.ts';
import type { Actor } from '../../kernel/actor.ts';
import type { Services } from '../../services.ts';
import { recordAudit } from '../audit/index.ts';
import { addMessageEvent } from '../events/index.ts';
import { authoriseLetter } from './letter-access.ts';
import { CONFIRM_ACTION_CODES } from './open-message.ts';

/** The event the sender gets when the recipient confirms (BEKRAEFT) or signs (UNDERSKRIV). */
export const ACTION_EVENT = 'ACTION_COMPLETED';

function parsePosition(raw: string): number {
  if (!/^\d{1,3}$/.test(raw)) throw notFound('action');
  return Number(raw);
}

/**
 * The recipient confirms or signs: the action's status becomes done (once; doing it again changes nothing) and the
 * sender gets ACTION_COMPLETED { actionCode, position, label, completedAt } through the event feed and webhooks.
 * Only for a letter the recipient has opened (the page that shows the button opens it).
 */
export async function completeAction(
  services: Services,
  actorIn: Actor | null,
  messageId: string,
  positionParam: string,
): Promise<{ changed: boolean; actionCode: string }> {
  const position = parsePosition(positionParam);
  const { actor, message } = await authoriseLetter(services.db, actorIn, messageId, 'act');
  const action = await services.db
    .selectFrom('message_action')
    .select(['action_code', 'label', 'status'])
    .where('message_id', '=', message.id)
    .where('position', '=', position)
    .executeTakeFirst();
  if (!action) throw notFound('action');
  if (!CONFIRM_ACTION_CODES.has(action.action_code)) {
    throw new AppError(409, 'not_a_confirm_action', 'This action is a link, not something to confirm.', 'position');
  }
  if (message.first_read_at === null) {
    throw new AppError(409, 'letter_not_opened', 'Open the letter before you confirm or sign it.', 'position');
  }
  const now = new Date();
  const changed = await services.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('message_action')
      .set({ status: 'done' })
      .where('message_id', '=', message.id)
      .where('position', '=', position)
      .where((eb) => eb.or([eb('status', 'is', null), eb('status', '=', 'pending')]))
      .returning('position')
      .executeTakeFirst();
    if (!updated) return false;
    await addMessageEvent(
      trx,
      message,
      ACTION_EVENT,
      { actionCode: action.action_code, position, label: action.label, completedAt: now.toISOString() },
      now,
    );
    await recordAudit(trx, {
      actorKind: actor.kind,
      actorId: actor.recipientId,
      action: `message.action.${action.action_code === 'UNDERSKRIV' ? 'sign' : 'confirm'}`,
      subjectType: 'message',
      subjectId: message.id,
      mailboxRecipientId: message.recipient_id,
      details: { position },
    });
    return true;
  });
  return { changed, actionCode: action.action_code };
}

/**
 * An appointment (AFTALE) as an iCalendar file (RFC 5545, written by ical-generator): start and end in UTC, the
 * reservation's UUID as UID (so adding it twice updates the same calendar entry), summary, location, description and
 * organizer. Reading the letter's appointment is reading the letter, so the same rule applies (404 otherwise).
 */
export async function calendarForAction(
  services: Services,
  actorIn: Actor | null,
  messageId: string,
  positionParam: string,
): Promise<{ filename: string; body: string }> {
  const position = parsePosition(positionParam);
  const { message } = await authoriseLetter(services.db, actorIn, messageId, 'read', 'action');
  const action = await services.db
    .selectFrom('message_action')
    .select(['action_code', 'label', 'start_at', 'end_at', 'reservation'])
    .where('message_id', '=', message.id)
    .where('position', '=', position)
    .executeTakeFirst();
  if (action?.action_code !== 'AFTALE' || !action.reservation) throw notFound('action');
  const r = action.reservation as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : null);
  const start = str(r.startDateTime) ?? action.start_at?.toISOString() ?? null;
  const end = str(r.endDateTime) ?? action.end_at?.toISOString() ?? null;
  if (!start || !end) throw notFound('action');
  const calendar = ical({ prodId: { company: 'Kuvert', product: 'Digital Post', language: 'DA' } });
  const organizerMail = str(r.organizerMail);
  calendar.createEvent({
    id: str(r.reservationUUID) ?? `${message.id}-${position}`,
    start: new Date(start),
    end: new Date(end),
    stamp: message.available_at as Date,
    summary: str(r.abstract) ?? action.label,
    description: str(r.description) ?? null,
    location: str(r.location) ?? null,
    organizer: organizerMail ? { name: str(r.organizerName) ?? message.sender_name, email: organizerMail } : null,
  });
  return { filename: 'aftale.ics', body: calendar.toString() };
}
