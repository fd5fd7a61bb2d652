import path from 'node:path';
import { ConfigError, type Env, intVar, tokenVar, urlVar } from './config-support.ts';
import { type DocumentsConfig, loadDocumentsConfig } from './documents/documents.config.ts';
import { loadRateLimitConfig, type RateLimitConfig } from './http/rate-limit.config.ts';
import { type BatchConfig, loadBatchConfig } from './modules/messages/batches/batches.config.ts';
import { loadRetentionConfig, type RetentionConfig } from './modules/messages/retention.config.ts';
import { loadNotifyConfig, type NotifyConfig } from './modules/notify/notify.config.ts';
import { loadRegistryConfig, type RegistryConfig } from './modules/registry/registry.config.ts';
import { loadStatisticsConfig, type StatisticsConfig } from './modules/statistics/statistics.config.ts';
import { loadStatusConfig, type StatusConfig } from './modules/status/status.config.ts';

export { ConfigError } from './config-support.ts';

/**
 * Typed configuration, read once from the environment and validated at start-up: the platform's settings and the
 * modules' sections, each from its module's `<module>.config.ts`. Named here rather than through the module list, so
 * that `Config`, which every module names, does not depend on the modules' code.
 */
export type Config = PlatformConfig & ModuleConfig;

/** The modules' config sections, in the order of the module list (src/modules/index.ts). */
export interface ModuleConfig {
  /** E-mail and SMS transports, quiet hours, coalescing (see src/modules/notify/notify.config.ts). */
  notify: NotifyConfig;
  /** Bulk batch limits and tuning (KUVERT_BATCH_*). */
  batches: BatchConfig;
  /** Letters' retention: the national maximum, owner deletions, purge batches (messages/retention.config.ts). */
  retention: RetentionConfig;
  /** Malware scanning (KUVERT_CLAMD_URL) and the orphan-file sweeper (see src/modules/messages/documents.config.ts). */
  documents: DocumentsConfig;
  /** The business register's retention of a ceased company's post (see src/modules/registry/registry.config.ts). */
  registry: RegistryConfig;
  /** Statistics and status settings (see src/modules/statistics/statistics.config.ts). */
  statistics: StatisticsConfig;
  /** Operational status checks and /metrics (see src/modules/status/status.config.ts). */
  status: StatusConfig;
}

/** The platform's settings. */
export interface PlatformConfig {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  publicUrl: string;
  /** Unset: Kuvert starts its own embedded PostgreSQL under dataDir. */
  databaseUrl: string | undefined;
  /**
   * DATABASE_REPLICA_URL: a streaming replica of DATABASE_URL for the reads that tolerate lag (statistics, open data,
   * status history, mailbox lists and search, the inbox API's list), each only once the replica has replayed what
   * the reader must see (src/db/replica-router.ts). Unset: every read goes to DATABASE_URL.
   */
  databaseReplicaUrl: string | undefined;
  dataDir: string;
  embeddedPgPort: number | undefined;
  logLevel: string;
  sessionSecret: string;
  oidc: {
    /** Unset: the built-in identity provider at `${publicUrl}/idp` is used. */
    issuer: string | undefined;
    clientId: string;
    clientSecret: string;
    redirectUrl: string;
    /** Scopes asked for at login. */
    scopes: string;
    /** The claim that carries the CPR number. */
    cprClaim: string;
    /** The claim that carries the CVR number of the business a MitID Erhverv login is for (OIDC_CVR_CLAIM). */
    cvrClaim: string;
    /**
     * The claim that carries the person's role or privileges in that business (OIDC_ROLE_CLAIM): a plain string, a
     * list of strings, or NemLog-in's base64 privilege list (see src/modules/identity/business-claims.ts).
     */
    roleClaim: string;
    /** The role or privilege value that makes the person the business's administrator (OIDC_ADMIN_ROLE). */
    adminRole: string;
  };
  demoApiKey: string | undefined;
  seedDemoData: boolean;
  runWorker: boolean;
  maxDocumentBytes: number;
  maxDocumentsPerMessage: number;
  /** The print provider's bearer token for the print-batch API; unset: that API answers 404. */
  printProviderToken: string | undefined;
  /** Rate limits per client address, API key and person (KUVERT_RATE_LIMIT*, see src/http/rate-limit.ts). */
  rateLimits: RateLimitConfig;
  /**
   * TLS_CLIENT_CERT_HEADER: the request header in which a trusted reverse proxy passes the client certificate it
   * verified (PEM, URL-encoded like nginx's $ssl_client_escaped_cert), lower-cased; unset (the default): off, and
   * machine clients with a registered certificate thumbprint cannot get tokens.
   */
  tlsClientCertHeader: string | undefined;
  /** Graceful shutdown of the HTTP server (src/http/drain.ts). */
  shutdown: {
    /** KUVERT_SHUTDOWN_DRAIN_MS: how long /readyz answers 503 while requests are still served, before closing. */
    drainMs: number;
    /** KUVERT_SHUTDOWN_TIMEOUT_MS: how long requests in flight may take once the server closes. */
    timeoutMs: number;
  };
}

/** Reads and validates configuration; throws ConfigError naming the bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const nodeEnv = env.NODE_ENV === 'production' ? 'production' : env.NODE_ENV === 'test' ? 'test' : 'development';
  const port = intVar(env, 'PORT', 3000, 0, 65535);
  const publicUrl = urlVar(env, 'PUBLIC_URL', `http://localhost:${port}`) as string;
  const databaseUrl = urlVar(env, 'DATABASE_URL');
  const databaseReplicaUrl = urlVar(env, 'DATABASE_REPLICA_URL');
  if (databaseReplicaUrl && !databaseUrl) {
    throw new ConfigError('DATABASE_REPLICA_URL', 'needs DATABASE_URL (the embedded database has no replica)');
  }
  const sessionSecret = env.KUVERT_SESSION_SECRET ?? '';
  if (nodeEnv === 'production' && sessionSecret.length < 32) {
    throw new ConfigError('KUVERT_SESSION_SECRET', 'required in production, at least 32 characters');
  }
  const issuer = urlVar(env, 'OIDC_ISSUER');
  if (nodeEnv === 'production' && !issuer) {
    throw new ConfigError(
      'OIDC_ISSUER',
      'required in production (the built-in identity provider is for demo use only)',
    );
  }
  if (issuer && !env.OIDC_CLIENT_SECRET) {
    throw new ConfigError('OIDC_CLIENT_SECRET', 'required when OIDC_ISSUER is set');
  }
  const demoApiKey = env.KUVERT_DEMO_API_KEY || undefined;
  if (demoApiKey !== undefined && !/^[A-Za-z0-9_-]{24,128}$/.test(demoApiKey)) {
    throw new ConfigError('KUVERT_DEMO_API_KEY', 'expected 24–128 characters of A–Z, a–z, 0–9, _ or -');
  }
  const maxDocumentBytes = intVar(env, 'KUVERT_MAX_DOCUMENT_BYTES', 10 * 1024 * 1024, 1024);
  const embeddedPort = env.KUVERT_EMBEDDED_PG_PORT ? intVar(env, 'KUVERT_EMBEDDED_PG_PORT', 0, 1, 65535) : undefined;
  const platform: PlatformConfig = {
    env: nodeEnv,
    port,
    host: env.HOST || '0.0.0.0',
    publicUrl,
    databaseUrl,
    databaseReplicaUrl,
    dataDir: path.resolve(env.KUVERT_DATA_DIR || 'kuvert-data'),
    embeddedPgPort: embeddedPort,
    logLevel: env.LOG_LEVEL || (nodeEnv === 'test' ? 'warn' : 'info'),
    sessionSecret: sessionSecret || 'kuvert-development-session-secret-not-for-production',
    oidc: {
      issuer,
      clientId: env.OIDC_CLIENT_ID || 'kuvert',
      clientSecret: env.OIDC_CLIENT_SECRET || 'kuvert-demo-client-secret',
      redirectUrl: urlVar(env, 'OIDC_REDIRECT_URL', `${publicUrl}/auth/callback`) as string,
      scopes: env.OIDC_SCOPES || 'openid profile',
      cprClaim: env.OIDC_CPR_CLAIM || 'https://data.gov.dk/model/core/eid/cprNumber',
      cvrClaim: env.OIDC_CVR_CLAIM || 'https://data.gov.dk/model/core/eid/professional/cvr',
      roleClaim: env.OIDC_ROLE_CLAIM || 'https://data.gov.dk/model/core/eid/privilegesIntermediate',
      adminRole: env.OIDC_ADMIN_ROLE || 'urn:dk:kuvert:privilege:administrator',
    },
    demoApiKey,
    seedDemoData: nodeEnv !== 'production' && env.KUVERT_SEED !== 'false',
    runWorker: env.KUVERT_WORKER !== 'false',
    maxDocumentBytes,
    maxDocumentsPerMessage: intVar(env, 'KUVERT_MAX_DOCUMENTS', 20, 1, 1000),
    printProviderToken: tokenVar(env, 'KUVERT_PRINT_PROVIDER_TOKEN'),
    rateLimits: loadRateLimitConfig(env),
    tlsClientCertHeader: tlsHeaderVar(env),
    shutdown: {
      // Behind a load balancer (production) the health check needs time to take the node out; a single process at a
      // terminal or in a test has nobody to wait for.
      drainMs: intVar(env, 'KUVERT_SHUTDOWN_DRAIN_MS', nodeEnv === 'production' ? 5000 : 0, 0, 600_000),
      timeoutMs: intVar(env, 'KUVERT_SHUTDOWN_TIMEOUT_MS', 20_000, 0, 600_000),
    },
  };
  const modules: ModuleConfig = {
    notify: loadNotifyConfig(env, nodeEnv),
    batches: loadBatchConfig(maxDocumentBytes, env),
    documents: loadDocumentsConfig(env),
    retention: loadRetentionConfig(env),
    registry: loadRegistryConfig(env),
    statistics: loadStatisticsConfig(env, nodeEnv),
    status: loadStatusConfig(env, nodeEnv),
  };
  return { ...platform, ...modules };
}

function tlsHeaderVar(env: Env): string | undefined {
  const value = env.TLS_CLIENT_CERT_HEADER?.trim();
  if (!value) return undefined;
  if (!/^[A-Za-z0-9-]{1,100}$/.test(value)) throw new ConfigError('TLS_CLIENT_CERT_HEADER', 'expected a header name');
  return value.toLowerCase();
}
