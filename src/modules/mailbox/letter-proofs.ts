import { AppError } from '../../http/problem.ts';
import type { Actor } from '../../kernel/actor.ts';
import type { Services } from '../../services.ts';
import { getLetterProof, type LetterProofFile, listLetterProofs, type ProofListing } from '../proofs/index.ts';
import { authoriseLetter } from './letter-access.ts';

/**
 * The proofs a reader of a letter may have (issue 18): whoever the mailbox policy lets read the letter gets the
 * proofs of the facts that concern the recipient (the proofs policy, READER_FACTS). A forwarded copy has none: the
 * facts are the original's, between its sender and its recipient.
 */
export async function listReaderProofs(
  services: Services,
  actor: Actor | null,
  messageId: string,
): Promise<ProofListing[]> {
  const letter = await authoriseLetter(services.db, actor, messageId, 'read');
  try {
    return await listLetterProofs(
      services,
      { kind: 'reader', mayRead: true },
      { senderId: letter.message.sender_id, messageId: letter.message.id },
    );
  } catch (error) {
    if (error instanceof AppError && error.status === 404) return [];
    throw error;
  }
}

/**
 * One proof of a letter the actor may read; a letter they may not read is "not found", as everywhere. An unopened
 * legal notification gives none (its proofs name its documents): the notice is seen and the letter opened first.
 */
export async function readReaderProof(
  services: Services,
  actor: Actor | null,
  messageId: string,
  fact: string,
): Promise<LetterProofFile> {
  const letter = await authoriseLetter(services.db, actor, messageId, 'read', 'proof');
  if (letter.message.legal_notification && letter.message.first_read_at === null) {
    throw new AppError(
      409,
      'legal_notice_first',
      'This letter is a legal notification. Open the letter itself first; its proofs are shown there.',
    );
  }
  return getLetterProof(
    services,
    { kind: 'reader', mayRead: true },
    { senderId: letter.message.sender_id, messageId: letter.message.id },
    fact,
  );
}
