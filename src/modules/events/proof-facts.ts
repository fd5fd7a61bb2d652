/**
 * The legal facts Kuvert issues signed proofs of (issue 18), each the message event that records it. One home for
 * the mapping: the proofs module renders and signs them, and the event feed (and so the webhooks) links each event
 * that is such a fact to its proof (`proofUrl`).
 */
export const PROOF_FACTS = {
  /** Kuvert accepted the letter: its content was checked and stored. */
  accepted: 'VALIDATED',
  /** The letter was put in the recipient's digital mailbox. */
  available: 'AVAILABLE_TO_RECIPIENT',
  /** The print provider confirmed printing and posting the letter (with its print batch). */
  posted: 'PHYSICAL_LETTER_SENT',
  /** The recipient (or someone with access) first opened the letter. */
  opened: 'READ',
  /** A legal-notification letter was served (lovpligtig forkyndelse) when it was opened. */
  served: 'LEGALLY_NOTIFIED',
  /** The sender recalled the letter. */
  recalled: 'RECALLED',
} as const;

export type ProofFact = keyof typeof PROOF_FACTS;

export const PROOF_FACT_NAMES = Object.keys(PROOF_FACTS) as ProofFact[];

const FACT_BY_EVENT = new Map<string, ProofFact>(
  Object.entries(PROOF_FACTS).map(([fact, type]) => [type, fact as ProofFact]),
);

export const isProofFact = (value: string): value is ProofFact => Object.hasOwn(PROOF_FACTS, value);

/** The fact an event type proves, if any. */
export const proofFactOf = (eventType: string): ProofFact | undefined => FACT_BY_EVENT.get(eventType);

/** Where the sender's API gives out the proof of a letter's fact. */
export const proofUrl = (messageId: string, fact: ProofFact): string => `/api/v1/messages/${messageId}/proofs/${fact}`;
