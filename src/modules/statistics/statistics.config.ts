import { ConfigError, type Env } from '../../config-support.ts';

/** Statistics settings (read once at start-up). */
export type StatisticsConfig = {
  /** KUVERT_DEMO_SCORECARD_TOKEN: fixes the demo reporting organisation's scorecard token (demo seed only). */
  demoScorecardToken: string | undefined;
};

const TOKEN_RE = /^ksr_[a-f0-9]{12}_[A-Za-z0-9_-]{32,128}$/;

export function loadStatisticsConfig(env: Env, _nodeEnv: 'development' | 'production' | 'test'): StatisticsConfig {
  const token = env.KUVERT_DEMO_SCORECARD_TOKEN || undefined;
  if (token && !TOKEN_RE.test(token)) {
    throw new ConfigError(
      'KUVERT_DEMO_SCORECARD_TOKEN',
      'expected ksr_<12 lowercase hex>_<32–128 letters, digits, - or _>',
    );
  }
  return { demoScorecardToken: token };
}
