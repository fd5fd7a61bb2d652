import type { Db } from '../../db/database.ts';
import { AppError } from '../../http/problem.ts';
import type { Actor } from '../../kernel/actor.ts';
import { normaliseCpr } from '../../kernel/identifiers.ts';
import { recordAudit } from '../audit/index.ts';
import { type BusinessClaimNames, readBusinessLogin } from './business-claims.ts';
import { ADMIN_PRIVILEGE, CPR_CLAIM, CVR_CLAIM, PRIVILEGES_CLAIM } from './claims.ts';
import { findOrCreatePersonByCpr, findStaffUserBySubject } from './identity.repository.ts';
import type { LoginStep, LoginStepResult } from './login-steps.ts';
import { createSession, deleteSessionById } from './session.ts';

/** The business claims as NemLog-in names them (what the built-in provider issues). */
export const NEMLOGIN_BUSINESS_CLAIMS: BusinessClaimNames = {
  cvrClaim: CVR_CLAIM,
  roleClaim: PRIVILEGES_CLAIM,
  adminRole: ADMIN_PRIVILEGE,
};

export interface LogInOptions {
  /** Claims from the ID token and the userinfo response, as the identity provider sent them. */
  claims: Record<string, unknown>;
  issuer: string;
  /** Kept for the provider's logout (id_token_hint); dropped if it carries the CPR number. */
  idToken: string | undefined;
  /** The claim that carries the CPR number (OIDC_CPR_CLAIM). */
  cprClaim?: string;
  /** The claims that carry a MitID Erhverv login's CVR number and role (OIDC_CVR_CLAIM, ...). */
  businessClaims?: BusinessClaimNames;
  /** Steps other modules add to the login (login-steps.ts), run in its transaction. */
  steps?: readonly LoginStep[];
  /** The session this browser held before (its cookie), ended by the new login so no older one stays valid. */
  replacesSessionId?: string | null;
}

/**
 * Turns a verified OpenID login into a Kuvert session: a staff user when the subject is registered as staff,
 * otherwise a citizen identified by the CPR claim. Session and audit event are written in one transaction.
 */
export async function logIn(
  db: Db,
  options: LogInOptions,
  now = new Date(),
): Promise<{ actor: Actor; sessionId: string; stepResults: LoginStepResult[] }> {
  const subject = options.claims.sub;
  if (typeof subject !== 'string' || subject === '') {
    throw new AppError(400, 'login_failed', 'The identity provider did not say who you are.');
  }
  return db.transaction().execute(async (trx) => {
    const cprClaim = options.cprClaim ?? CPR_CLAIM;
    const actor = await resolveActor(trx, subject, options.claims, cprClaim);
    const business =
      actor.kind === 'citizen'
        ? readBusinessLogin(options.claims, options.businessClaims ?? NEMLOGIN_BUSINESS_CLAIMS)
        : null;
    const stepResults: LoginStepResult[] = [];
    for (const step of options.steps ?? []) {
      const result = await step(trx, { actor, business, issuer: options.issuer, now });
      if (result) stepResults.push(result);
    }
    if (options.replacesSessionId) await deleteSessionById(trx, options.replacesSessionId);
    const { sessionId } = await createSession(trx, actor, idTokenToKeep(options.idToken, cprClaim));
    await recordAudit(trx, {
      actorKind: actor.kind,
      actorId: actor.kind === 'citizen' ? actor.recipientId : actor.staffId,
      action: 'session.login',
      subjectType: actor.kind === 'citizen' ? 'recipient' : 'staff_user',
      subjectId: actor.kind === 'citizen' ? actor.recipientId : actor.staffId,
      mailboxRecipientId: actor.kind === 'citizen' ? actor.recipientId : null,
      details: business
        ? { issuer: options.issuer, cvr: business.cvr, administrator: business.administrator }
        : { issuer: options.issuer },
    });
    return { actor, sessionId, stepResults };
  });
}

async function resolveActor(
  db: Db,
  subject: string,
  claims: Record<string, unknown>,
  cprClaim: string,
): Promise<Actor> {
  const claimedName = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim() : null;
  const staff = await findStaffUserBySubject(db, subject);
  if (staff) {
    const base = { subject, name: staff.name, staffId: staff.id };
    if (staff.role === 'operator') return { kind: 'operator', ...base };
    if (staff.role === 'caseworker' && staff.municipality_code) {
      return { kind: 'caseworker', ...base, municipalityCode: staff.municipality_code };
    }
    if (staff.role === 'sender_staff' && staff.sender_id) {
      return { kind: 'sender_staff', ...base, senderId: staff.sender_id };
    }
    throw new AppError(403, 'staff_incomplete', 'Your staff account is missing its municipality or authority.');
  }
  const rawCpr = claims[cprClaim];
  const cpr = typeof rawCpr === 'string' ? normaliseCpr(rawCpr) : null;
  if (!cpr) {
    throw new AppError(
      403,
      'no_cpr',
      'Your login did not include a valid CPR number, and you are not registered as staff in Kuvert.',
    );
  }
  const person = await findOrCreatePersonByCpr(db, cpr, claimedName ?? 'Ukendt navn');
  return { kind: 'citizen', subject, name: claimedName ?? person.name, recipientId: person.id };
}

/** The ID token is kept for logout only if it does not carry the CPR number (sessions never hold a CPR). */
function idTokenToKeep(idToken: string | undefined, cprClaim: string): string | null {
  if (!idToken) return null;
  try {
    const payload = JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8'));
    return payload && typeof payload === 'object' && !(cprClaim in payload) ? idToken : null;
  } catch {
    return null;
  }
}
