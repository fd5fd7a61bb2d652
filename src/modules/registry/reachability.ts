import type { Db } from '../../db/database.ts';
import type { ClosedReason, Enrolment } from '../../db/schema.ts';
import { AppError } from '../../http/problem.ts';
import { normaliseCpr, normaliseCvr } from '../../kernel/identifiers.ts';
import { findPUnits, type PUnitMailbox } from './p-units.repository.ts';
import { findEnrolmentsByIdentifiers, findRegistrationByCvr, findRegistrationById } from './registry.repository.ts';

export type Channel = 'digital' | 'print' | 'none';
export type RegistrationStatus = 'AUTOMATIC' | 'VOLUNTARY' | 'EXEMPT' | 'NOT_ENROLLED' | 'CLOSED' | 'UNKNOWN';

/** What a sender may know before sending: the channel, the registration status, and whether we can notify. */
export interface Reachability {
  id: string | null;
  channel: Channel;
  status: RegistrationStatus;
  notificationPossible: boolean;
  /** Why a business cannot be reached: the company has ceased, or the production unit asked about has. */
  reason?: 'business_ceased' | 'p_unit_ceased';
  /** The channel is print and post to the address has come back (registry/address-doubt.ts). */
  postalAddressDoubtful?: true;
}

export const MAX_BATCH = 1000;

/**
 * Which of the recipients can be notified of new mail (a usable contact detail): notify's answer
 * (`recipientsWithUsableContact`), handed in by the caller, as the contact details are notify's, above the registry.
 */
export type NotifiableAmong = (db: Db, recipientIds: string[], now: Date) => Promise<Set<string>>;

const statusOf: Record<Enrolment, RegistrationStatus> = {
  automatic: 'AUTOMATIC',
  voluntary: 'VOLUNTARY',
  exempted: 'EXEMPT',
  not_enrolled: 'NOT_ENROLLED',
  closed: 'CLOSED',
};

/** Enrolled → digital; exempted or not (yet) enrolled (under 15) → print; closed or unknown → none. */
export function channelOf(enrolment: Enrolment | null): Channel {
  switch (enrolment) {
    case 'automatic':
    case 'voluntary':
      return 'digital';
    case 'exempted':
    case 'not_enrolled':
      return 'print';
    default:
      return 'none';
  }
}

function answer(
  id: string | null,
  enrolment: Enrolment | null,
  notifiable: boolean,
  closedReason: ClosedReason | null = null,
  addressDoubtful = false,
): Reachability {
  const channel = channelOf(enrolment);
  return {
    id,
    channel,
    status: enrolment ? statusOf[enrolment] : 'UNKNOWN',
    // A notification tells of new digital mail; letters that go to print have none.
    notificationPossible: channel === 'digital' && notifiable,
    ...(enrolment === 'closed' && closedReason === 'ceased' ? { reason: 'business_ceased' as const } : {}),
    ...(channel === 'print' && addressDoubtful ? { postalAddressDoubtful: true as const } : {}),
  };
}

/** A production unit answers for its business's mailbox; a ceased unit takes no post even if its business does. */
function unitAnswer(unit: PUnitMailbox, notifiable: boolean): Reachability {
  if (unit.unitCeasedOn && unit.enrolment !== 'closed') {
    return { id: unit.id, channel: 'none', status: 'CLOSED', notificationPossible: false, reason: 'p_unit_ceased' };
  }
  return answer(unit.id, unit.enrolment, notifiable, unit.closedReason);
}

/** A P-number in a URL: "P" and its 10 digits (bare 10 digits would look like a CPR number, refused in URLs). */
const P_IN_URL_RE = /^p-?(\d{10})$/i;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Reachability of one recipient by its Kuvert id or a CVR number. CPR numbers are refused here: they would end up
 * in access logs; they are looked up with the batch form, in the request body.
 */
export async function reachabilityOf(
  db: Db,
  id: string,
  notifiableAmong: NotifiableAmong,
  now = new Date(),
): Promise<Reachability> {
  let recipient: {
    id: string;
    enrolment: Enrolment;
    closedReason: ClosedReason | null;
    addressDoubtfulSince: Date | null;
  } | null;
  const pNumber = P_IN_URL_RE.exec(id)?.[1];
  if (pNumber) {
    const [unit] = await findPUnits(db, [pNumber]);
    if (!unit)
      throw new AppError(404, 'recipient_not_found', 'No production unit with this P-number is registered.', '/id');
    const notifiable = await notifiableAmong(db, [unit.id], now);
    return unitAnswer(unit, notifiable.has(unit.id));
  }
  if (UUID_RE.test(id)) {
    recipient = await findRegistrationById(db, id.toLowerCase());
  } else if (/^\d{8}$/.test(id)) {
    const cvr = normaliseCvr(id);
    if (!cvr) throw new AppError(422, 'invalid_cvr', 'The CVR number is not a valid CVR number.', '/id');
    recipient = await findRegistrationByCvr(db, cvr);
  } else if (/^\d{6}-?\d{4}$/.test(id)) {
    throw new AppError(
      400,
      'cpr_in_url',
      'CPR numbers must not be put in URLs. Look people up with POST /api/v1/recipients/reachability.',
      '/id',
    );
  } else {
    throw new AppError(
      400,
      'invalid_id',
      'The id must be a Kuvert recipient id (UUID), a CVR number or a P-number written P1234567890.',
      '/id',
    );
  }
  if (!recipient) throw new AppError(404, 'recipient_not_found', 'No recipient with this id is registered.', '/id');
  const notifiable = await notifiableAmong(db, [recipient.id], now);
  return answer(
    recipient.id,
    recipient.enrolment,
    notifiable.has(recipient.id),
    recipient.closedReason,
    recipient.addressDoubtfulSince !== null,
  );
}

export type BatchItem = { cpr: string } | { cvr: string } | { pNumber: string };
export type BatchResult =
  | ({ index: number } & Reachability)
  | { index: number; error: { field: string; code: string; detail: string } };

/**
 * Reachability of up to 1,000 recipients by CPR or CVR. Results come in request order, one per item; an invalid
 * number is answered on its own item with an error code, so one typo does not fail the batch. Unknown numbers are
 * status UNKNOWN, channel none.
 */
export async function reachabilityOfMany(
  db: Db,
  items: BatchItem[],
  notifiableAmong: NotifiableAmong,
  now = new Date(),
): Promise<BatchResult[]> {
  if (items.length > MAX_BATCH) {
    throw new AppError(
      422,
      'too_many_recipients',
      `At most ${MAX_BATCH} recipients can be asked about in one request.`,
      '/recipients',
    );
  }
  const parsed = items.map((item, index) => {
    if ('cpr' in item) {
      const cpr = normaliseCpr(item.cpr);
      return cpr
        ? { index, cpr }
        : {
            index,
            error: { field: `/recipients/${index}/cpr`, code: 'invalid_cpr', detail: 'Not a valid CPR number.' },
          };
    }
    if ('pNumber' in item) {
      const pNumber = item.pNumber.trim();
      return /^\d{10}$/.test(pNumber)
        ? { index, pNumber }
        : {
            index,
            error: { field: `/recipients/${index}/pNumber`, code: 'invalid_p_number', detail: 'Not a P-number.' },
          };
    }
    const cvr = normaliseCvr(item.cvr);
    return cvr
      ? { index, cvr }
      : { index, error: { field: `/recipients/${index}/cvr`, code: 'invalid_cvr', detail: 'Not a valid CVR number.' } };
  });
  const cprs = parsed.flatMap((p) => ('cpr' in p && p.cpr ? [p.cpr] : []));
  const cvrs = parsed.flatMap((p) => ('cvr' in p && p.cvr ? [p.cvr] : []));
  const pNumbers = parsed.flatMap((p) => ('pNumber' in p && p.pNumber ? [p.pNumber] : []));
  const rows = await findEnrolmentsByIdentifiers(db, { cprs: [...new Set(cprs)], cvrs: [...new Set(cvrs)] });
  const units = new Map((await findPUnits(db, [...new Set(pNumbers)])).map((u) => [u.pNumber, u]));
  const byCpr = new Map(rows.filter((r) => r.cpr).map((r) => [r.cpr as string, r]));
  const byCvr = new Map(rows.filter((r) => r.cvr).map((r) => [r.cvr as string, r]));
  const notifiable = await notifiableAmong(
    db,
    [...rows.map((r) => r.id), ...[...units.values()].map((u) => u.id)],
    now,
  );
  return parsed.map((p): BatchResult => {
    if ('error' in p && p.error) return { index: p.index, error: p.error };
    if ('pNumber' in p && p.pNumber) {
      const unit = units.get(p.pNumber);
      return { index: p.index, ...(unit ? unitAnswer(unit, notifiable.has(unit.id)) : answer(null, null, false)) };
    }
    const row = 'cpr' in p && p.cpr ? byCpr.get(p.cpr) : 'cvr' in p && p.cvr ? byCvr.get(p.cvr) : undefined;
    return {
      index: p.index,
      ...answer(
        row?.id ?? null,
        row?.enrolment ?? null,
        row ? notifiable.has(row.id) : false,
        row?.closed_reason,
        row?.address_doubtful_since != null,
      ),
    };
  });
}
