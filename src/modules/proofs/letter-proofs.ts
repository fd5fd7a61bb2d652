import { createHash } from 'node:crypto';
import { AppError, notFound } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import { recordAudit, signEvidence } from '../audit/index.ts';
import { isProofFact, PROOF_FACT_NAMES, PROOF_FACTS, type ProofFact, proofUrl } from '../events/index.ts';
import { findLetterParties, getMessageStatus, type MessageStatus } from '../messages/index.ts';
import { type ProofClaims, renderProofPdf, sealProof } from './proof-document.ts';
import { mayGetProof, type ProofViewer } from './proofs.policy.ts';
import { findLetterProof, insertLetterProof } from './proofs.repository.ts';
import { PROOF_TYP } from './verify-proof.ts';

/** A letter as the caller names it: the sender it belongs to (the caller's own, for a sender) and its id. */
export interface LetterRef {
  senderId: string;
  messageId: string;
}

export interface ProofListing {
  fact: ProofFact;
  eventType: string;
  occurredAt: string;
  /** The sender API's address of the proof. */
  url: string;
}

export interface LetterProofFile {
  fact: ProofFact;
  filename: string;
  sha256: string;
  pdf: Buffer;
}

/** The facts of a letter that have happened (its first event of each), as far as the viewer may have their proofs. */
function happenedFacts(status: MessageStatus, viewer: ProofViewer) {
  // A test letter reached nobody: nothing about it is a legal fact.
  if (status.test) return [];
  return PROOF_FACT_NAMES.flatMap((fact) => {
    const event = status.events.find((e) => e.type === PROOF_FACTS[fact]);
    return event && mayGetProof(viewer, fact) ? [{ fact, event }] : [];
  });
}

/** The proofs a viewer may have of a letter: one per fact that has happened. Another sender's letter: 404. */
export async function listLetterProofs(
  services: Services,
  viewer: ProofViewer,
  letter: LetterRef,
): Promise<ProofListing[]> {
  const status = await getMessageStatus(services, letter.senderId, letter.messageId);
  return happenedFacts(status, viewer).map(({ fact, event }) => ({
    fact,
    eventType: event.type,
    occurredAt: event.occurredAt,
    url: proofUrl(status.id, fact),
  }));
}

/**
 * The signed proof of one fact of a letter: made, signed and kept on first request, given out unchanged after that.
 * A fact that is not one of the proof facts: 404 proof_unknown_fact; one that has not happened (or that the viewer
 * may not have): 409 proof_fact_not_happened; another sender's letter: 404.
 */
export async function getLetterProof(
  services: Services,
  viewer: ProofViewer,
  letter: LetterRef,
  factParam: string,
): Promise<LetterProofFile> {
  if (!isProofFact(factParam)) {
    throw new AppError(404, 'proof_unknown_fact', 'There are no proofs of this fact.', 'fact');
  }
  const fact = factParam;
  const status = await getMessageStatus(services, letter.senderId, letter.messageId);
  const happened = happenedFacts(status, viewer).find((f) => f.fact === fact);
  if (!happened) {
    throw new AppError(409, 'proof_fact_not_happened', 'This has not happened to this letter.', 'fact');
  }
  const filename = `kuvert-bevis-${fact}-${status.id}.pdf`;
  const kept = await findLetterProof(services.db, status.id, fact);
  if (kept) return { fact, filename, sha256: kept.sha256.trim(), pdf: kept.pdf };

  const parties = await findLetterParties(services.db, letter.senderId, status.id);
  if (!parties) throw notFound('message');
  const printBatchId = happened.event.data.printBatchId;
  const claims: ProofClaims = {
    kuvertProof: 1,
    fact,
    eventType: happened.event.type,
    occurredAt: happened.event.occurredAt,
    letter: {
      id: status.id,
      messageUuid: status.messageUuid,
      senderReference: status.senderReference,
      label: status.label,
      legalNotification: status.legalNotification,
      documents: status.documents.map((d) => ({ title: d.title, filename: d.filename, sha256: d.sha256 })),
    },
    sender: { id: letter.senderId, name: parties.senderName, cvr: parties.senderCvr },
    recipient: { id: parties.recipientId, kind: parties.recipientKind, masked: parties.recipientMasked },
    ...(typeof printBatchId === 'string' ? { printBatchId } : {}),
    issuedAt: new Date().toISOString(),
    issuer: services.config.publicUrl,
  };
  let kid = '';
  const sealed = await sealProof(await renderProofPdf(claims), async (pdfSha256) => {
    const jws = await signEvidence(services.db, PROOF_TYP, { ...claims, pdfSha256 });
    kid = (JSON.parse(Buffer.from(jws.split('.')[0] as string, 'base64url').toString('utf8')) as { kid: string }).kid;
    return jws;
  });
  const sha256 = createHash('sha256').update(sealed).digest('hex');
  await services.db.transaction().execute(async (trx) => {
    const inserted = await insertLetterProof(trx, {
      messageId: status.id,
      fact,
      senderId: letter.senderId,
      occurredAt: new Date(happened.event.occurredAt),
      pdf: sealed,
      sha256,
      kid,
    });
    if (!inserted) return;
    await recordAudit(trx, {
      actorKind: 'system',
      actorId: 'proofs',
      action: 'proof.issue',
      subjectType: 'message',
      subjectId: status.id,
      mailboxRecipientId: parties.recipientId,
      details: { fact, sha256, kid },
    });
  });
  // Two requests at once: the one kept first is the proof, for both.
  const winner = await findLetterProof(services.db, status.id, fact);
  if (!winner) throw new Error('The proof was not kept.');
  return { fact, filename, sha256: winner.sha256.trim(), pdf: winner.pdf };
}
