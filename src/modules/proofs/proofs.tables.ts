import type { Generated } from 'kysely';
import type { Timestamp } from '../../db/columns.ts';

/**
 * A signed proof of one legal fact of a letter (migration 0038): the sealed PDF as it was first given out, so that
 * the same proof downloads byte for byte the same every time. Kept in the table (a few tens of kB), not in the document
 * store, whose sweeper keeps only what `document` names.
 */
export interface LetterProofTable {
  message_id: string;
  /** accepted | available | posted | opened | served | recalled (events/proof-facts.ts). */
  fact: string;
  sender_id: string;
  occurred_at: Timestamp;
  /** The sealed PDF (the JWS embedded). */
  pdf: Buffer;
  /** SHA-256 of the sealed file as downloaded (hex). */
  sha256: string;
  /** The evidence key that signed it. */
  kid: string;
  created_at: Generated<Timestamp>;
}

/** The proofs module's tables (merged into Database in src/db/schema.ts). */
export interface ProofsTables {
  letter_proof: LetterProofTable;
}
