import type { Env } from '../../config-support.ts';

/** Statistics and operational-status settings (read once at start-up). */
// biome-ignore lint/complexity/noBannedTypes: filled in as the module grows
export type StatisticsConfig = {};

export function loadStatisticsConfig(_env: Env, _nodeEnv: 'development' | 'production' | 'test'): StatisticsConfig {
  return {};
}
