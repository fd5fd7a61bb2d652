/**
 * Error codes that mean "PostgreSQL cannot be reached right now", not "this statement is wrong": socket errors of
 * the connection, and the SQLSTATE codes of a server that is shutting down, starting or has dropped the connection.
 */
const socketCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const sqlStates = new Set([
  '57P01', // admin_shutdown (the server is stopping, or its postmaster died)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, recovering)
  '53300', // too_many_connections
]);
/** Messages of node-postgres and pg-pool for a connection that died or could not be made in time. */
const messages = [
  /^Connection terminated/,
  /timeout exceeded when trying to connect/,
  /Client has encountered a connection error and is not queryable/,
  /^Client was closed and is not queryable/,
  /the database system is (starting up|shutting down|in recovery mode)/,
  /terminating connection due to (unexpected postmaster exit|administrator command)/,
];

/**
 * Whether an error says the database is unreachable for now (and a retry later may succeed): connection refused
 * or reset, a connection exception (SQLSTATE class 08), the server shutting down or starting, a pool connect
 * timeout. Looks into the errors of an AggregateError (a connect to several addresses), not into `cause`: a failed
 * `fetch` to some other service carries ECONNREFUSED there too, and that is not the database.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  const { code, message, errors } = error as { code?: unknown; message?: unknown; errors?: unknown };
  if (typeof code === 'string' && (socketCodes.has(code) || sqlStates.has(code) || /^08[0-9A-Z]{3}$/.test(code))) {
    return true;
  }
  if (typeof message === 'string' && messages.some((pattern) => pattern.test(message))) return true;
  return Array.isArray(errors) && errors.some((inner) => isDatabaseUnavailable(inner, depth + 1));
}

/**
 * Runs `work` again while it fails only because the database is unreachable, with backoff, for at most `withinMs`;
 * then (or at any other error) the error is thrown. For a write that must not be lost once the world has changed,
 * e.g. recording that notifications were handed to the provider: retrying the send would send them twice.
 */
export async function retryWhileDatabaseUnavailable<T>(
  work: () => Promise<T>,
  options: { withinMs: number; onRetry?: (error: unknown) => void },
): Promise<T> {
  const deadline = Date.now() + options.withinMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const delay = Math.min(5000, 250 * 2 ** attempt);
      if (!isDatabaseUnavailable(error) || Date.now() + delay > deadline) throw error;
      options.onRetry?.(error);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
