import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { AppError } from '../../http/problem.ts';
import { processWorkers, workerRestarts } from '../../jobs/process-workers.ts';
import type { Services } from '../../services.ts';
import { componentStates } from './components.ts';
import type { StatusChecker } from './run-status-checks.ts';
import { type DeliveryCount, deliveryCounts } from './status-checks.repository.ts';
import { statusConfigOf } from './status-config-of.ts';

/** Delivery counts are whole-table counts: asked at most this often, however often Prometheus scrapes. */
const DELIVERY_CACHE_MS = 30_000;

const sameSecret = (a: string, b: string) =>
  timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());

/**
 * Prometheus metrics of one process: HTTP request counts and latencies by route and status (counted here, since
 * the process started), and — read from the database at scrape time, so they survive restarts and agree across
 * processes — job-queue depths and lag, component states, and deliveries per channel.
 */
export function createMetrics(services: Services, checker: StatusChecker) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({
    name: 'kuvert_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code.',
    labelNames,
    registers,
  });
  const duration = new Histogram({
    name: 'kuvert_http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by method, route pattern and status code.',
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });

  let deliveries: { at: number; rows: Promise<DeliveryCount[]> } | null = null;
  const currentDeliveries = () => {
    if (!deliveries || Date.now() - deliveries.at > DELIVERY_CACHE_MS) {
      const rows = deliveryCounts(services.db);
      deliveries = { at: Date.now(), rows };
      // A failed count is not kept: the next scrape asks again.
      rows.catch(() => {
        deliveries = null;
      });
    }
    return deliveries.rows;
  };

  new Gauge({
    name: 'kuvert_job_queue_jobs',
    help: 'Jobs in the graphile-worker queue by task and state (due, scheduled, running, failed).',
    labelNames: ['task', 'state'] as const,
    registers,
    async collect() {
      this.reset();
      for (const q of (await checker.current()).queues) {
        this.set({ task: q.task, state: 'due' }, q.due);
        this.set({ task: q.task, state: 'scheduled' }, q.scheduled);
        this.set({ task: q.task, state: 'running' }, q.running);
        this.set({ task: q.task, state: 'failed' }, q.failed);
      }
    },
  });
  new Gauge({
    name: 'kuvert_job_queue_lag_seconds',
    help: 'Age of the oldest due job not yet taken by a worker, by task (0: none waiting).',
    labelNames: ['task'] as const,
    registers,
    async collect() {
      this.reset();
      for (const q of (await checker.current()).queues) this.set({ task: q.task }, q.lagSeconds);
    },
  });
  new Gauge({
    name: 'kuvert_component_state',
    help: 'The live state of each component on the status page: 1 for its current state, 0 for the others.',
    labelNames: ['component', 'state'] as const,
    registers,
    async collect() {
      this.reset();
      for (const c of (await checker.current()).components) {
        for (const state of componentStates) this.set({ component: c.id, state }, c.state === state ? 1 : 0);
      }
    },
  });
  new Gauge({
    name: 'kuvert_database_up',
    help: '1 when the database answered the last status check, else 0.',
    registers,
    async collect() {
      this.set((await checker.current()).databaseMs === null ? 0 : 1);
    },
  });
  if (services.reads.enabled) {
    new Gauge({
      name: 'kuvert_replica_lag_seconds',
      help: 'Seconds since the last transaction the replica (DATABASE_REPLICA_URL) replayed committed; -1: unknown.',
      registers,
      collect() {
        this.set(services.reads.stats().lagSeconds ?? -1);
      },
    });
    new Counter({
      name: 'kuvert_replica_reads_total',
      help: "This process's lag-tolerant reads by where they went (replica, primary) and replica reads the primary redid.",
      labelNames: ['target'] as const,
      registers,
      collect() {
        const stats = services.reads.stats();
        this.reset();
        this.inc({ target: 'replica' }, stats.replicaReads);
        this.inc({ target: 'primary' }, stats.primaryReads);
        this.inc({ target: 'fallback' }, stats.fallbacks);
      },
    });
  }
  new Gauge({
    name: 'kuvert_job_workers',
    help: "This process's job workers by state: running, or restarting after their runner died (e.g. a database outage).",
    labelNames: ['state'] as const,
    registers,
    collect() {
      this.reset();
      for (const state of ['running', 'restarting'] as const) {
        this.set({ state }, [...processWorkers].filter((w) => w.state === state).length);
      }
    },
  });
  new Counter({
    name: 'kuvert_job_worker_restarts_total',
    help: "Times this process's job workers started a new runner after theirs died.",
    registers,
    collect() {
      this.reset();
      this.inc(workerRestarts.total);
    },
  });
  new Gauge({
    name: 'kuvert_deliveries',
    help:
      'Letters and notifications by channel and state, counted in the database: mailbox (letters by status), ' +
      'print (print letters by state), email, sms and nemsms (notifications by state).',
    labelNames: ['channel', 'state'] as const,
    registers,
    async collect() {
      this.reset();
      const rows = await currentDeliveries().catch(() => []);
      for (const row of rows) this.set({ channel: row.channel, state: row.state }, row.count);
    },
  });

  /** Counts one answered request (an onResponse hook). */
  function observe(request: FastifyRequest, reply: FastifyReply) {
    const labels = {
      method: request.method,
      // The route pattern, never the raw URL: ids stay out and the number of series stays small.
      route: request.routeOptions.url ?? 'unmatched',
      status: String(reply.statusCode),
    };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
  }

  return { registry, observe };
}

/**
 * GET /metrics in Prometheus text format. With KUVERT_METRICS_TOKEN set it needs `Authorization: Bearer <token>`;
 * without it, it is open outside production and absent (404) in production.
 */
export function registerMetricsRoute(app: FastifyInstance, services: Services, registry: Registry) {
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    const token = statusConfigOf(services).metricsToken;
    if (!token && services.config.env === 'production') {
      throw new AppError(404, 'not_found', 'There is nothing at this address.');
    }
    if (token) {
      const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
      if (!match || !sameSecret(match[1] as string, token)) {
        return reply
          .status(401)
          .header('www-authenticate', 'Bearer realm="metrics"')
          .type('text/plain; charset=utf-8')
          .send('Send the metrics token as "Authorization: Bearer <token>".\n');
      }
    }
    const body = await registry.metrics();
    return reply.header('cache-control', 'no-store').type(registry.contentType).send(body);
  });
}
