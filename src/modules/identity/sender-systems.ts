import { importJWK, type JWK } from 'jose';
import { AppError } from '../../http/problem.ts';
import type { Actor } from '../../kernel/actor.ts';
import type { Services } from '../../services.ts';
import { authoriseOnBehalf, listOnBehalf, type OnBehalfAuthorisation, revokeOnBehalf } from './on-behalf.ts';
import { authoriseSender } from './sender-staff.ts';
import {
  type ClientManager,
  registerSystemClient,
  replaceKeys,
  revokeSystemClient,
  type SystemClientListing,
} from './system-clients.ts';

/**
 * The sender portal's administrators' use cases for machine access (issue 17, item 7): their own systems
 * (system_client) and their on-behalf authorisations. Every one goes through maySender (via authoriseSender), and
 * acts only on the administrator's own sender: another sender's system or authorisation is "not found". JWKS URLs
 * stay with the operators' CLI (`kuvert systems add --jwks-url`): a URL typed in a page would make Kuvert fetch
 * addresses of the sender's choosing (SSRF) unless private addresses are refused, which is not built.
 */

type SenderStaff = Extract<Actor, { kind: 'sender_staff' }>;

const jwksError = (code: 'system_jwks_invalid' | 'system_jwks_private', detail: string) =>
  new AppError(400, code, detail, 'jwks');
const manager = (staff: SenderStaff): ClientManager => ({ actorKind: 'sender_staff', actorId: staff.staffId });
const notFound = () => new AppError(404, 'system_client_not_found', 'No such system.');

/**
 * Parses a pasted JWKS (or a single JWK): JSON, 1–20 keys, each imported by jose as a PUBLIC key. A private key
 * ("d", or the symmetric "k") is refused with its own code, so the page can say so plainly — and never stored.
 */
export async function parsePastedJwks(text: string): Promise<{ keys: Record<string, unknown>[] }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw jwksError('system_jwks_invalid', 'The JWKS is not JSON.');
  }
  const list =
    parsed && typeof parsed === 'object' && Array.isArray((parsed as { keys?: unknown }).keys)
      ? ((parsed as { keys: unknown[] }).keys as unknown[])
      : parsed && typeof parsed === 'object' && 'kty' in parsed
        ? [parsed]
        : null;
  if (!list || list.length === 0 || list.length > 20) {
    throw jwksError('system_jwks_invalid', 'Give a JWKS ({"keys": [...]}) with 1–20 public keys.');
  }
  for (const key of list) {
    if (!key || typeof key !== 'object') throw jwksError('system_jwks_invalid', 'A key is not a JSON object.');
    if ('d' in key || 'k' in key || 'p' in key) {
      throw jwksError('system_jwks_private', 'The JWKS holds a private or secret key; paste the public keys only.');
    }
    try {
      const imported = await importJWK(key as JWK, (key as JWK).alg ?? algFor(key as JWK));
      if (imported instanceof Uint8Array || imported.type !== 'public') throw new Error('not public');
    } catch {
      throw jwksError('system_jwks_invalid', 'A key in the JWKS cannot be read as a public signing key.');
    }
  }
  return { keys: list as Record<string, unknown>[] };
}

/** An algorithm jose may import a key without "alg" for (the one the key type implies). */
function algFor(key: JWK): string {
  if (key.kty === 'EC') return key.crv === 'P-384' ? 'ES384' : 'ES256';
  if (key.kty === 'OKP') return 'EdDSA';
  return 'RS256';
}

async function ownSystem(services: Services, staff: SenderStaff, clientId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(clientId)) throw notFound();
  const row = await services.db
    .selectFrom('system_client')
    .select('id')
    .where('id', '=', clientId)
    .where('sender_id', '=', staff.senderId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) throw notFound();
}

/** The administrator's sender's systems, newest first (no keys shown). */
export async function senderSystems(services: Services, actor: Actor | null): Promise<SystemClientListing[]> {
  await authoriseSender(services.db, actor, 'manage_systems');
  const staff = actor as SenderStaff;
  const rows = await services.db
    .selectFrom('system_client')
    .selectAll()
    .where('sender_id', '=', staff.senderId)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    senderId: r.sender_id,
    businessRecipientId: r.business_recipient_id,
    scopes: r.scopes,
    jwksUrl: r.jwks_url,
    inlineKeys: r.jwks?.keys.length ?? 0,
    certificateBound: r.tls_client_certificate_thumbprint !== null,
    test: r.test,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
  }));
}

/** Registers a system for the administrator's sender from a pasted JWKS; audited as that staff member. */
export async function registerSenderSystem(
  services: Services,
  actor: Actor | null,
  input: { name: string; jwks: string; scopes: string[]; test: boolean },
): Promise<string> {
  await authoriseSender(services.db, actor, 'manage_systems');
  const staff = actor as SenderStaff;
  if (input.name.trim().length < 1 || input.name.trim().length > 100) {
    throw new AppError(400, 'invalid_system_client', 'Give the system a name of 1–100 characters.', 'name');
  }
  const jwks = await parsePastedJwks(input.jwks);
  return registerSystemClient(services, manager(staff), {
    name: input.name,
    owner: { senderId: staff.senderId },
    keys: { jwks },
    scopes: input.scopes,
    test: input.test,
  });
}

export async function replaceSenderSystemKeys(services: Services, actor: Actor | null, id: string, text: string) {
  await authoriseSender(services.db, actor, 'manage_systems');
  await ownSystem(services, actor as SenderStaff, id);
  const jwks = await parsePastedJwks(text);
  if (!(await replaceKeys(services, manager(actor as SenderStaff), id, { jwks }))) throw notFound();
}

export async function revokeSenderSystem(services: Services, actor: Actor | null, id: string) {
  await authoriseSender(services.db, actor, 'manage_systems');
  await ownSystem(services, actor as SenderStaff, id);
  if (!(await revokeSystemClient(services, manager(actor as SenderStaff), id))) throw notFound();
}

/** "På vegne af": what the administrator's sender has given (as an authority) and received (as a vendor). */
export async function onBehalfPage(
  services: Services,
  actor: Actor | null,
): Promise<{ given: OnBehalfAuthorisation[]; received: OnBehalfAuthorisation[] }> {
  await authoriseSender(services.db, actor, 'manage_on_behalf');
  const { senderId } = actor as SenderStaff;
  return {
    given: await listOnBehalf(services.db, 'given', senderId),
    received: await listOnBehalf(services.db, 'received', senderId),
  };
}

export async function giveOnBehalf(
  services: Services,
  actor: Actor | null,
  input: { vendorCvr: string; scopes: string[]; endsAt: string },
): Promise<string> {
  await authoriseSender(services.db, actor, 'manage_on_behalf');
  const staff = actor as SenderStaff;
  return authoriseOnBehalf(
    services.db,
    { kind: 'staff', staffId: staff.staffId },
    { ...input, authoritySenderId: staff.senderId },
  );
}

export async function withdrawOnBehalf(services: Services, actor: Actor | null, id: string): Promise<void> {
  await authoriseSender(services.db, actor, 'manage_on_behalf');
  const staff = actor as SenderStaff;
  await revokeOnBehalf(services.db, { kind: 'staff', staffId: staff.staffId }, staff.senderId, id);
}
