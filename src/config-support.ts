/** Helpers for reading typed configuration from the environment (used by src/config.ts and module configs). */

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`Configuration error in ${variable}: ${message}`);
  }
}

export type Env = Record<string, string | undefined>;

export function intVar(env: Env, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `expected a whole number between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

export function urlVar(env: Env, name: string, fallback?: string): string | undefined {
  const raw = env[name] || fallback;
  if (raw === undefined) return undefined;
  try {
    const url = new URL(raw);
    if (!['http:', 'https:', 'postgres:', 'postgresql:'].includes(url.protocol)) throw new Error('protocol');
  } catch {
    throw new ConfigError(name, `expected an absolute URL, got "${raw}"`);
  }
  return raw.replace(/\/$/, '');
}

export function tokenVar(env: Env, name: string): string | undefined {
  const raw = env[name] || undefined;
  if (raw !== undefined && !/^[A-Za-z0-9._~+/=-]{32,256}$/.test(raw)) {
    throw new ConfigError(name, 'expected 32–256 characters of A–Z, a–z, 0–9 or ._~+/=-');
  }
  return raw;
}
