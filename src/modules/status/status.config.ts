import { type Env, intVar, tokenVar } from '../../config-support.ts';

/** Operational status and metrics settings (read once at start-up). */
export interface StatusConfig {
  /** Bearer token for /metrics (KUVERT_METRICS_TOKEN). Unset: /metrics is open outside production, 404 in it. */
  metricsToken: string | undefined;
  /** How long one round of live checks is reused by /drift, /api/v1/status and /metrics. */
  checkCacheSeconds: number;
  /** The oldest due job of a component waiting this long makes it degraded; queueLagDownSeconds makes it down. */
  queueLagDegradedSeconds: number;
  queueLagDownSeconds: number;
  /** A database round trip slower than this makes every component degraded. */
  databaseSlowMs: number;
  /** A check that takes longer than this counts as failed. */
  checkTimeoutMs: number;
  /** A letter queued for print longer than this (batches are built every 15 minutes) makes print degraded. */
  printQueuedMinutes: number;
  /** A print batch ready this long without the provider's confirmation makes print degraded. */
  printUnconfirmedHours: number;
}

export function loadStatusConfig(env: Env, nodeEnv: 'development' | 'production' | 'test'): StatusConfig {
  const queueLagDegradedSeconds = intVar(env, 'KUVERT_STATUS_QUEUE_LAG_SECONDS', 300, 1, 86_400);
  return {
    metricsToken: tokenVar(env, 'KUVERT_METRICS_TOKEN'),
    checkCacheSeconds: intVar(env, 'KUVERT_STATUS_CACHE_SECONDS', nodeEnv === 'test' ? 0 : 15, 0, 3600),
    queueLagDegradedSeconds,
    queueLagDownSeconds: intVar(env, 'KUVERT_STATUS_QUEUE_LAG_DOWN_SECONDS', 3600, queueLagDegradedSeconds, 7 * 86_400),
    databaseSlowMs: intVar(env, 'KUVERT_STATUS_DB_SLOW_MS', 500, 1, 60_000),
    checkTimeoutMs: intVar(env, 'KUVERT_STATUS_CHECK_TIMEOUT_MS', 5000, 100, 60_000),
    printQueuedMinutes: intVar(env, 'KUVERT_STATUS_PRINT_QUEUED_MINUTES', 60, 1, 7 * 24 * 60),
    printUnconfirmedHours: intVar(env, 'KUVERT_STATUS_PRINT_UNCONFIRMED_HOURS', 48, 1, 30 * 24),
  };
}
