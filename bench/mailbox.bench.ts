/**
 * Mailbox read path under load (issue 5, item 8): a real Kuvert server process (`bin/kuvert.js server`, production
 * settings) on a generated database of R people and M letters, driven by C concurrent logged-in sessions (undici,
 * closed loop) in this process. Phases: /healthz without and with a session cookie (framework and session-lookup
 * baselines), the inbox (first page), a message page (opens one of the session's letters: audited), and search.
 * Then EXPLAIN ANALYZE of the SQL those pages run, captured from the app's own repository functions.
 *
 * Data generation is part of the benchmark (bench/support/mailbox-data.ts): deterministic, inside PostgreSQL, into
 * its own database, kept between runs (a marker records what it holds; --regenerate yes rebuilds it).
 *
 * Options (defaults): --recipients 1000000 --messages 20000000 --senders 40 --database kuvert_bench_mailbox
 *   --regenerate no --chunk 500000 --parallel 2 (generating statements at once) --concurrency 64 --duration 20 (seconds per phase) --warmup 10
 *   --phases healthz,session,inbox,message,search --search-path '/post/soeg?q=%s' --log-level info
 *   --kuvert-dir . (run the server from another checkout, e.g. a patched copy, for experiments)
 *   --generate-only yes (stop after the data is ready)
 *   --server-node-args '--cpu-prof --cpu-prof-dir=/tmp/prof' (node flags for the server, e.g. to profile it)
 *   --server-processes 1 (several server processes on their own ports, sessions spread over them as a load
 *     balancer would: server CPU is their sum; on more cores, this is how the read path scales out)
 */
import os from 'node:os';
import path from 'node:path';
import { type CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { type Db, openDatabase } from '../src/db/database.ts';
import type { Database } from '../src/db/schema.ts';
import { FileDocumentStore, sha256Hex } from '../src/documents/document-store.ts';
import { findSession } from '../src/modules/identity/session.repository.ts';
import { createSession } from '../src/modules/identity/session.ts';
import * as letterRepository from '../src/modules/mailbox/letter.repository.ts';
import * as listingRepository from '../src/modules/mailbox/mailbox-listing.repository.ts';
import * as searchRepository from '../src/modules/mailbox/search.repository.ts';
import { type PhaseResult, processRssMiB, runPhase } from './support/load.ts';
import { BENCH_PDF, BENCH_TEXT, databaseUrl, ensureMailboxData } from './support/mailbox-data.ts';
import { startKuvertServer } from './support/server.ts';

const SEARCH_TERMS = ['boligstøtte', 'årsopgørelse', 'pension', 'Skattestyrelsen', 'indkaldelse', 'vaccination'];

interface BenchSession {
  recipientNo: number;
  recipientId: string;
  heavy: boolean;
  cookie: string;
  sessionIdHash: string;
  messageIds: string[];
}

const flag = (value: string | undefined) => value !== undefined && !['no', 'false', '0'].includes(value);

export async function run(options: Record<string, string>) {
  const recipients = Number(options.recipients ?? 1_000_000);
  const messages = Number(options.messages ?? 20_000_000);
  const senders = Number(options.senders ?? 40);
  const database = options.database ?? 'kuvert_bench_mailbox';
  const concurrency = Number(options.concurrency ?? 64);
  const serverProcesses = Math.max(1, Number(options['server-processes'] ?? 1));
  const durationMs = Number(options.duration ?? 20) * 1000;
  const warmupMs = Number(options.warmup ?? 10) * 1000;
  const phases = (options.phases ?? 'healthz,session,inbox,message,search').split(',');
  const searchPath = options['search-path'] ?? '/post/soeg?q=%s';
  const kuvertDir = path.resolve(options['kuvert-dir'] ?? '.');
  const log = (line: string) => console.error(`[mailbox bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

  const data = await ensureMailboxData(
    database,
    {
      recipients,
      messages,
      senders,
      regenerate: flag(options.regenerate),
      chunk: Number(options.chunk ?? 500_000),
      parallel: Number(options.parallel ?? 2),
    },
    log,
  );
  log(`data ${data.action}: ${JSON.stringify(data.marker)}`);
  if (flag(options['generate-only'])) return { data };

  const url = databaseUrl(database);
  const { db } = openDatabase(url, 4);
  const dataDir = path.join(os.tmpdir(), `kuvert-bench-mailbox-${database}`);
  const store = new FileDocumentStore(path.join(dataDir, 'documents'));
  await store.put(BENCH_PDF);
  await store.put(BENCH_TEXT);

  const sessions = await createBenchSessions(db, concurrency, recipients);
  const marks = await sql<{ audit: string; event: string }>`
    select coalesce((select max(id) from audit_event), 0) as audit,
           coalesce((select max(id) from message_event), 0) as event`.execute(db);
  const readBefore = await db
    .selectFrom('message')
    .select(['id', 'first_read_at'])
    .where(
      'id',
      'in',
      sessions.flatMap((s) => s.messageIds),
    )
    .execute();
  // Opening a letter clears the owner's own unread mark (mailbox_item): remember those marks too.
  const hasItems = (await sql<{ ok: boolean }>`select to_regclass('mailbox_item') is not null as ok`.execute(db))
    .rows[0]?.ok;
  const itemsBefore = hasItems
    ? (
        await sql<{ message_id: string; unread: boolean | null; updated_at: Date }>`
          select message_id, unread, updated_at from mailbox_item
          where message_id = any(${sessions.flatMap((s) => s.messageIds)}::uuid[])`.execute(db)
      ).rows
    : [];
  const tableSizes = await sql<{ table: string; rows: string; size: string }>`
    select c.relname as table, c.reltuples::bigint::text as rows,
           pg_size_pretty(pg_total_relation_size(c.oid)) as size
    from pg_class c where c.relname in ('message', 'message_document', 'recipient', 'audit_event', 'web_session')
    order by pg_total_relation_size(c.oid) desc`.execute(db);

  // Several processes model several servers behind a load balancer (sessions are spread over them); on this
  // machine's two cores they share the cores with PostgreSQL and the load generator.
  const started = await Promise.allSettled(
    Array.from({ length: serverProcesses }, (_, i) =>
      startKuvertServer({
        kuvertDir,
        databaseUrl: url,
        dataDir,
        logLevel: options['log-level'] ?? 'info',
        // e.g. --server-node-args "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the request path.
        nodeArgs: (options['server-node-args'] ?? '').split(' ').filter(Boolean),
        logName: serverProcesses === 1 ? 'server.log' : `server-${i + 1}.log`,
      }),
    ),
  );
  const servers = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = started.find((r) => r.status === 'rejected');
  if (failed) {
    // Stop the ones that did start, so no server outlives the benchmark.
    await Promise.all(servers.map((s) => s.stop()));
    throw failed.reason;
  }
  const server = servers[0] as (typeof servers)[number];
  for (const s of servers) log(`server pid ${s.pid} at ${s.url} (${kuvertDir}); log ${s.logFile}`);
  const serverMode = server.mode;
  const results: PhaseResult[] = [];
  const checks: Record<string, string> = {};
  let rssIdle: number | null = null;
  try {
    rssIdle = Math.max(0, ...servers.map((s) => processRssMiB(s.pid) ?? 0));
    const first = sessions[0] as BenchSession;
    checks.inbox = await check(
      server.url,
      '/post',
      first.cookie,
      (text) => (text.match(/\/post\/[0-9a-f-]{36}/g) ?? []).length >= 20,
    );
    checks.message = await check(server.url, `/post/${first.messageIds[0]}`, first.cookie, (text) =>
      text.includes('brev.pdf'),
    );
    const searchUrl = (term: string) => searchPath.replace('%s', encodeURIComponent(term));
    checks.search = await check(server.url, searchUrl('boligstøtte'), first.cookie, (text) =>
      text.includes('boligstøtte'),
    );
    log(`pre-flight: ${JSON.stringify(checks)}`);

    const lockWaits = async () => {
      const r = await sql<{ n: string }>`
        select count(*) as n from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock' and wait_event = 'advisory'`.execute(db);
      return Number(r.rows[0]?.n ?? 0);
    };
    const activeBackends = async () => {
      const r = await sql<{ n: string }>`
        select count(*) as n from pg_stat_activity
        where datname = current_database() and application_name = 'kuvert' and state <> 'idle'`.execute(db);
      return Number(r.rows[0]?.n ?? 0);
    };
    const probes = { advisoryLockWaiters: lockWaits, activeServerBackends: activeBackends };
    // Approximate (statistics arrive up to a second late): database work per request.
    const counters = async () => {
      const r = await sql<{ xacts: string; fetched: string; hit: string; read: string }>`
        select xact_commit + xact_rollback as xacts, tup_fetched as fetched, blks_hit as hit, blks_read as read
        from pg_stat_database where datname = current_database()`.execute(db);
      const row = r.rows[0];
      return {
        transactions: Number(row?.xacts ?? 0),
        tuplesFetched: Number(row?.fetched ?? 0),
        buffersHit: Number(row?.hit ?? 0),
        buffersRead: Number(row?.read ?? 0),
      };
    };
    const noCookie = sessions.map(() => ({ cookie: '' }));
    const common = {
      origin: servers.map((s) => s.url),
      serverPid: servers.map((s) => s.pid),
      probes,
      counters,
    };
    const inboxPath = () => '/post';
    const messagePath = (w: number, n: number) => {
      const ids = (sessions[w] as BenchSession).messageIds;
      return `/post/${ids[(n * 7 + w) % ids.length]}`;
    };
    const searchPathOf = (w: number, n: number) => searchUrl(SEARCH_TERMS[(n + w) % SEARCH_TERMS.length] as string);

    if (warmupMs > 0) {
      log(`warm-up ${warmupMs / 1000} s`);
      await runPhase({
        ...common,
        name: 'warm-up',
        sessions,
        durationMs: warmupMs,
        nextPath: (w, n) => (n % 2 ? inboxPath() : messagePath(w, n)),
      });
    }
    const plan: [string, () => Promise<PhaseResult>][] = [
      [
        'healthz',
        () =>
          runPhase({
            ...common,
            name: 'GET /healthz, no session',
            sessions: noCookie,
            durationMs,
            nextPath: () => '/healthz',
          }),
      ],
      [
        'session',
        () =>
          runPhase({
            ...common,
            name: 'GET /healthz with a session cookie (session lookup)',
            sessions,
            durationMs,
            nextPath: () => '/healthz',
          }),
      ],
      [
        'inbox',
        () =>
          runPhase({
            ...common,
            name: 'inbox: GET /post (first page, 20 letters)',
            sessions,
            durationMs,
            nextPath: inboxPath,
          }),
      ],
      [
        'message',
        () =>
          runPhase({
            ...common,
            name: 'message page: GET /post/:id (audited open)',
            sessions,
            durationMs,
            nextPath: messagePath,
          }),
      ],
      [
        'search',
        () => runPhase({ ...common, name: `search: GET ${searchPath}`, sessions, durationMs, nextPath: searchPathOf }),
      ],
    ];
    for (const [key, phase] of plan) {
      if (!phases.includes(key)) continue;
      if (key === 'search' && !checks.search?.startsWith('ok')) {
        log(`search skipped: ${checks.search}`);
        continue;
      }
      log(`phase ${key}: ${durationMs / 1000} s at ${concurrency} sessions`);
      const result = await phase();
      log(
        `  ${result.requestsPerSecond} req/s, p50 ${result.latencyMs.p50} p95 ${result.latencyMs.p95} p99 ${result.latencyMs.p99} ms, ` +
          `cpu server ${result.cpu.server} loadgen ${result.cpu.loadGenerator} machine ${result.cpu.machineBusy}/${result.cpu.machineCores}, ` +
          `failures ${JSON.stringify(result.failures)}, probes ${JSON.stringify(result.probes)}, ` +
          `per request ${JSON.stringify(result.perRequest)} cpu ms ${JSON.stringify(result.cpuMsPerRequest)}`,
      );
      results.push(result);
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }

  const explain = await explainQueries(url, sessions);

  // Leave the data as generated: drop what the run wrote (audit rows, READ events, first reads, sessions).
  await db.transaction().execute(async (trx) => {
    // The audit log is append-only (migration 0039): only with triggers off (a superuser, as the bench runs) can its
    // rows go. A checkpoint signed during the run would then miss them: the bench's data is throwaway.
    await sql`set local session_replication_role = replica`.execute(trx);
    await sql`delete from audit_event where id > ${marks.rows[0]?.audit ?? '0'}`.execute(trx);
    await sql`set local session_replication_role = origin`.execute(trx);
    await sql`delete from message_event where id > ${marks.rows[0]?.event ?? '0'}`.execute(trx);
    for (const row of readBefore) {
      await trx.updateTable('message').set({ first_read_at: row.first_read_at }).where('id', '=', row.id).execute();
    }
    for (const item of itemsBefore) {
      await sql`update mailbox_item set unread = ${item.unread}, updated_at = ${item.updated_at}
                where message_id = ${item.message_id}`.execute(trx);
    }
    await trx
      .deleteFrom('web_session')
      .where(
        'id_hash',
        'in',
        sessions.map((s) => s.sessionIdHash),
      )
      .execute();
  });
  await db.destroy();

  const byKey = (name: string) => results.find((r) => r.name.startsWith(name));
  const target = (r: PhaseResult | undefined, rps: number | null, p99: number) =>
    r ? { pass: (rps === null || r.requestsPerSecond >= rps) && r.latencyMs.p99 <= p99, rps, p99 } : 'not run';
  return {
    data: { ...data.marker, action: data.action, tables: tableSizes.rows },
    setup: {
      server:
        serverProcesses === 1
          ? `node bin/kuvert.js server (NODE_ENV=${serverMode}, no worker, pool of 20 connections) in its own process`
          : `${serverProcesses} processes of node bin/kuvert.js server (NODE_ENV=${serverMode}, no worker, pool of 20 connections each), sessions spread over them as by a load balancer`,
      loadGenerator: `undici Pool, ${concurrency} connections, closed loop, in the benchmark process`,
      sharedCores: `load generator, server and PostgreSQL share this machine's ${os.cpus().length} cores (and other users' work)`,
      sessions: sessions
        .map((s) => ({ recipientNo: s.recipientNo, heavy: s.heavy, messages: s.messageIds.length }))
        .slice(0, 8),
      heavySessions: sessions.filter((s) => s.heavy).length,
      preflight: checks,
      serverRssIdleMiB: rssIdle,
    },
    targets: {
      inbox: target(byKey('inbox'), 1000, 50),
      message: target(byKey('message'), 1000, 50),
      search: target(byKey('search'), null, 200),
    },
    phases: results,
    explain,
  };
}

async function check(base: string, path: string, cookie: string, ok: (text: string) => boolean): Promise<string> {
  const response = await fetch(`${base}${path}`, { headers: { cookie }, redirect: 'manual' });
  const text = await response.text();
  if (response.status !== 200) return `status ${response.status}`;
  return ok(text) ? 'ok' : 'unexpected content';
}

/**
 * One session per worker, for deterministically chosen people: every eighth a heavy recipient (hundreds of
 * letters), the others ordinary. Each gets up to 50 of their letters to open (a deterministic choice).
 */
async function createBenchSessions(db: Db, count: number, recipients: number): Promise<BenchSession[]> {
  const heavyCount = Math.max(1, Math.floor(recipients / 200));
  const heavyStride = Math.floor(recipients / heavyCount);
  const sessions: BenchSession[] = [];
  for (let k = 0; k < count; k++) {
    const heavy = k % 8 === 0;
    const recipientNo = heavy
      ? 1 + ((k * 37) % heavyCount) * heavyStride
      : 1 + ((k * 15_485_863 + 104_729) % recipients);
    const person = await sql<{ id: string; name: string }>`
      select id, name from recipient where id = md5('kuvert-bench-recipient-' || ${recipientNo}::int)::uuid`.execute(
      db,
    );
    const row = person.rows[0];
    if (!row) throw new Error(`recipient ${recipientNo} missing: is the data complete?`);
    const letters = await sql<{ id: string }>`
      select id from message where recipient_id = ${row.id} and available_at is not null and recalled_at is null
      order by md5(id::text) limit 50`.execute(db);
    const { sessionId } = await createSession(
      db,
      { kind: 'citizen', subject: `bench-${recipientNo}`, name: row.name, recipientId: row.id },
      null,
    );
    sessions.push({
      recipientNo,
      recipientId: row.id,
      heavy,
      cookie: `kuvert_session=${sessionId}`,
      sessionIdHash: sha256Hex(sessionId),
      messageIds: letters.rows.map((r) => r.id),
    });
  }
  return sessions;
}

interface ExplainSummary {
  query: string;
  recipient?: string;
  executionMs: number;
  planningMs: number;
  sharedHit: number;
  sharedRead: number;
  plan: string;
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the statements the inbox and message page run, captured from the app's repository
 * functions (so the SQL is exactly the app's), for an ordinary and a heavy recipient. Writes are rolled back.
 */
async function explainQueries(url: string, sessions: BenchSession[]): Promise<ExplainSummary[]> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const captured: CompiledQuery[] = [];
  const capture = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => {
      if (event.level === 'query' && !/^\s*(begin|start|commit|rollback)\b/i.test(event.query.sql)) {
        captured.push(event.query);
      }
    },
  });
  const out: ExplainSummary[] = [];
  const explainLast = async (label: string, recipient?: string) => {
    const query = captured.at(-1);
    if (!query) return;
    const client = await pool.connect();
    try {
      await client.query('begin');
      const result = await client.query(`explain (analyze, buffers, format json) ${query.sql}`, [...query.parameters]);
      const [top] = result.rows[0]['QUERY PLAN'] as [
        { Plan: Record<string, unknown>; 'Execution Time': number; 'Planning Time': number },
      ];
      const text = await client.query(`explain (analyze, costs off, timing off) ${query.sql}`, [...query.parameters]);
      await client.query('rollback');
      out.push({
        query: label,
        ...(recipient ? { recipient } : {}),
        executionMs: Math.round(top['Execution Time'] * 1000) / 1000,
        planningMs: Math.round(top['Planning Time'] * 1000) / 1000,
        sharedHit: Number(top.Plan['Shared Hit Blocks'] ?? 0),
        sharedRead: Number(top.Plan['Shared Read Blocks'] ?? 0),
        plan: text.rows.map((r) => r['QUERY PLAN']).join('\n'),
      });
    } finally {
      client.release();
    }
  };
  try {
    const picks = [sessions.find((s) => !s.heavy), sessions.find((s) => s.heavy)].filter(
      (s): s is BenchSession => s !== undefined,
    );
    await findSession(capture, picks[0]?.sessionIdHash ?? '');
    await explainLast('session lookup (findSession)');
    // The mailbox repository is being reshaped as this is written: look its functions up by name, so a renamed
    // one drops out of the report instead of breaking the benchmark.
    const repo = { ...listingRepository, ...letterRepository, ...searchRepository } as unknown as Record<
      string,
      ((...args: unknown[]) => Promise<unknown>) | undefined
    >;
    const call = async (name: string, ...args: unknown[]) => {
      const fn = repo[name];
      if (!fn) return null;
      return fn(capture, ...args);
    };
    for (const s of picks) {
      const who = s.heavy ? 'heavy' : 'ordinary';
      const inbox = { kind: 'inbox' };
      const page = (await call('listFolderPage', s.recipientId, inbox, { limit: 20 })) as { id: string }[] | null;
      if (page) {
        await explainLast('inbox first page (listFolderPage)', who);
        const last = page.at(-2)?.id;
        if (last) {
          await call('listFolderPage', s.recipientId, inbox, { before: last, limit: 20 });
          await explainLast('inbox next page (listFolderPage, keyset)', who);
        }
      }
      const nav = { mailboxId: s.recipientId, actorId: s.recipientId, now: new Date(), withCounts: true };
      if (await call('loadMailboxNav', nav))
        await explainLast('navigation: folders, unread counts (loadMailboxNav)', who);
      // The inbox page runs this one: the navigation with the first page of the Inbox inside it.
      if (await call('loadMailboxNav', { ...nav, listing: { folder: inbox, limit: 20 } }))
        await explainLast('inbox page: navigation and first page in one statement (loadMailboxNav)', who);
      const id = s.messageIds[0] as string;
      if (await call('findMailboxMessage', id)) await explainLast('message lookup (findMailboxMessage)', who);
      // The letter page runs this one: the lookup with the documents, actions and navigation inside it.
      if (await call('findMailboxLetterPage', id, { actorId: s.recipientId, now: new Date() }))
        await explainLast('letter page: lookup, documents, actions and navigation in one statement', who);
      if (await call('listMessageDocuments', id)) await explainLast('message documents (listMessageDocuments)', who);
      if (await call('listMessageActions', id)) await explainLast('message actions (listMessageActions)', who);
      const words = searchRepository.searchWords('boligstøtte');
      if (await call('searchHits', s.recipientId, words, {}, { limit: 50, now: new Date() })) {
        await explainLast('search (searchHits "boligstøtte")', who);
      }
      const markFirstRead = repo.markFirstRead;
      if (markFirstRead) {
        await capture
          .transaction()
          .execute(async (trx) => {
            await markFirstRead(trx, id, new Date());
            throw new Error('rollback');
          })
          .catch(() => undefined);
        await explainLast('first read (markFirstRead)', who);
      }
    }
    await sql`select hash from audit_event order by id desc limit 1`.execute(capture);
    await explainLast('audit chain head (recordAudit)');
  } finally {
    await capture.destroy();
  }
  return out;
}
