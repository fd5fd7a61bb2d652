import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import type { ScorecardReporter } from './statistics.policy.ts';

// A token looks like "ksr_<prefix>_<secret>": the prefix finds the row, the secret is checked against its hash.
const TOKEN_RE = /^ksr_([a-f0-9]{12})_([A-Za-z0-9_-]{32,128})$/;

const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

/**
 * Registers a reporting organisation and returns its bearer token (shown once; only a hash is kept). `fixedToken`
 * (a demo convenience) must have the generated shape.
 */
export async function createScorecardReporter(
  db: Db,
  options: { name: string; municipalityCode?: string | null; fixedToken?: string },
): Promise<{ id: string; token: string }> {
  let prefix = randomBytes(6).toString('hex');
  let secret = randomBytes(32).toString('base64url');
  if (options.fixedToken) {
    const match = TOKEN_RE.exec(options.fixedToken);
    if (!match) throw new Error('a fixed scorecard token must look like ksr_<12 hex>_<32+ base64url characters>');
    prefix = match[1] as string;
    secret = match[2] as string;
  }
  const row = await db
    .insertInto('scorecard_reporter')
    .values({
      name: options.name,
      municipality_code: options.municipalityCode ?? null,
      token_prefix: prefix,
      token_hash: hashSecret(secret),
    })
    .onConflict((oc) => oc.column('token_prefix').doUpdateSet({ name: options.name }))
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, token: `ksr_${prefix}_${secret}` };
}

/** The reporting organisation a bearer token belongs to, or null (unknown, malformed or revoked). */
export async function authenticateScorecardToken(db: Db, token: string): Promise<ScorecardReporter | null> {
  const match = TOKEN_RE.exec(token);
  if (!match) return null;
  const row = await db
    .selectFrom('scorecard_reporter')
    .select(['id', 'name', 'municipality_code', 'token_hash'])
    .where('token_prefix', '=', match[1] as string)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  const expected = Buffer.from(row.token_hash, 'hex');
  const actual = Buffer.from(hashSecret(match[2] as string), 'hex');
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
  return { id: row.id, name: row.name, municipalityCode: row.municipality_code };
}
