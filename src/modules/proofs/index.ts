/** The public face of the proofs module: what the mailbox (the letter page) and the CLI may import. */
export type { LetterProofFile, LetterRef, ProofListing } from './letter-proofs.ts';
export { getLetterProof, listLetterProofs } from './letter-proofs.ts';
export { type ProofArgs, parseProofArgs, proofUsage, runProofCommand } from './proof-cli.ts';
export type { ProofClaims, SignedProofClaims } from './proof-document.ts';
export { type ProofViewer, READER_FACTS } from './proofs.policy.ts';
export { sendProof } from './proofs.routes.tsx';
export { PROOF_TYP, type ProofVerdict, verifyProofFile } from './verify-proof.ts';
