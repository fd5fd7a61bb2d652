import { type Env, intVar } from '../../config-support.ts';

/** Retention and purge settings (read once at start-up; see retention.ts and mailbox/purge-letters.ts). */
export interface RetentionConfig {
  /** KUVERT_RETENTION_MAX_YEARS (default 10): the national maximum of a letter's deleteAfter and a sender's default. */
  maxYears: number;
  /**
   * KUVERT_RETENTION_OWNER_DELETED_DAYS (default 30): how long a letter its owner deleted for good (hidden at once)
   * is kept before it is purged; 0 purges it at the next run.
   */
  ownerDeletedDays: number;
  /** KUVERT_PURGE_BATCH (default 500): letters purged per transaction. */
  purgeBatch: number;
}

export function loadRetentionConfig(env: Env): RetentionConfig {
  return {
    maxYears: intVar(env, 'KUVERT_RETENTION_MAX_YEARS', 10, 1, 100),
    ownerDeletedDays: intVar(env, 'KUVERT_RETENTION_OWNER_DELETED_DAYS', 30, 0, 3650),
    purgeBatch: intVar(env, 'KUVERT_PURGE_BATCH', 500, 1, 10_000),
  };
}
