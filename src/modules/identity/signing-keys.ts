import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { Db } from '../../db/database.ts';

const SETTING_KEY = 'oidc_jwks';

export interface SigningKeys {
  keys: Record<string, unknown>[];
}

/**
 * The built-in provider's signing keys: generated once (one RSA key) and kept in `app_setting`, so ID tokens and
 * sessions stay valid across restarts and between several server processes.
 */
export async function loadOrCreateSigningKeys(db: Db): Promise<SigningKeys> {
  const existing = await readKeys(db);
  if (existing) return existing;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), use: 'sig', alg: 'RS256' };
  await db
    .insertInto('app_setting')
    .values({ key: SETTING_KEY, value: JSON.stringify({ keys: [jwk] }) })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  // Another process may have won the race; whichever key was stored first is the one everybody uses.
  const stored = await readKeys(db);
  if (!stored) throw new Error('The identity provider signing key could not be stored.');
  return stored;
}

async function readKeys(db: Db): Promise<SigningKeys | null> {
  const row = await db.selectFrom('app_setting').select('value').where('key', '=', SETTING_KEY).executeTakeFirst();
  const value = row?.value as SigningKeys | undefined;
  return value && Array.isArray(value.keys) && value.keys.length > 0 ? value : null;
}
