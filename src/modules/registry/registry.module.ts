import type { KuvertModule } from '../module.ts';
import { registryErrors } from './registry.errors.ts';
import * as strings from './registry.i18n.ts';
import { registryCron, registryTasks } from './registry.jobs.ts';
import { registryPlugin } from './registry.plugin.ts';
import { seedRegistry } from './registry.seed.ts';

export type { Enrolment, EnrolmentChangeKind, ExemptionGround, RegistryTables } from './registry.tables.ts';

/** The registry module: people and businesses, enrolment, the population file, the caseworker pages. */
export const registryModule: KuvertModule = {
  name: 'registry',
  errors: registryErrors,
  strings,
  plugins: [registryPlugin],
  tasks: registryTasks,
  cron: registryCron,
  seed: seedRegistry,
};
