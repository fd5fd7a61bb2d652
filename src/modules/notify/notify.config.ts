import type { Env } from '../../config-support.ts';

/** Notification settings: transports, quiet hours, coalescing (read once at start-up). */
// biome-ignore lint/complexity/noBannedTypes: filled in as the module grows
export type NotifyConfig = {};

export function loadNotifyConfig(_env: Env, _nodeEnv: 'development' | 'production' | 'test'): NotifyConfig {
  return {};
}
