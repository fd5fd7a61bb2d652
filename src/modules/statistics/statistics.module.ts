import type { KuvertModule } from '../module.ts';
import { statisticsErrors } from './statistics.errors.ts';
import * as strings from './statistics.i18n.ts';
import { statisticsCron, statisticsTasks } from './statistics.jobs.ts';
import { statisticsPlugin } from './statistics.plugin.ts';
import { seedStatisticsDemo } from './statistics.seed.ts';

export type { StatisticsTables } from './statistics.tables.ts';

/** The statistics module: public statistics, the scorecard and open data. */
export const statisticsModule: KuvertModule = {
  name: 'statistics',
  errors: statisticsErrors,
  plugins: [statisticsPlugin],
  tasks: statisticsTasks,
  cron: statisticsCron,
  strings,
  seed: seedStatisticsDemo,
};
