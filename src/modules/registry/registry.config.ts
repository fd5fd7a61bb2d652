import { type Env, intVar } from '../../config-support.ts';

/** Registry settings (read once at start-up). */
export type RegistryConfig = {
  /**
   * KUVERT_BUSINESS_RETENTION_YEARS (default 5): how long a ceased company's closed mailbox keeps its post, counted
   * from the day it ceased (its delete_after).
   */
  businessRetentionYears: number;
  /**
   * KUVERT_DEATH_RETENTION_YEARS (default 5): how long a deceased person's closed mailbox keeps its post, counted from
   * the day the death was registered (its delete_after); then the retention purge deletes the letters.
   */
  deathRetentionYears: number;
};

/** The default of KUVERT_DEATH_RETENTION_YEARS: the closure page's promise, five years after death. */
export const DEATH_RETENTION_DEFAULT_YEARS = 5;

/** The delete_after date of a mailbox closed by death: `years` on (KUVERT_DEATH_RETENTION_YEARS), the same day. */
export function deleteAfterDeath(now: Date, years: number = DEATH_RETENTION_DEFAULT_YEARS): string {
  return new Date(Date.UTC(now.getUTCFullYear() + years, now.getUTCMonth(), now.getUTCDate()))
    .toISOString()
    .slice(0, 10);
}

export function loadRegistryConfig(env: Env): RegistryConfig {
  return {
    businessRetentionYears: intVar(env, 'KUVERT_BUSINESS_RETENTION_YEARS', 5, 1, 100),
    deathRetentionYears: intVar(env, 'KUVERT_DEATH_RETENTION_YEARS', DEATH_RETENTION_DEFAULT_YEARS, 1, 100),
  };
}
