import { createHash } from 'node:crypto';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

// Return dates as JS Dates and bigints (counts, sizes) as strings; `date` columns stay plain strings.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);

/** Statements longer than this (multi-row inserts, long IN lists) are not kept prepared. */
const MAX_PREPARED_TEXT = 4_000;
/**
 * At most this many distinct statements are named (the application has a few hundred); later new ones run unnamed,
 * planned on each call as before. This bounds what each connection's backend holds.
 */
const MAX_PREPARED_STATEMENTS = 600;
const statementNames = new Map<string, string>();

/** The prepared-statement name for a query text, or undefined when it should run unnamed. */
export function statementName(text: string): string | undefined {
  const known = statementNames.get(text);
  if (known !== undefined) return known;
  if (text.length > MAX_PREPARED_TEXT || statementNames.size >= MAX_PREPARED_STATEMENTS) return undefined;
  const name = `k_${createHash('sha1').update(text).digest('base64url')}`;
  statementNames.set(text, name);
  return name;
}

/**
 * A named statement the server no longer runs as prepared: a schema change (another process's migration) changed
 * the columns a `select *` returns, or the statement is gone on the server.
 */
const isStalePreparedStatement = (error: { code?: string; message?: string }) =>
  error.code === '26000' ||
  (error.code === '0A000' && /cached plan must not change result type/.test(error.message ?? ''));

/**
 * Makes the client keep its parameterised query-builder statements prepared (named): PostgreSQL parses and plans
 * each statement once per connection instead of on every call, which is most of the database's work on the small
 * indexed queries of a page (session, listing, counts). Config-object queries (graphile-worker's own, cursors) and
 * queries without parameters pass through unchanged. After a stale statement (see above) fails, the connection
 * prepares every statement afresh under new names, so one failed call is all a live schema change costs it.
 */
function keepStatementsPrepared(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  let generation = 0;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const [text, values] = args;
    if (args.length === 2 && typeof text === 'string' && Array.isArray(values) && values.length > 0) {
      const base = statementName(text);
      if (base !== undefined) {
        const used = generation;
        const name = used === 0 ? base : `${base}_${used}`;
        const result = query({ name, text, values }) as Promise<unknown>;
        result.catch((error: { code?: string; message?: string }) => {
          if (used === generation && isStalePreparedStatement(error)) generation++;
        });
        return result;
      }
    }
    return query(...args);
  };
}

/** Opens a pool and a typed query builder on one PostgreSQL database. */
export function openDatabase(
  connectionString: string,
  max = 10,
  /** For a read replica: shorter waits, since the primary can answer instead (src/db/replica-router.ts). */
  options: { connectTimeoutMs?: number; queryTimeoutMs?: number; applicationName?: string; exitOnIdle?: boolean } = {},
): { db: Db; pool: pg.Pool } {
  // A database that hangs (rather than refusing) must not hold requests open for ever: a connection not made within
  // 10 s fails, which the problem handler turns into 503 database_unavailable like a refused one.
  const pool = new pg.Pool({
    connectionString,
    max,
    application_name: options.applicationName ?? 'kuvert',
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    ...(options.queryTimeoutMs ? { query_timeout: options.queryTimeoutMs } : {}),
    ...(options.exitOnIdle ? { allowExitOnIdle: true } : {}),
  });
  // An idle client that loses its connection (e.g. the server restarted) is replaced on next use; without these
  // handlers its error event would crash the process.
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    client.on('error', () => {});
    keepStatementsPrepared(client);
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, pool };
}
