import type { KuvertModule } from '../module.ts';

export type { AuditTables } from './audit.tables.ts';

/** The audit module: the hash-chained audit log. No routes or jobs of its own; its tables only. */
export const auditModule: KuvertModule = { name: 'audit' };
