import { processWorkers } from '../../jobs/process-workers.ts';
import type { Services } from '../../services.ts';
import { builtInIssuer } from '../identity/index.ts';
import { checkNotificationTransports, type TransportState } from '../notify/index.ts';
import { type ComponentId, type ComponentState, componentIds, componentOfTask, worst } from './components.ts';
import { jobQueueByTask, pingDatabase, printBacklog, type TaskQueue } from './status-checks.repository.ts';
import { statusConfigOf } from './status-config-of.ts';

/** Why a component is not operational. `detail` is plain text for operators (English), never personal data. */
export interface Reason {
  code:
    | 'database_unreachable'
    | 'database_slow'
    | 'queue_lag'
    | 'transport'
    | 'print_queue_overdue'
    | 'print_batch_unconfirmed'
    | 'login_unreachable'
    | 'login_slow'
    | 'check_failed'
    | 'worker_restarting';
  state: Exclude<ComponentState, 'operational'>;
  detail: string | null;
  params: Record<string, string | number>;
}

export interface ComponentCheck {
  id: ComponentId;
  state: ComponentState;
  reasons: Reason[];
}

export interface StatusSnapshot {
  checkedAt: Date;
  components: ComponentCheck[];
  /** The job queue per task (empty when the database could not be asked). */
  queues: TaskQueue[];
  /** The database round trip in ms; null when unreachable. */
  databaseMs: number | null;
}

class CheckTimeout extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeout(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 300);

/** The OpenID discovery document of the configured issuer (for the built-in provider, its own under /idp). */
export function discoveryUrl(config: Services['config']): string {
  const issuer = config.oidc.issuer ?? builtInIssuer(config.publicUrl);
  return `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
}

async function checkLogin(services: Services, timeoutMs: number): Promise<Reason[]> {
  const url = discoveryUrl(services.config);
  const started = performance.now();
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
    const body = (await response.json().catch(() => null)) as { issuer?: unknown } | null;
    if (!response.ok || typeof body?.issuer !== 'string') {
      return [
        { code: 'login_unreachable', state: 'down', detail: `discovery answered ${response.status}`, params: {} },
      ];
    }
  } catch (error) {
    return [{ code: 'login_unreachable', state: 'down', detail: message(error), params: {} }];
  }
  const ms = Math.round(performance.now() - started);
  return ms > 2000 ? [{ code: 'login_slow', state: 'degraded', detail: null, params: { ms } }] : [];
}

function transportReasons(state: TransportState | undefined): Reason[] {
  if (!state || state.state === 'operational') return [];
  return [{ code: 'transport', state: state.state, detail: state.detail, params: {} }];
}

/**
 * One round of live checks of every component: the database (reachable and fast), the job queue's lag per task
 * family, the notification transports, the print backlog and the login provider. Never throws: a check that fails
 * or hangs makes its component degraded or down.
 */
export async function runStatusChecks(services: Services): Promise<StatusSnapshot> {
  const settings = statusConfigOf(services);
  const timeout = settings.checkTimeoutMs;
  const reasons = new Map<ComponentId, Reason[]>(componentIds.map((id) => [id, []]));
  const add = (id: ComponentId, found: Reason[]): void => {
    reasons.get(id)?.push(...found);
  };
  const everywhere = (reason: Reason) => {
    for (const id of componentIds) add(id, [reason]);
  };

  let databaseMs: number | null = null;
  try {
    databaseMs = Math.round(await withTimeout(pingDatabase(services.db), timeout));
  } catch (error) {
    everywhere({ code: 'database_unreachable', state: 'down', detail: message(error), params: {} });
  }
  if (databaseMs !== null && databaseMs > settings.databaseSlowMs) {
    everywhere({ code: 'database_slow', state: 'degraded', detail: null, params: { ms: databaseMs } });
  }

  // This process's job worker lost its runner (the database went away mid-job) and waits to start a new one.
  const restarting = [...processWorkers].filter((w) => w.state === 'restarting').length;
  if (restarting > 0) {
    const reason: Reason = { code: 'worker_restarting', state: 'degraded', detail: null, params: {} };
    for (const id of ['sending_api', 'email', 'sms', 'print'] as const) add(id, [reason]);
  }

  let queues: TaskQueue[] = [];
  const work: Promise<void>[] = [
    withTimeout(checkLogin(services, timeout), timeout + 500)
      .then((found) => add('login', found))
      .catch((error) =>
        add('login', [{ code: 'check_failed', state: 'degraded', detail: message(error), params: {} }]),
      ),
    withTimeout(checkNotificationTransports(services), timeout)
      .then((transports) => {
        add('email', transportReasons(transports.email));
        add('sms', transportReasons(transports.sms));
      })
      .catch((error) => {
        const failed: Reason = { code: 'check_failed', state: 'degraded', detail: message(error), params: {} };
        add('email', [failed]);
        add('sms', [failed]);
      }),
  ];
  if (databaseMs !== null) {
    work.push(
      withTimeout(jobQueueByTask(services.db), timeout)
        .then((found) => {
          queues = found;
          // Per component, the task whose oldest due job has waited longest.
          const lagging = new Map<ComponentId, TaskQueue>();
          for (const queue of found) {
            const id = componentOfTask(queue.task);
            if (!id || queue.lagSeconds < settings.queueLagDegradedSeconds) continue;
            const current = lagging.get(id);
            if (!current || queue.lagSeconds > current.lagSeconds) lagging.set(id, queue);
          }
          for (const [id, queue] of lagging) {
            const state = queue.lagSeconds >= settings.queueLagDownSeconds ? 'down' : 'degraded';
            const params = { task: queue.task, seconds: Math.round(queue.lagSeconds), jobs: queue.due };
            add(id, [{ code: 'queue_lag', state, detail: null, params }]);
          }
        })
        .catch((error) =>
          everywhere({ code: 'check_failed', state: 'degraded', detail: message(error), params: { check: 'queue' } }),
        ),
      withTimeout(printBacklog(services.db, settings.printQueuedMinutes, settings.printUnconfirmedHours), timeout)
        .then((backlog) => {
          if (backlog.overdueLetters > 0) {
            const params = { letters: backlog.overdueLetters, minutes: backlog.oldestQueuedMinutes };
            add('print', [{ code: 'print_queue_overdue', state: 'degraded', detail: null, params }]);
          }
          if (backlog.unconfirmedBatches > 0) {
            const params = { batches: backlog.unconfirmedBatches, hours: settings.printUnconfirmedHours };
            add('print', [{ code: 'print_batch_unconfirmed', state: 'degraded', detail: null, params }]);
          }
        })
        .catch((error) =>
          add('print', [{ code: 'check_failed', state: 'degraded', detail: message(error), params: {} }]),
        ),
    );
  }
  await Promise.all(work);

  return {
    checkedAt: new Date(),
    components: componentIds.map((id) => {
      const found = reasons.get(id) ?? [];
      return { id, state: worst(...found.map((r) => r.state)), reasons: found };
    }),
    queues,
    databaseMs,
  };
}

/**
 * Live checks shared by the status page, the status API and the metrics of one process: a round is reused for
 * `checkCacheSeconds`, and callers arriving while one runs wait for it instead of starting another.
 */
export class StatusChecker {
  private last: StatusSnapshot | null = null;
  private running: Promise<StatusSnapshot> | null = null;

  constructor(private readonly services: Services) {}

  async current(): Promise<StatusSnapshot> {
    const maxAgeMs = statusConfigOf(this.services).checkCacheSeconds * 1000;
    if (this.last && Date.now() - this.last.checkedAt.getTime() < maxAgeMs) return this.last;
    this.running ??= runStatusChecks(this.services)
      .then((snapshot) => {
        this.last = snapshot;
        return snapshot;
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }
}
