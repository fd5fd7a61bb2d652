import { generateKeyPairSync } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  CompactSign,
  calculateJwkThumbprint,
  compactVerify,
  createLocalJWKSet,
  importJWK,
  type JSONWebKeySet,
  type JWK,
} from 'jose';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

/**
 * Kuvert's evidence key: one Ed25519 key (JWS alg EdDSA) that signs what Kuvert must be able to prove later —
 * proofs of a letter's legal facts, audit checkpoints and audit exports. Generated on first use and kept in
 * `evidence_key` (migration 0037), so that every process signs with the same key; published as a JWK set
 * (`publicEvidenceKeys`, served at /.well-known/kuvert-evidence-keys.json) so anyone can verify offline.
 *
 * A signature is a compact JWS whose payload is JSON and whose protected header names the key (`kid`) and the payload's
 * type (`typ`, e.g. `kuvert-proof+jwt`); `verifyEvidence` checks it against a JWK set and the expected type.
 */

export interface EvidenceKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

/** The key that signs now: the newest not retired, created (race-safely) when there is none. */
export async function loadEvidenceKey(db: Db): Promise<EvidenceKey> {
  const existing = await readActiveKey(db);
  if (existing) return existing;
  const { privateKey } = generateKeyPairSync('ed25519');
  const privateJwk = privateKey.export({ format: 'jwk' }) as JWK;
  const publicJwk: JWK = { kty: privateJwk.kty, crv: privateJwk.crv, x: privateJwk.x };
  const kid = await calculateJwkThumbprint(publicJwk);
  // Two processes may create a key at once: a transaction-level advisory lock lets one of them insert it.
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(7373037)`.execute(trx);
    const other = await trx.selectFrom('evidence_key').select('kid').where('retired_at', 'is', null).executeTakeFirst();
    if (other) return;
    await trx
      .insertInto('evidence_key')
      .values({
        kid,
        public_jwk: JSON.stringify({ ...publicJwk, kid, alg: 'EdDSA', use: 'sig' }),
        private_jwk: JSON.stringify({ ...privateJwk, kid, alg: 'EdDSA' }),
      })
      .execute();
  });
  const stored = await readActiveKey(db);
  if (!stored) throw new Error('The evidence key could not be stored.');
  return stored;
}

async function readActiveKey(db: Db): Promise<EvidenceKey | null> {
  const row = await db
    .selectFrom('evidence_key')
    .select(['kid', 'public_jwk', 'private_jwk'])
    .where('retired_at', 'is', null)
    .where('private_jwk', 'is not', null)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  if (!row?.private_jwk) return null;
  return { kid: row.kid, privateJwk: row.private_jwk as JWK, publicJwk: row.public_jwk as JWK };
}

/** Every evidence key's public half (retired keys too, so old proofs verify), as a JWK set. */
export async function publicEvidenceKeys(db: Db): Promise<JSONWebKeySet> {
  await loadEvidenceKey(db);
  const rows = await db.selectFrom('evidence_key').select('public_jwk').orderBy('created_at').execute();
  return { keys: rows.map((row) => row.public_jwk as JWK) };
}

/** Signs a JSON payload with the current evidence key: a compact JWS with header { alg: EdDSA, kid, typ }. */
export async function signEvidence(db: Db, typ: string, payload: unknown): Promise<string> {
  const key = await loadEvidenceKey(db);
  const privateKey = await importJWK(key.privateJwk, 'EdDSA');
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ })
    .sign(privateKey);
}

export class EvidenceSignatureError extends Error {}

/**
 * Verifies a compact JWS made by `signEvidence` against a JWK set (the published one, or a copy kept offline) and
 * the expected type; returns the payload. Throws EvidenceSignatureError when the signature, key or type is wrong.
 */
export async function verifyEvidence<T = unknown>(jws: string, keys: JSONWebKeySet, typ: string): Promise<T> {
  try {
    const { payload, protectedHeader } = await compactVerify(jws.trim(), createLocalJWKSet(keys), {
      algorithms: ['EdDSA'],
    });
    if (protectedHeader.typ !== typ) throw new EvidenceSignatureError(`expected a ${typ}, got ${protectedHeader.typ}`);
    return JSON.parse(new TextDecoder().decode(payload)) as T;
  } catch (error) {
    if (error instanceof EvidenceSignatureError) throw error;
    throw new EvidenceSignatureError(error instanceof Error ? error.message : String(error));
  }
}

/** Reads a saved copy of the published JWK set (for checking offline); a string is the usage error. */
export async function readKeySet(path: string): Promise<JSONWebKeySet | string> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as JSONWebKeySet;
    if (!parsed || !Array.isArray(parsed.keys)) return `${path} is not a JWK set (no "keys").`;
    return parsed;
  } catch (error) {
    return `Cannot read the key set ${path}: ${error instanceof Error ? error.message : String(error)}`;
  }
}
