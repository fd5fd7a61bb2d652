import { ConfigError, type Env, intVar } from '../config-support.ts';

/** Document settings: where the bytes live, the malware scanner and the orphan sweeper (read once at start-up). */
export interface DocumentsConfig {
  /**
   * Where document bytes are stored (KUVERT_DOCUMENT_STORE): 'file', a folder under KUVERT_DATA_DIR (one machine, or a
   * shared file system), or 'postgres', chunks in the database (every node reads them; backed up with the letters).
   */
  store: 'file' | 'postgres';
  /** clamd to scan every document with (KUVERT_CLAMD_URL=tcp://host:3310); unset: no scanning. */
  clamd: { host: string; port: number } | undefined;
  /** How long one scan may take before clamd counts as unreachable (KUVERT_CLAMD_TIMEOUT_MS). */
  clamdTimeoutMs: number;
  /** A stored file no database row names is removed once it is this old (KUVERT_ORPHAN_GRACE_HOURS). */
  orphanGraceHours: number;
}

export function loadDocumentsConfig(env: Env): DocumentsConfig {
  return {
    store: storeVar(env, 'KUVERT_DOCUMENT_STORE'),
    clamd: clamdVar(env, 'KUVERT_CLAMD_URL'),
    clamdTimeoutMs: intVar(env, 'KUVERT_CLAMD_TIMEOUT_MS', 30_000, 100, 600_000),
    // At least an hour: a writer stores a file before its transaction commits, and a batch before its chunk does.
    orphanGraceHours: intVar(env, 'KUVERT_ORPHAN_GRACE_HOURS', 24, 1, 24 * 365),
  };
}

function storeVar(env: Env, name: string): DocumentsConfig['store'] {
  const raw = env[name]?.trim() || 'file';
  if (raw !== 'file' && raw !== 'postgres') throw new ConfigError(name, `expected file or postgres, got "${raw}"`);
  return raw;
}

function clamdVar(env: Env, name: string): DocumentsConfig['clamd'] {
  const raw = env[name];
  if (!raw) return undefined;
  const match = /^tcp:\/\/(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})\/?$/.exec(raw);
  const port = Number(match?.[2]);
  if (!match || port < 1 || port > 65535) throw new ConfigError(name, `expected tcp://host:port, got "${raw}"`);
  return { host: (match[1] as string).replace(/^\[|\]$/g, ''), port };
}
