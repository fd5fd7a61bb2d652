import type { ProofFact } from '../events/index.ts';

/**
 * Who asks for a letter's proof. The sender's system: of its own letters only (the use case looks the letter up under
 * the caller's sender id, so another sender's letter is "not found"). A reader in the mailbox: someone the mailbox
 * policy lets read the letter (the owner, a delegate with read access, a power of attorney, a parent).
 */
export type ProofViewer = { kind: 'sender'; senderId: string } | { kind: 'reader'; mayRead: boolean };

/**
 * The facts that concern the recipient. `accepted` is between the sender and Kuvert (a letter is accepted before it
 * reaches anybody, possibly long before a scheduled delivery), so a reader is not given it.
 */
export const READER_FACTS: ReadonlySet<ProofFact> = new Set<ProofFact>([
  'available',
  'posted',
  'opened',
  'served',
  'recalled',
]);

/** May this viewer have the proof of this fact of a letter it has found (the sender) or may open (a reader)? */
export function mayGetProof(viewer: ProofViewer, fact: ProofFact): boolean {
  if (viewer.kind === 'sender') return true;
  return viewer.mayRead && READER_FACTS.has(fact);
}
