import type { KuvertModule } from '../module.ts';
import { auditCron, auditTasks } from './audit.jobs.ts';
import { auditPlugin } from './audit.plugin.ts';

export type { AuditTables } from './audit.tables.ts';

/**
 * The audit module: the append-only, hash-chained audit log, its hourly signed checkpoints (published at
 * /api/v1/audit/checkpoints) and Kuvert's evidence key (its public half is served here).
 */
export const auditModule: KuvertModule = { name: 'audit', plugins: [auditPlugin], tasks: auditTasks, cron: auditCron };
