import { createPublicKey } from 'node:crypto';
import { AppError } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import { type AuditEntry, recordAudit } from '../audit/index.ts';
import { BUSINESS_SCOPES, isScope, type Scope, SENDER_SCOPES } from './scopes.ts';

/** Who manages machine clients: an operator in a page, or the command line (`kuvert systems`). */
export type ClientManager = Pick<AuditEntry, 'actorKind' | 'actorId'>;

export type ClientKeys = { jwks: { keys: Record<string, unknown>[] } } | { jwksUrl: string };

export interface SystemClientInput {
  name: string;
  owner: { senderId: string } | { businessRecipientId: string };
  keys: ClientKeys;
  scopes: string[];
  test?: boolean;
  /** x5t#S256 (base64url SHA-256 of the certificate's DER): its tokens are then bound to that certificate. */
  certificateThumbprint?: string | null;
}

export interface SystemClientListing {
  id: string;
  name: string;
  senderId: string | null;
  businessRecipientId: string | null;
  scopes: string[];
  jwksUrl: string | null;
  inlineKeys: number;
  certificateBound: boolean;
  test: boolean;
  createdAt: Date;
  revokedAt: Date | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const invalid = (detail: string, field: string) => new AppError(400, 'invalid_system_client', detail, field);

/** Checks a JWKS or JWKS URL: public keys only, each one Node can read; an https URL (http only to this machine). */
function checkedKeys(keys: ClientKeys): { jwks: string | null; jwks_url: string | null } {
  if ('jwksUrl' in keys) {
    let url: URL;
    try {
      url = new URL(keys.jwksUrl);
    } catch {
      throw invalid('The JWKS URL is not a URL.', 'jwksUrl');
    }
    const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
      throw invalid('The JWKS URL must use https.', 'jwksUrl');
    }
    return { jwks: null, jwks_url: url.toString() };
  }
  const list = keys.jwks?.keys;
  if (!Array.isArray(list) || list.length === 0 || list.length > 20) {
    throw invalid('Give a JWKS ({"keys": [...]}) with 1–20 public keys.', 'jwks');
  }
  for (const key of list) {
    if (typeof key !== 'object' || key === null || 'd' in key || 'k' in key) {
      throw invalid('The JWKS must hold public keys only (no private or symmetric keys).', 'jwks');
    }
    try {
      createPublicKey({ key: key as import('node:crypto').JsonWebKey, format: 'jwk' });
    } catch {
      throw invalid('A key in the JWKS cannot be read as a public key.', 'jwks');
    }
  }
  return { jwks: JSON.stringify({ keys: list }), jwks_url: null };
}

function checkedScopes(scopes: string[], business: boolean): Scope[] {
  const allowed = business ? BUSINESS_SCOPES : SENDER_SCOPES;
  const unique = [...new Set(scopes)];
  const wrong = unique.filter((s) => !isScope(s) || !allowed.includes(s));
  if (unique.length === 0 || wrong.length > 0) {
    throw invalid(
      `Scopes for this kind of system: ${allowed.join(', ')}${wrong.length ? ` (not: ${wrong.join(', ')})` : ''}.`,
      'scopes',
    );
  }
  return unique as Scope[];
}

/** Registers a system (a sender's or a business's) that may get access tokens; audited. Returns its client id. */
export async function registerSystemClient(
  services: Services,
  manager: ClientManager,
  input: SystemClientInput,
): Promise<string> {
  const name = input.name.trim();
  if (name.length < 1 || name.length > 100) throw invalid('Give the system a name of 1–100 characters.', 'name');
  const business = 'businessRecipientId' in input.owner;
  const scopes = checkedScopes(input.scopes, business);
  const keys = checkedKeys(input.keys);
  const thumbprint = input.certificateThumbprint ?? null;
  if (thumbprint !== null && !/^[A-Za-z0-9_-]{43}$/.test(thumbprint)) {
    throw invalid('The certificate thumbprint must be x5t#S256 (43 base64url characters).', 'certificateThumbprint');
  }
  return services.db.transaction().execute(async (trx) => {
    if ('senderId' in input.owner) {
      const sender = await trx
        .selectFrom('sender')
        .select('id')
        .where('id', '=', input.owner.senderId)
        .executeTakeFirst();
      if (!sender) throw invalid('No such sender.', 'owner');
    } else {
      const recipient = await trx
        .selectFrom('recipient')
        .select('id')
        .where('id', '=', input.owner.businessRecipientId)
        .where('kind', '=', 'business')
        .executeTakeFirst();
      if (!recipient) throw invalid('No such business recipient.', 'owner');
    }
    const row = await trx
      .insertInto('system_client')
      .values({
        name,
        sender_id: 'senderId' in input.owner ? input.owner.senderId : null,
        business_recipient_id: 'businessRecipientId' in input.owner ? input.owner.businessRecipientId : null,
        ...keys,
        scopes,
        tls_client_certificate_thumbprint: thumbprint,
        test: input.test ?? false,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      ...manager,
      action: 'system_client.registered',
      subjectType: 'system_client',
      subjectId: row.id,
      details: {
        name,
        scopes,
        jwksUrl: keys.jwks_url,
        certificateBound: thumbprint !== null,
        test: input.test ?? false,
      },
    });
    return row.id;
  });
}

/** Key rotation by an operator: replaces the client's inline JWKS or JWKS URL; audited. False if no live client. */
export async function replaceKeys(
  services: Services,
  manager: ClientManager,
  clientId: string,
  keys: ClientKeys,
): Promise<boolean> {
  const checked = checkedKeys(keys);
  if (!UUID.test(clientId)) return false;
  return services.db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('system_client')
      .set(checked)
      .where('id', '=', clientId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) return false;
    await recordAudit(trx, {
      ...manager,
      action: 'system_client.keys_replaced',
      subjectType: 'system_client',
      subjectId: clientId,
      details: { jwksUrl: checked.jwks_url },
    });
    return true;
  });
}

/** Revokes a client: no new tokens, and its issued tokens stop working at once; audited. False if no live client. */
export async function revokeSystemClient(
  services: Services,
  manager: ClientManager,
  clientId: string,
): Promise<boolean> {
  if (!UUID.test(clientId)) return false;
  return services.db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('system_client')
      .set({ revoked_at: new Date() })
      .where('id', '=', clientId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) return false;
    await trx.deleteFrom('system_access_token').where('client_id', '=', clientId).execute();
    await recordAudit(trx, {
      ...manager,
      action: 'system_client.revoked',
      subjectType: 'system_client',
      subjectId: clientId,
    });
    return true;
  });
}

/** Every client, newest first (no keys shown). */
export async function listSystemClients(services: Services): Promise<SystemClientListing[]> {
  const rows = await services.db.selectFrom('system_client').selectAll().orderBy('created_at', 'desc').execute();
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
