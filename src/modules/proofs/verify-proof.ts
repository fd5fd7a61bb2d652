import type { JSONWebKeySet } from 'jose';
import { EvidenceSignatureError, verifyEvidence } from '../audit/index.ts';
import { openProof, type SignedProofClaims } from './proof-document.ts';

export const PROOF_TYP = 'kuvert-proof+jwt';

export type ProofVerdict =
  | { valid: true; claims: SignedProofClaims; kid: string }
  | { valid: false; reason: 'not_a_proof' | 'bad_signature' | 'modified' };

/**
 * Checks a downloaded proof offline, against a JWK set (the published one, or a copy): the embedded JWS must be
 * signed by one of the keys with type kuvert-proof+jwt, and name the SHA-256 of this very file (its slot emptied).
 */
export async function verifyProofFile(file: Buffer, keys: JSONWebKeySet): Promise<ProofVerdict> {
  const opened = openProof(file);
  if (!opened) return { valid: false, reason: 'not_a_proof' };
  let claims: SignedProofClaims;
  try {
    claims = await verifyEvidence<SignedProofClaims>(opened.jws, keys, PROOF_TYP);
  } catch (error) {
    if (error instanceof EvidenceSignatureError) return { valid: false, reason: 'bad_signature' };
    throw error;
  }
  if (claims.pdfSha256 !== opened.pdfSha256) return { valid: false, reason: 'modified' };
  const header = JSON.parse(Buffer.from(opened.jws.split('.')[0] as string, 'base64url').toString('utf8')) as {
    kid?: string;
  };
  return { valid: true, claims, kid: header.kid ?? '' };
}
