import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../db/database.ts';

// A key looks like "kuv_<prefix>_<secret>" (live) or "kuv_test_<prefix>_<secret>" (test mode): the prefix finds the
// row, the secret is checked against its hash, and the mode the key shows must be the row's.
const KEY_RE = /^kuv_(?:(test)_)?([a-z0-9]{12})_([A-Za-z0-9_-]{24,128})$/;

/** What a key looks like to a person: its mode and the non-secret prefix ("kuv_test_ab12cd34ef56_…"). */
export const keyHint = (prefix: string, test: boolean) => `kuv_${test ? 'test_' : ''}${prefix}_…`;

const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

export interface CreatedApiKey {
  id: string;
  /** The whole key; shown once, never stored. */
  key: string;
}

/** Creates an API key for one sender. `fixedKey` (a demo convenience) must have the same shape as a generated one. */
export async function createApiKey(
  db: Db,
  senderId: string,
  label: string,
  fixedKey?: string,
  test = false,
): Promise<CreatedApiKey> {
  let prefix: string;
  let secret: string;
  if (fixedKey) {
    const match = KEY_RE.exec(fixedKey);
    if (match) {
      prefix = match[2] as string;
      secret = match[3] as string;
      test = match[1] === 'test';
    } else {
      // A free-form demo key: derive a stable prefix from it so the same key maps to the same row.
      prefix = createHash('sha256').update(fixedKey).digest('hex').slice(0, 12);
      secret = fixedKey;
    }
  } else {
    prefix = randomBytes(6).toString('hex');
    secret = randomBytes(32).toString('base64url');
  }
  const row = await db
    .insertInto('api_key')
    .values({ sender_id: senderId, prefix, secret_hash: hashSecret(secret), label, test })
    .returning('id')
    .executeTakeFirstOrThrow();
  return {
    id: row.id,
    key: fixedKey && !KEY_RE.test(fixedKey) ? fixedKey : `kuv_${test ? 'test_' : ''}${prefix}_${secret}`,
  };
}

/** Resolves a presented key to its sender; null for unknown, malformed or revoked keys. */
export async function authenticateApiKey(
  db: Db,
  presented: string,
): Promise<{ apiKeyId: string; senderId: string; test: boolean } | null> {
  const match = KEY_RE.exec(presented);
  const prefix = match ? (match[2] as string) : createHash('sha256').update(presented).digest('hex').slice(0, 12);
  const secret = match ? (match[3] as string) : presented;
  const row = await db
    .selectFrom('api_key')
    .select(['id', 'sender_id', 'secret_hash', 'revoked_at', 'test'])
    .where('prefix', '=', prefix)
    .executeTakeFirst();
  if (!row || row.revoked_at) return null;
  // A live key dressed as a test key (or the reverse) is refused: the prefix a developer reads must be the truth.
  if (match && (match[1] === 'test') !== row.test) return null;
  const a = Buffer.from(row.secret_hash, 'hex');
  const b = Buffer.from(hashSecret(secret), 'hex');
  if (a.length !== b.length || !timingSafeEqual(a, b)) return null;
  return { apiKeyId: row.id, senderId: row.sender_id, test: row.test };
}

/** Revokes a key of the given sender; returns false if no such live key. */
export async function revokeApiKey(db: Db, senderId: string, apiKeyId: string): Promise<boolean> {
  const result = await db
    .updateTable('api_key')
    .set({ revoked_at: new Date() })
    .where('id', '=', apiKeyId)
    .where('sender_id', '=', senderId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
