import type { Db } from '../../db/database.ts';
import { AppError } from '../../http/problem.ts';
import { normaliseCvr } from '../../kernel/identifiers.ts';
import { recordAudit } from '../audit/index.ts';
import { isScope, type Scope, SENDER_SCOPES } from './scopes.ts';

/**
 * Sending on behalf of (issue 17, item 6). An authority (a sender) authorises a vendor ORGANISATION (another
 * registered sender) — not one of its systems: like Maskinporten's delegation, the authority trusts the vendor, and
 * the vendor decides which of its systems do the work (and rotates or replaces them without asking the authority
 * again). Each authorisation has scopes (sender scopes) and a required end date; it is given and revoked by the
 * authority's administrators (the policy is maySender 'manage_on_behalf', applied by the callers).
 */

/** Who gives or revokes: an authority's administrator (staff_user id), or the command line / demo seed. */
export type OnBehalfActor = { kind: 'staff'; staffId: string } | { kind: 'cli' };

export const MAX_AUTHORISATION_DAYS = 3 * 366;

export interface OnBehalfAuthorisation {
  id: string;
  authoritySenderId: string;
  authorityCvr: string | null;
  authorityName: string;
  vendorSenderId: string;
  vendorCvr: string | null;
  vendorName: string;
  scopes: string[];
  validFrom: Date;
  endsAt: Date;
  createdAt: Date;
  revokedAt: Date | null;
  /** Not revoked, started and not ended. */
  active: boolean;
}

export interface AuthoriseInput {
  authoritySenderId: string;
  vendorCvr: string | null;
  scopes: string[];
  /** yyyy-mm-dd (the authorisation lasts through that day, Danish time) or a Date. */
  endsAt: string | Date;
}

const auditActor = (by: OnBehalfActor) =>
  by.kind === 'staff'
    ? { actorKind: 'sender_staff' as const, actorId: by.staffId }
    : { actorKind: 'system' as const, actorId: 'cli' };

/** The end as a Date: a yyyy-mm-dd lasts through that day, i.e. until the next midnight in Copenhagen. */
function endDate(value: string | Date): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value.trim())) return null;
  const plain = new Date(`${value.trim()}T00:00:00Z`);
  if (Number.isNaN(plain.getTime()) || plain.toISOString().slice(0, 10) !== value.trim()) return null;
  // Copenhagen is UTC+1 or +2: the next day's local midnight, by the offset Intl reports for that instant.
  const next = new Date(plain.getTime() + 86_400_000);
  const offset = new Intl.DateTimeFormat('en', { timeZone: 'Europe/Copenhagen', timeZoneName: 'shortOffset' })
    .formatToParts(next)
    .find((p) => p.type === 'timeZoneName')?.value;
  const hours = Number(/GMT([+-]\d+)/.exec(offset ?? '')?.[1] ?? 0);
  return new Date(next.getTime() - hours * 3600_000);
}

/** Gives an authorisation (audited `on_behalf.authorise`); checks every field first and says which is wrong. */
export async function authoriseOnBehalf(db: Db, by: OnBehalfActor, input: AuthoriseInput): Promise<string> {
  const cvr = normaliseCvr(input.vendorCvr ?? '');
  if (!cvr) throw new AppError(400, 'on_behalf_vendor_invalid', 'Give the vendor’s CVR number.', 'vendorCvr');
  const scopes = [...new Set(input.scopes)];
  if (scopes.length === 0 || scopes.some((s) => !isScope(s) || !SENDER_SCOPES.includes(s as Scope))) {
    throw new AppError(400, 'on_behalf_scopes_invalid', `Choose sender scopes: ${SENDER_SCOPES.join(', ')}.`, 'scopes');
  }
  const endsAt = endDate(input.endsAt);
  const latest = Date.now() + MAX_AUTHORISATION_DAYS * 86_400_000;
  if (!endsAt || endsAt.getTime() <= Date.now() || endsAt.getTime() > latest) {
    throw new AppError(400, 'on_behalf_ends_at_invalid', 'Give an end date in the future.', 'endsAt');
  }
  return db.transaction().execute(async (trx) => {
    const vendor = await trx.selectFrom('sender').select('id').where('cvr', '=', cvr).executeTakeFirst();
    if (!vendor) {
      throw new AppError(400, 'on_behalf_vendor_invalid', 'No sender has this CVR number.', 'vendorCvr');
    }
    if (vendor.id === input.authoritySenderId) {
      throw new AppError(400, 'on_behalf_vendor_self', 'An organisation cannot authorise itself.', 'vendorCvr');
    }
    const row = await trx
      .insertInto('on_behalf_authorisation')
      .values({
        authority_sender_id: input.authoritySenderId,
        vendor_sender_id: vendor.id,
        scopes,
        ends_at: endsAt,
        created_by: by.kind === 'staff' ? by.staffId : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      ...auditActor(by),
      action: 'on_behalf.authorise',
      subjectType: 'on_behalf_authorisation',
      subjectId: row.id,
      details: { authoritySenderId: input.authoritySenderId, vendorSenderId: vendor.id, scopes, endsAt },
    });
    return row.id;
  });
}

/**
 * Revokes one of the authority's authorisations (audited `on_behalf.revoke`); 404 if it is not the authority's or
 * already revoked. Tokens issued under it stop working at their next use (authenticateAccessToken checks it).
 */
export async function revokeOnBehalf(db: Db, by: OnBehalfActor, authoritySenderId: string, id: string) {
  const notFound = new AppError(404, 'on_behalf_not_found', 'No such authorisation.');
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound;
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('on_behalf_authorisation')
      .set({ revoked_at: new Date(), revoked_by: by.kind === 'staff' ? by.staffId : null })
      .where('id', '=', id)
      .where('authority_sender_id', '=', authoritySenderId)
      .where('revoked_at', 'is', null)
      .returning(['vendor_sender_id'])
      .executeTakeFirst();
    if (!row) throw notFound;
    await recordAudit(trx, {
      ...auditActor(by),
      action: 'on_behalf.revoke',
      subjectType: 'on_behalf_authorisation',
      subjectId: id,
      details: { authoritySenderId, vendorSenderId: row.vendor_sender_id },
    });
  });
}

/** Authorisations (newest first), those an authority gave (`given`) or a vendor received (`received`). */
export async function listOnBehalf(
  db: Db,
  side: 'given' | 'received',
  senderId: string,
): Promise<OnBehalfAuthorisation[]> {
  const rows = await db
    .selectFrom('on_behalf_authorisation as o')
    .innerJoin('sender as a', 'a.id', 'o.authority_sender_id')
    .innerJoin('sender as v', 'v.id', 'o.vendor_sender_id')
    .select([
      'o.id',
      'o.authority_sender_id',
      'a.cvr as authority_cvr',
      'a.name as authority_name',
      'o.vendor_sender_id',
      'v.cvr as vendor_cvr',
      'v.name as vendor_name',
      'o.scopes',
      'o.valid_from',
      'o.ends_at',
      'o.created_at',
      'o.revoked_at',
    ])
    .where(side === 'given' ? 'o.authority_sender_id' : 'o.vendor_sender_id', '=', senderId)
    .orderBy('o.created_at', 'desc')
    .limit(500)
    .execute();
  const now = Date.now();
  return rows.map((r) => ({
    id: r.id,
    authoritySenderId: r.authority_sender_id,
    authorityCvr: r.authority_cvr,
    authorityName: r.authority_name,
    vendorSenderId: r.vendor_sender_id,
    vendorCvr: r.vendor_cvr,
    vendorName: r.vendor_name,
    scopes: r.scopes,
    validFrom: r.valid_from,
    endsAt: r.ends_at,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
    active: r.revoked_at === null && r.valid_from.getTime() <= now && r.ends_at.getTime() > now,
  }));
}

/**
 * The authorisations in force now that let `vendorSenderId` send for the authority with CVR `authorityCvr`
 * (several may be; their scopes add up). Empty when there is none.
 */
export async function activeAuthorisations(db: Db, vendorSenderId: string, authorityCvr: string) {
  return db
    .selectFrom('on_behalf_authorisation as o')
    .innerJoin('sender as a', 'a.id', 'o.authority_sender_id')
    .select(['o.id', 'o.authority_sender_id', 'o.scopes', 'o.ends_at'])
    .where('a.cvr', '=', authorityCvr)
    .where('o.vendor_sender_id', '=', vendorSenderId)
    .where('o.revoked_at', 'is', null)
    .where('o.valid_from', '<=', new Date())
    .where('o.ends_at', '>', new Date())
    .orderBy('o.ends_at', 'desc')
    .execute();
}
