import { createHmac, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import { textProblem } from '../../http/input.ts';
import { AppError, notFound } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import { recordAudit } from '../audit/index.ts';
import type { NotificationChannel, OutgoingNotification } from './channel.ts';
import {
  type ContactDetailRow,
  clearCode,
  countCodesSentToPerson,
  deleteContactDetail,
  findContactDetailForUpdate,
  insertContactDetail,
  listContactDetailRows,
  listRecipientsWithUsableContactDetails,
  listUsableContactDetailRows,
  lockRecipient,
  markConfirmed,
  recordCodeSentToPerson,
  recordWrongCode,
  storeNewCode,
} from './contact-details.repository.ts';

/*
 * Contact details: up to 2 e-mail addresses and 1 mobile number per person, each confirmed with a one-time code.
 * Only confirmed, working details confirmed within the last 18 months are ever used (usableContactDetails).
 * Addresses, numbers and codes never go into audit details or logs; the contact_detail id stands for them.
 */

export type ContactKind = 'email' | 'mobile';
export type ContactStatus = 'unconfirmed' | 'confirmed' | 'needs_reconfirmation' | 'failing';

export const CONTACT_LIMITS: Record<ContactKind, number> = { email: 2, mobile: 1 };
export const CODE_LIFETIME_MINUTES = 15;
export const MAX_CODE_ATTEMPTS = 3;
export const RECONFIRM_AFTER_MONTHS = 18;
const MAX_CODES_PER_DETAIL_PER_HOUR = 3;
const MAX_CODES_PER_PERSON_PER_DAY = 10;
const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// ---------------------------------------------------------------------------------------------- validation rules

const EMAIL_LOCAL_RE = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL_RE = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;

/** A sane e-mail address, trimmed, with its domain lower-cased (the local part is kept as typed). */
export function normaliseEmail(input: string): string {
  const invalid = new AppError(400, 'invalid_email', 'Enter a valid e-mail address, like name@example.dk.', 'email');
  // A line break, tab or NUL anywhere (not only inside) is no part of an address.
  if (textProblem(input, { allowBlank: true }) !== null) throw invalid;
  const value = input.trim();
  if (value.length > 254) throw invalid;
  const at = value.lastIndexOf('@');
  if (at < 1) throw invalid;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1).toLowerCase();
  const labels = domain.split('.');
  const tld = labels.at(-1) ?? '';
  if (local.length > 64 || !EMAIL_LOCAL_RE.test(local)) throw invalid;
  if (labels.length < 2 || !labels.every((label) => DOMAIN_LABEL_RE.test(label)) || !/^\p{L}{2,}$/u.test(tld)) {
    throw invalid;
  }
  return `${local}@${domain}`;
}

/**
 * A mobile number in E.164. Danish numbers (8 digits, with or without +45 or 0045) become +45XXXXXXXX; other
 * numbers need their country code (+ or 00). Spaces, hyphens, dots and parentheses between digits are ignored.
 */
export function normaliseMobile(input: string): string {
  const invalid = new AppError(
    400,
    'invalid_mobile',
    'Enter a mobile number: 8 digits for a Danish number, or + and the country code for another country.',
    'mobile',
  );
  if (textProblem(input, { allowBlank: true }) !== null) throw invalid;
  const compact = input.trim().replace(/[\s\-.()]/g, '');
  if (!/^(\+|00)?\d+$/.test(compact)) throw invalid;
  const international = compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
  if (/^\d{8}$/.test(international)) return `+45${international}`;
  if (international.startsWith('+45')) {
    if (/^\+45\d{8}$/.test(international)) return international;
    throw invalid;
  }
  if (/^\+[1-9]\d{6,14}$/.test(international)) return international;
  throw invalid;
}

/** Details last confirmed before this moment must be confirmed again (18 calendar months before `now`). */
export function reconfirmationCutoff(now: Date): Date {
  const cutoff = new Date(now);
  cutoff.setUTCMonth(cutoff.getUTCMonth() - RECONFIRM_AFTER_MONTHS);
  return cutoff;
}

export function contactStatus(
  row: Pick<ContactDetailRow, 'confirmed_at' | 'last_confirmed_at' | 'failing_since'>,
  now: Date,
): ContactStatus {
  if (!row.confirmed_at || !row.last_confirmed_at) return 'unconfirmed';
  if (row.failing_since) return 'failing';
  if (row.last_confirmed_at.getTime() <= reconfirmationCutoff(now).getTime()) return 'needs_reconfirmation';
  return 'confirmed';
}

// ------------------------------------------------------------------------------------------------------ codes

/** The stored form of a code: an HMAC keyed by a server secret and bound to the detail, so a database copy alone
 * cannot be brute-forced over the million possible codes. */
function hashCode(secret: string, detailId: string, code: string): string {
  return createHmac('sha256', secret).update(`contact-code\0${detailId}\0${code}`).digest('hex');
}

function codeMatches(secret: string, detailId: string, code: string, storedHash: string): boolean {
  const given = Buffer.from(hashCode(secret, detailId, code), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

const newCode = () => String(randomInt(0, 1_000_000)).padStart(6, '0');

/** The code message, in Danish, saying nothing about the person but that it is a Kuvert code. */
function codeMessage(kind: ContactKind, to: string, code: string): OutgoingNotification {
  if (kind === 'mobile') {
    return {
      channel: 'sms',
      to,
      body: `Din kode til Kuvert er ${code}. Den gælder i ${CODE_LIFETIME_MINUTES} minutter. Har du ikke selv bedt om den, kan du se bort fra denne SMS.`,
      purpose: 'contact.code',
    };
  }
  return {
    channel: 'email',
    to,
    subject: 'Din kode til Kuvert',
    body:
      `Din kode er ${code}\n\n` +
      'Skriv koden på siden Kontaktoplysninger i Kuvert for at bekræfte denne e-mailadresse. ' +
      `Koden gælder i ${CODE_LIFETIME_MINUTES} minutter.\n\n` +
      'Har du ikke selv bedt om koden, kan du se bort fra denne e-mail.\n\nVenlig hilsen\nKuvert – Digital Post',
    purpose: 'contact.code',
  };
}

const rateLimited = (retryAt: Date, field: string) =>
  new AppError(429, 'rate_limited', `Too many codes have been sent. Try again after ${retryAt.toISOString()}.`, field, {
    retryAt: retryAt.toISOString(),
  });

/** Throws rate_limited when the person has had 10 codes in the last 24 hours (over all their details). */
async function assertPersonMayGetCode(trx: Db, recipientId: string, now: Date, field: string): Promise<void> {
  const sent = await countCodesSentToPerson(trx, recipientId, new Date(now.getTime() - DAY_MS));
  if (sent.count >= MAX_CODES_PER_PERSON_PER_DAY && sent.oldest) {
    throw rateLimited(new Date(sent.oldest.getTime() + DAY_MS), field);
  }
}

const codeNotSent = () =>
  new AppError(503, 'code_not_sent', 'The code could not be sent. Ask for a new code in a moment.', 'code');

/**
 * Hands the code to the channel after the transaction has committed: a slow or failing transport must not hold
 * the row and audit locks. If it fails, the detail stays and the person can ask for a new code.
 */
async function deliverCode(channel: NotificationChannel, message: OutgoingNotification): Promise<void> {
  try {
    await channel.send(message);
  } catch {
    throw codeNotSent();
  }
}

const citizenAudit = (recipientId: string, action: string, detailId: string, details: Record<string, unknown>) => ({
  actorKind: 'citizen' as const,
  actorId: recipientId,
  action,
  subjectType: 'contact_detail',
  subjectId: detailId,
  mailboxRecipientId: recipientId,
  details,
});

// ------------------------------------------------------------------------------------------------- use cases

export interface ContactDetailItem {
  id: string;
  kind: ContactKind;
  value: string;
  status: ContactStatus;
  createdAt: Date;
  lastConfirmedAt: Date | null;
  /** When a code is waiting to be entered: until when it is valid. */
  codeExpiresAt: Date | null;
  /** When deliveries started failing (a bounce, an invalid number); null when working. */
  failingSince: Date | null;
  attemptsLeft: number;
}

/** The person's contact details with their status at `now`. */
export async function listContactDetails(db: Db, recipientId: string, now: Date): Promise<ContactDetailItem[]> {
  const rows = await listContactDetailRows(db, recipientId);
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    value: row.value,
    status: contactStatus(row, now),
    createdAt: row.created_at,
    lastConfirmedAt: row.last_confirmed_at,
    codeExpiresAt:
      row.code_hash && row.code_expires_at && row.code_expires_at.getTime() > now.getTime()
        ? row.code_expires_at
        : null,
    attemptsLeft: Math.max(0, MAX_CODE_ATTEMPTS - row.code_attempts),
    failingSince: row.failing_since,
  }));
}

/**
 * The contact details notifications may use: confirmed, not failing, last confirmed within 18 months.
 * Unconfirmed details are never used.
 */
export async function usableContactDetails(
  db: Db,
  recipientId: string,
  now: Date,
): Promise<{ id: string; kind: ContactKind; value: string }[]> {
  return listUsableContactDetailRows(db, recipientId, reconfirmationCutoff(now));
}

/** Of these recipients, those with at least one usable contact detail (for statistics and reachability). */
export async function recipientsWithUsableContact(db: Db, recipientIds: string[], now: Date): Promise<Set<string>> {
  if (recipientIds.length === 0) return new Set();
  return new Set(await listRecipientsWithUsableContactDetails(db, recipientIds, reconfirmationCutoff(now)));
}

export interface AddContactDetailOptions {
  recipientId: string;
  kind: ContactKind;
  value: string;
  channel: NotificationChannel;
  now: Date;
}

/**
 * Adds an e-mail address or mobile number (unconfirmed) and sends it a confirmation code. When the channel fails,
 * the detail is kept and `codeSent` is false: the person asks for a new code.
 */
export async function addContactDetail(
  services: Services,
  options: AddContactDetailOptions,
): Promise<{ id: string; codeExpiresAt: Date; codeSent: boolean }> {
  const { recipientId, kind, now } = options;
  const value = kind === 'email' ? normaliseEmail(options.value) : normaliseMobile(options.value);
  const id = randomUUID();
  const code = newCode();
  const codeExpiresAt = new Date(now.getTime() + CODE_LIFETIME_MINUTES * 60_000);

  await services.db.transaction().execute(async (trx) => {
    if (!(await lockRecipient(trx, recipientId))) throw notFound('person');
    const existing = await listContactDetailRows(trx, recipientId);
    if (existing.some((row) => row.kind === kind && row.value === value)) {
      throw new AppError(409, 'already_added', 'You have already added this contact detail.', kind);
    }
    if (existing.filter((row) => row.kind === kind).length >= CONTACT_LIMITS[kind]) {
      throw kind === 'email'
        ? new AppError(409, 'too_many_emails', 'You can have at most 2 e-mail addresses. Remove one first.', kind)
        : new AppError(409, 'too_many_mobiles', 'You can have at most 1 mobile number. Remove it first.', kind);
    }
    await assertPersonMayGetCode(trx, recipientId, now, kind);
    await insertContactDetail(trx, {
      id,
      recipientId,
      kind,
      value,
      createdAt: now,
      codeHash: hashCode(services.config.sessionSecret, id, code),
      codeExpiresAt,
      codesSentAt: [now],
    });
    await recordCodeSentToPerson(trx, recipientId, now, new Date(now.getTime() - DAY_MS));
    await recordAudit(trx, citizenAudit(recipientId, 'contact.add', id, { kind }));
  });
  const codeSent = await deliverCode(options.channel, codeMessage(kind, value, code)).then(
    () => true,
    () => false,
  );
  return { id, codeExpiresAt, codeSent };
}

export interface ResendCodeOptions {
  recipientId: string;
  id: string;
  channel: NotificationChannel;
  now: Date;
}

/**
 * Sends a new code for one of the person's details (to confirm it, or to confirm it again), replacing any earlier
 * code. At most 3 codes per detail per hour and 10 per person per day.
 */
export async function resendCode(services: Services, options: ResendCodeOptions): Promise<{ codeExpiresAt: Date }> {
  const { recipientId, id, now } = options;
  if (!UUID_RE.test(id)) throw notFound('contact detail');
  const code = newCode();
  const codeExpiresAt = new Date(now.getTime() + CODE_LIFETIME_MINUTES * 60_000);

  const detail = await services.db.transaction().execute(async (trx) => {
    if (!(await lockRecipient(trx, recipientId))) throw notFound('contact detail');
    const row = await findContactDetailForUpdate(trx, recipientId, id.toLowerCase());
    if (!row) throw notFound('contact detail');
    const lastHour = row.codes_sent_at.filter((at) => at.getTime() > now.getTime() - HOUR_MS);
    if (lastHour.length >= MAX_CODES_PER_DETAIL_PER_HOUR) {
      const oldest = Math.min(...lastHour.map((at) => at.getTime()));
      throw rateLimited(new Date(oldest + HOUR_MS), 'code');
    }
    await assertPersonMayGetCode(trx, recipientId, now, 'code');
    const lastDay = row.codes_sent_at.filter((at) => at.getTime() > now.getTime() - DAY_MS);
    await storeNewCode(trx, row.id, {
      hash: hashCode(services.config.sessionSecret, row.id, code),
      expiresAt: codeExpiresAt,
      codesSentAt: [...lastDay, now],
    });
    await recordCodeSentToPerson(trx, recipientId, now, new Date(now.getTime() - DAY_MS));
    await recordAudit(trx, citizenAudit(recipientId, 'contact.code_send', row.id, { kind: row.kind }));
    return row;
  });
  await deliverCode(options.channel, codeMessage(detail.kind, detail.value, code));
  return { codeExpiresAt };
}

export interface ConfirmContactDetailOptions {
  recipientId: string;
  id: string;
  code: string;
  now: Date;
}

/**
 * Confirms a detail with its code. A wrong code uses one of 3 attempts; the third wrong attempt voids the code.
 * Attempts are committed even though the call then fails, so guessing cannot be retried by failing the request.
 */
export async function confirmContactDetail(
  services: Services,
  options: ConfirmContactDetailOptions,
): Promise<{ status: ContactStatus }> {
  const { recipientId, id, now } = options;
  if (!UUID_RE.test(id)) throw notFound('contact detail');
  const code = options.code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(code)) throw new AppError(400, 'invalid_code', 'The code is 6 digits.', 'code');

  const outcome = await services.db.transaction().execute(async (trx): Promise<AppError | null> => {
    const row = await findContactDetailForUpdate(trx, recipientId, id.toLowerCase());
    if (!row) throw notFound('contact detail');
    if (!row.code_hash || !row.code_expires_at) {
      return row.code_attempts >= MAX_CODE_ATTEMPTS
        ? new AppError(400, 'code_attempts_exceeded', 'The code was wrong 3 times. Ask for a new code.', 'code')
        : new AppError(400, 'no_code', 'There is no valid code. Ask for a new code.', 'code');
    }
    if (row.code_expires_at.getTime() <= now.getTime()) {
      await clearCode(trx, row.id);
      return new AppError(400, 'code_expired', 'The code has expired. Ask for a new code.', 'code');
    }
    if (!codeMatches(services.config.sessionSecret, row.id, code, row.code_hash)) {
      const attempts = row.code_attempts + 1;
      const exhausted = attempts >= MAX_CODE_ATTEMPTS;
      await recordWrongCode(trx, row.id, attempts, exhausted);
      return exhausted
        ? new AppError(400, 'code_attempts_exceeded', 'The code was wrong 3 times. Ask for a new code.', 'code')
        : new AppError(400, 'wrong_code', 'The code is wrong.', 'code', {
            attemptsLeft: MAX_CODE_ATTEMPTS - attempts,
          });
    }
    await markConfirmed(trx, row.id, now);
    await recordAudit(
      trx,
      citizenAudit(recipientId, 'contact.confirm', row.id, { kind: row.kind, reconfirmation: !!row.confirmed_at }),
    );
    return null;
  });
  if (outcome) throw outcome;
  return { status: 'confirmed' };
}

/** Removes one of the person's contact details. */
export async function removeContactDetail(services: Services, options: { recipientId: string; id: string }) {
  const { recipientId, id } = options;
  if (!UUID_RE.test(id)) throw notFound('contact detail');
  await services.db.transaction().execute(async (trx) => {
    const kind = await deleteContactDetail(trx, recipientId, id.toLowerCase());
    if (!kind) throw notFound('contact detail');
    await recordAudit(trx, citizenAudit(recipientId, 'contact.remove', id.toLowerCase(), { kind }));
  });
}
