/** The public face of the audit module: what other modules may import. */

export type { AuditEntry } from './audit.repository.ts';
export { recordAudit } from './audit.repository.ts';
export { type AuditArgs, auditUsage, parseAuditArgs, runAuditCommand } from './audit-cli.ts';
export type { CheckpointPayload, PublishedCheckpoint } from './checkpoint.ts';
export { createAuditCheckpoint, latestAuditCheckpoint } from './checkpoint.ts';
export type { EvidenceKey } from './evidence-key.ts';
export {
  EvidenceSignatureError,
  loadEvidenceKey,
  publicEvidenceKeys,
  readKeySet,
  signEvidence,
  verifyEvidence,
} from './evidence-key.ts';
export type { AuditExport } from './export-audit.ts';
export { exportAuditChain, verifyAuditExport } from './export-audit.ts';
export type { AuditFinding, AuditVerifyReport } from './verify-audit.ts';
export { verifyAudit } from './verify-audit.ts';
