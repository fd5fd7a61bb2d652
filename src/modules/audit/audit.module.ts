import type { KuvertModule } from '../module.ts';
import { auditPlugin } from './audit.plugin.ts';

export type { AuditTables } from './audit.tables.ts';

/** The audit module: the hash-chained audit log and Kuvert's evidence key (its public half is served here). */
export const auditModule: KuvertModule = { name: 'audit', plugins: [auditPlugin] };
