import { type Env, intVar } from '../../config-support.ts';

/** Registry settings (read once at start-up). */
export type RegistryConfig = {
  /**
   * KUVERT_BUSINESS_RETENTION_YEARS (default 5): how long a ceased company's closed mailbox keeps its post, counted
   * from the day it ceased (its delete_after).
   */
  businessRetentionYears: number;
};

export function loadRegistryConfig(env: Env): RegistryConfig {
  return { businessRetentionYears: intVar(env, 'KUVERT_BUSINESS_RETENTION_YEARS', 5, 1, 100) };
}
