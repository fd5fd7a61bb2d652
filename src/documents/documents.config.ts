import { ConfigError, type Env, intVar } from '../config-support.ts';

/** Document safety settings: the malware scanner and the orphan-file sweeper (read once at start-up). */
export interface DocumentsConfig {
  /** clamd to scan every document with (KUVERT_CLAMD_URL=tcp://host:3310); unset: no scanning. */
  clamd: { host: string; port: number } | undefined;
  /** How long one scan may take before clamd counts as unreachable (KUVERT_CLAMD_TIMEOUT_MS). */
  clamdTimeoutMs: number;
  /** A stored file no database row names is removed once it is this old (KUVERT_ORPHAN_GRACE_HOURS). */
  orphanGraceHours: number;
}

export function loadDocumentsConfig(env: Env): DocumentsConfig {
  return {
    clamd: clamdVar(env, 'KUVERT_CLAMD_URL'),
    clamdTimeoutMs: intVar(env, 'KUVERT_CLAMD_TIMEOUT_MS', 30_000, 100, 600_000),
    // At least an hour: a writer stores a file before its transaction commits, and a batch before its chunk does.
    orphanGraceHours: intVar(env, 'KUVERT_ORPHAN_GRACE_HOURS', 24, 1, 24 * 365),
  };
}

function clamdVar(env: Env, name: string): DocumentsConfig['clamd'] {
  const raw = env[name];
  if (!raw) return undefined;
  const match = /^tcp:\/\/(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})\/?$/.exec(raw);
  const port = Number(match?.[2]);
  if (!match || port < 1 || port > 65535) throw new ConfigError(name, `expected tcp://host:port, got "${raw}"`);
  return { host: (match[1] as string).replace(/^\[|\]$/g, ''), port };
}
