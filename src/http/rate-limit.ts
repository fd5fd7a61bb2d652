import rateLimit, { type FastifyRateLimitStore, type FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError } from './problem.ts';
import type { LimitClass, RateLimitConfig } from './rate-limit.config.ts';

/** The limits, for route hooks and use cases (e.g. the API key check). */
export interface RateLimits {
  /** Counts one hit of `key` in the class; throws 429 rate_limited (with Retry-After) once past the limit. */
  hit(cls: LimitClass, key: string, request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** Throws 429 rate_limited if `key` has used up the class's limit, without counting a hit. */
  check(cls: LimitClass, key: string, request: FastifyRequest, reply: FastifyReply): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    rateLimits: RateLimits;
  }
}

/** Routes limited by the route itself (before its handler), with what makes a request's key. */
interface RouteRule {
  cls: LimitClass;
  method: string;
  url: string;
  key: (request: FastifyRequest) => string;
  /** Absent in some configurations (the persona picker exists only with the built-in identity provider). */
  optional?: boolean;
}

const byAddress = (request: FastifyRequest) =>
  `${request.routeOptions.method} ${request.routeOptions.url} ${request.ip}`;
// The writer, not the session: logging in again does not start a new window. Without a session the route refuses.
const byPerson = (request: FastifyRequest) => (request.actor ? `person ${request.actor.subject}` : `ip ${request.ip}`);

function routeRules(callbackPath: string, pickerPath: string): RouteRule[] {
  return [
    { cls: 'login', method: 'GET', url: '/login', key: byAddress },
    { cls: 'login', method: 'GET', url: callbackPath, key: byAddress },
    { cls: 'login', method: 'GET', url: `${pickerPath}/:uid`, key: byAddress, optional: true },
    { cls: 'login', method: 'POST', url: `${pickerPath}/:uid`, key: byAddress, optional: true },
    { cls: 'citizenWrites', method: 'POST', url: '/post/skriv/:id', key: byPerson },
    { cls: 'citizenWrites', method: 'POST', url: '/post/:id/svar', key: byPerson },
    { cls: 'citizenWrites', method: 'POST', url: '/post/:id/videresend', key: byPerson },
    { cls: 'proofVerify', method: 'POST', url: '/bevis', key: byAddress },
  ];
}

/**
 * Registers @fastify/rate-limit (no global limit) with the configured store, decorates the app with `rateLimits`,
 * and hooks the limited routes of `routeRules` as they are registered. Call before the modules' plugins. A rule
 * that matches no route stops start-up, so renaming a route cannot silently drop its limit.
 */
export async function installRateLimits(
  app: FastifyInstance,
  options: { config: RateLimitConfig; db: Db; callbackPath: string; pickerPath: string },
): Promise<void> {
  const { config } = options;
  if (!config.enabled) {
    app.decorate('rateLimits', { hit: async () => {}, check: async () => {} } satisfies RateLimits);
    return;
  }
  await app.register(rateLimit, {
    global: false,
    ...(config.store === 'postgres' ? { store: postgresStore(options.db) } : {}),
  });
  const keys = new WeakMap<FastifyRequest, string>();
  const limiters = Object.fromEntries(
    Object.entries(config.limits).map(([cls, limit]) => [
      cls,
      app.createRateLimit({
        max: limit.max,
        timeWindow: limit.windowMs,
        keyGenerator: (request) => `${cls}:${keys.get(request)}`,
      }),
    ]),
  ) as Record<LimitClass, ReturnType<FastifyInstance['createRateLimit']>>;

  const run = async (
    cls: LimitClass,
    key: string,
    request: FastifyRequest,
    reply: FastifyReply,
    increment: boolean,
  ): Promise<void> => {
    keys.set(request, key);
    const result = await limiters[cls](request, { increment });
    if (result.isAllowed) return;
    // Counting, the hit past the limit is refused; only looking, a key that has used its limit is.
    if (increment ? !result.isExceeded : result.remaining > 0) return;
    const seconds = Math.max(1, result.ttlInSeconds);
    reply.header('retry-after', String(seconds));
    throw new AppError(429, 'rate_limited', `Too many requests; try again in ${seconds} seconds.`, undefined, {
      retryAfterSeconds: seconds,
    });
  };
  const limits: RateLimits = {
    hit: (cls, key, request, reply) => run(cls, key, request, reply, true),
    check: (cls, key, request, reply) => run(cls, key, request, reply, false),
  };
  app.decorate('rateLimits', limits);

  const rules = routeRules(options.callbackPath, options.pickerPath);
  const matched = new Set<RouteRule>();
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const rule = rules.find((r) => r.url === route.url && methods.includes(r.method));
    if (!rule) return;
    matched.add(rule);
    const hook: onRequestHookHandler = (request, reply) => limits.hit(rule.cls, rule.key(request), request, reply);
    const existing = route.onRequest ?? [];
    route.onRequest = [...(Array.isArray(existing) ? existing : [existing]), hook];
  });
  app.addHook('onReady', async () => {
    const missing = rules.filter((rule) => !rule.optional && !matched.has(rule));
    if (missing.length > 0) {
      throw new Error(`Rate-limited routes not found: ${missing.map((r) => `${r.method} ${r.url}`).join(', ')}`);
    }
  });
}

/** Deletes windows that ended this long ago, at most once a minute per process, piggybacked on a hit. */
const SWEEP_EVERY_MS = 60_000;

/**
 * The plugin's store on PostgreSQL, so that every node behind a load balancer counts against one limit: one
 * upsert per hit (a fixed window that starts again once `reset_at` has passed), and ended windows swept now and
 * then. Keys already carry their class, so every route's child is the same store.
 */
export function postgresStore(db: Db): FastifyRateLimitStoreCtor {
  let lastSweep = 0;
  const sweep = async () => {
    if (Date.now() - lastSweep < SWEEP_EVERY_MS) return;
    lastSweep = Date.now();
    await sql`delete from rate_limit_hit where reset_at < now() - interval '1 minute'`.execute(db);
  };
  class PostgresStore implements FastifyRateLimitStore {
    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      windowMs: number,
    ) {
      sweep()
        .then(() =>
          sql<{ count: number; ttl: number }>`
            insert into rate_limit_hit as h (key, count, reset_at)
            values (${key}, 1, now() + make_interval(secs => ${windowMs / 1000}))
            on conflict (key) do update set
              count = case when h.reset_at <= now() then 1 else h.count + 1 end,
              reset_at = case when h.reset_at <= now() then excluded.reset_at else h.reset_at end
            returning count, ceil(extract(epoch from reset_at - now()) * 1000)::integer as ttl`.execute(db),
        )
        .then(({ rows }) => callback(null, { current: rows[0]?.count ?? 1, ttl: rows[0]?.ttl ?? windowMs }))
        .catch((error: Error) => callback(error));
    }

    read(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void) {
      sql<{ count: number; ttl: number }>`
        select count, ceil(extract(epoch from reset_at - now()) * 1000)::integer as ttl
        from rate_limit_hit where key = ${key} and reset_at > now()`
        .execute(db)
        .then(({ rows }) => callback(null, { current: rows[0]?.count ?? 0, ttl: rows[0]?.ttl ?? 0 }))
        .catch((error: Error) => callback(error));
    }

    child(): FastifyRateLimitStore {
      return this;
    }
  }
  return PostgresStore;
}
