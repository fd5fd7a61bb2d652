/** The public face of the audit module: what other modules may import. */

export type { AuditEntry } from './audit.repository.ts';
export { recordAudit } from './audit.repository.ts';
export type { EvidenceKey } from './evidence-key.ts';
export {
  EvidenceSignatureError,
  loadEvidenceKey,
  publicEvidenceKeys,
  signEvidence,
  verifyEvidence,
} from './evidence-key.ts';
