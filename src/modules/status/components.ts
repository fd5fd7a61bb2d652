/** The parts of Kuvert the status page reports on, in the order it shows them. */
export const componentIds = ['sending_api', 'mailbox', 'login', 'email', 'sms', 'print'] as const;
export type ComponentId = (typeof componentIds)[number];

export type ComponentState = 'operational' | 'degraded' | 'down';
export const componentStates: readonly ComponentState[] = ['operational', 'degraded', 'down'];

export const isComponentId = (value: string): value is ComponentId =>
  (componentIds as readonly string[]).includes(value);

const rank: Record<ComponentState, number> = { operational: 0, degraded: 1, down: 2 };

/** The worse of some states (operational when there are none). */
export function worst(...states: ComponentState[]): ComponentState {
  return states.reduce<ComponentState>((a, b) => (rank[b] > rank[a] ? b : a), 'operational');
}

/** An incident's severity as a component state: minor = degraded, major = down. */
export const severityState = (severity: 'minor' | 'major'): ComponentState =>
  severity === 'major' ? 'down' : 'degraded';

/**
 * Which component a graphile-worker task belongs to, by its name: its queue lag is that component's lag. Tasks of
 * no component (statistics, the status job itself) are still counted in the metrics.
 */
export function componentOfTask(task: string): ComponentId | null {
  if (/sms/i.test(task)) return 'sms';
  if (/print/i.test(task)) return 'print';
  if (/mailbox|inbox|read-receipt/i.test(task)) return 'mailbox';
  if (/e-?mail|notif|remind/i.test(task)) return 'email';
  if (/^(deliver-|process-batch|dispatch-webhooks)|batch|webhook/i.test(task)) return 'sending_api';
  return null;
}
