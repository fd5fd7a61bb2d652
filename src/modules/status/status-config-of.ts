import type { Config } from '../../config.ts';
import type { Services } from '../../services.ts';
import { loadStatusConfig, type StatusConfig } from './status.config.ts';

/**
 * The status settings: `config.status` when src/config.ts loads them, otherwise read from the process environment
 * once (the same variables, validated the same way).
 */
export function statusConfigOf(services: Pick<Services, 'config'>): StatusConfig {
  const config = services.config as Config & { status?: StatusConfig };
  config.status ??= loadStatusConfig(process.env, config.env);
  return config.status;
}
