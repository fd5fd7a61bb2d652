import { ConfigError, type Env } from '../config-support.ts';

/** At most `max` hits per `windowMs` (a fixed window, started by the first hit). */
export interface Limit {
  max: number;
  windowMs: number;
}

/** What is limited, and what counts: see docs/ARCHITECTURE.md "Rate limits". */
export type LimitClass = 'login' | 'api' | 'apiKeyFailures' | 'citizenWrites' | 'oauthToken' | 'proofVerify';

export interface RateLimitConfig {
  /** KUVERT_RATE_LIMIT: `false` turns every limit off (default on). */
  enabled: boolean;
  /** KUVERT_RATE_LIMIT_STORE: `memory` (per process, the default) or `postgres` (shared by all nodes). */
  store: 'memory' | 'postgres';
  limits: Record<LimitClass, Limit>;
}

const classVars: Record<LimitClass, [variable: string, fallback: string]> = {
  // Per client address; each step of a login (start, persona picker shown and chosen, callback) counts on its own.
  login: ['KUVERT_RATE_LIMIT_LOGIN', '60/min'],
  // Per API key or machine client (a sender's or a business's system), for every call of the API.
  api: ['KUVERT_RATE_LIMIT_API', '6000/min'],
  // Per client address, counting only API keys that were refused.
  apiKeyFailures: ['KUVERT_RATE_LIMIT_API_KEY_FAILURES', '30/min'],
  // Per person: messages to authorities and replies (with their attachments) sent from the mailbox.
  citizenWrites: ['KUVERT_RATE_LIMIT_CITIZEN_WRITES', '30/hour'],
  // Per client address: every request to the OAuth token endpoint (POST /oauth/token), granted or refused.
  oauthToken: ['KUVERT_RATE_LIMIT_OAUTH_TOKEN', '60/min'],
  // Per client address: proofs checked on the public verification page (POST /bevis, no login).
  proofVerify: ['KUVERT_RATE_LIMIT_PROOF_VERIFY', '30/min'],
};

const UNITS: Record<string, number> = { s: 1000, min: 60_000, h: 3_600_000, hour: 3_600_000, day: 86_400_000 };

/** Parses `20/min`, `6000/min`, `30/10min`, `100/hour`, `5/s`, `1000/day`. */
export function parseLimit(variable: string, raw: string): Limit {
  const match = /^\s*(\d{1,9})\s*\/\s*(\d{1,6})?\s*(s|min|h|hour|day)\s*$/.exec(raw);
  const max = Number(match?.[1]);
  const count = Number(match?.[2] ?? 1);
  if (!match || max < 1 || count < 1) {
    throw new ConfigError(variable, `expected a limit like 20/min, 30/10min, 100/hour or 5/s, got "${raw}"`);
  }
  return { max, windowMs: count * (UNITS[match[3] as string] as number) };
}

/** Reads the KUVERT_RATE_LIMIT* variables. */
export function loadRateLimitConfig(env: Env = process.env): RateLimitConfig {
  const enabled = env.KUVERT_RATE_LIMIT ?? 'true';
  if (enabled !== 'true' && enabled !== 'false') throw new ConfigError('KUVERT_RATE_LIMIT', 'expected true or false');
  const store = env.KUVERT_RATE_LIMIT_STORE || 'memory';
  if (store !== 'memory' && store !== 'postgres') {
    throw new ConfigError('KUVERT_RATE_LIMIT_STORE', `expected memory or postgres, got "${store}"`);
  }
  const limits = {} as Record<LimitClass, Limit>;
  for (const [cls, [variable, fallback]] of Object.entries(classVars)) {
    limits[cls as LimitClass] = parseLimit(variable, env[variable] || fallback);
  }
  return { enabled: enabled === 'true', store, limits };
}
