/**
 * Public statistics at national scale: 5,000,000 recipients and 20,000,000 letters (plus contact details and print
 * jobs), generated reproducibly server-side with generate_series into a database of its own
 * (`kuvert_bench_stats`), kept between runs: a marker row says the generation finished, so later runs reuse it.
 * Measures the nightly snapshot job (goal ≤ 5 minutes) and the latency of GET /statistik (goal p99 ≤ 200 ms), which
 * reads the snapshot tables.
 * Options: --recipients 5000000 --messages 20000000 --requests 300 --regenerate (drop and generate again)
 *          --generate-only
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { type Db, openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { createLogger } from '../src/logger.ts';
import { takeSnapshot } from '../src/modules/statistics/take-snapshot.ts';
import { createServices } from '../src/services.ts';

const DATABASE = 'kuvert_bench_stats';
const MARKER = 'bench_stats_generated';

function adminUrl(): string {
  return process.env.KUVERT_TEST_ADMIN_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
}

function databaseUrl(): string {
  const url = new URL(adminUrl());
  url.pathname = `/${DATABASE}`;
  return url.toString();
}

async function adminQuery(text: string): Promise<pg.QueryResult> {
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    return await admin.query(text);
  } finally {
    await admin.end();
  }
}

const seconds = (t0: number) => Math.round((performance.now() - t0) / 100) / 10;

/** Generates the data set unless a complete one with the same size is already there. Returns what it did. */
async function ensureData(db: Db, recipients: number, messages: number, log: (s: string) => void) {
  const { rows } = await sql<{ value: { recipients: number; messages: number } }>`
    select value from app_setting where key = ${MARKER}`.execute(db);
  const marker = rows[0]?.value;
  if (marker && marker.recipients === recipients && marker.messages === messages) return { reused: true };
  if (marker) throw new Error(`${DATABASE} holds another size (${JSON.stringify(marker)}); run with --regenerate`);
  const timings: Record<string, number> = {};
  await sql`set session_replication_role = replica`.execute(db); // no FK triggers while bulk loading
  await sql`set maintenance_work_mem = '1GB'`.execute(db);

  // Bulk tables are loaded without their indexes and constraints, which are rebuilt once at the end.
  const restore = await dropIndexes(db, ['recipient', 'contact_detail', 'message', 'print_job']);
  let t0 = performance.now();
  // 20 senders: 8 municipalities, 8 state agencies, 3 regions, 1 other.
  await sql`
    insert into sender (id, name, kind, municipality_code)
    select md5('bench-sender-' || i)::uuid, 'Bench sender ' || i,
      case when i < 8 then 'municipality' when i < 16 then 'state' when i < 19 then 'region' else 'other' end,
      null
    from generate_series(0, 19) as i
    on conflict do nothing`.execute(db);

  // People: birth dates over 1930–2020, 98 municipalities, 6% exempted (grounds spread), 66% voluntary of the rest,
  // under-15s not enrolled, 1% closed. Ids and CPR numbers follow from the row number, so a rerun is identical.
  await sql`
    with codes as (select array_agg(code order by code) as c from municipality)
    insert into recipient (id, kind, cpr, name, birth_date, sex, municipality_code, enrolment, exemption_ground,
      closed_reason)
    select md5('bench-r-' || i)::uuid, 'person',
      to_char(date '1930-01-01' + (i % 33000), 'DDMMYY') || lpad((i / 33000)::text, 4, '0'),
      'Person ' || i, date '1930-01-01' + (i % 33000), case when i % 2 = 0 then 'F' else 'M' end,
      codes.c[1 + (i * 7) % 98],
      case
        when date '1930-01-01' + (i % 33000) > date '2011-12-01' then 'not_enrolled'
        when h < 10 then 'closed'
        when h < 70 then 'exempted'
        when h < 690 then 'voluntary'
        else 'automatic' end,
      case when date '1930-01-01' + (i % 33000) <= date '2011-12-01' and h >= 10 and h < 70 then
        (array['disability', 'no_internet', 'emigrated', 'homeless', 'language', 'no_mitid', 'other'])[1 + h % 7]
      end,
      case when date '1930-01-01' + (i % 33000) <= date '2011-12-01' and h < 10 then 'death' end
    from codes, generate_series(0, ${recipients - 1}) as i, lateral (select (i * 2654435761::bigint) % 1000 as h) x
  `.execute(db);
  timings.recipientsSeconds = seconds(t0);
  log(`recipients: ${timings.recipientsSeconds} s`);

  // Confirmed contact details shaped by 2014's 3.5M e-mail / 2.5M mobile of 4.7M: 74% e-mail, 53% mobile.
  t0 = performance.now();
  await sql`
    insert into contact_detail (id, recipient_id, kind, value, confirmed_at, last_confirmed_at)
    select md5('bench-e-' || i)::uuid, md5('bench-r-' || i)::uuid, 'email', 'p' || i || '@example.dk',
      timestamptz '2026-01-01', timestamptz '2026-01-01'
    from generate_series(0, ${recipients - 1}) as i
    where (i * 40503::bigint) % 100 < 74
    union all
    select md5('bench-m-' || i)::uuid, md5('bench-r-' || i)::uuid, 'mobile', '+45' || lpad((20000000 + i)::text, 8, '0'),
      case when i % 10 = 0 then null else timestamptz '2026-01-01' end, null
    from generate_series(0, ${recipients - 1}) as i
    where (i * 69069::bigint) % 100 < 58
  `.execute(db);
  timings.contactSeconds = seconds(t0);
  log(`contact details: ${timings.contactSeconds} s`);

  // Letters: spread evenly over the 24 months before 2026-12-01; every 17th goes to print; 85% of the digital ones
  // are read, after 0–60 days (skewed towards soon).
  t0 = performance.now();
  const chunk = 2_000_000;
  for (let from = 0; from < messages; from += chunk) {
    const to = Math.min(messages, from + chunk) - 1;
    await sql`
      insert into message (id, sender_id, recipient_id, message_uuid, content_hash, label, status, received_at,
        available_at, first_read_at)
      select md5('bench-m-' || i)::uuid, md5('bench-sender-' || (i % 20))::uuid,
        md5('bench-r-' || ((i * 7::bigint) % ${recipients}))::uuid, md5('bench-u-' || i)::uuid,
        repeat('0', 64), 'Brev ' || i,
        case when i % 17 = 0 then 'print_queued' else 'available' end,
        t.received, case when i % 17 = 0 then null else t.received end,
        case when i % 17 <> 0 and (i * 48271::bigint) % 100 < 85
          then t.received + make_interval(secs => power(((i * 16807::bigint) % 1000) / 1000.0, 3) * 60 * 86400) end
      from generate_series(${from}::bigint, ${to}::bigint) as i,
        lateral (select timestamptz '2024-12-01' + (i::float8 / ${messages}) * interval '730 days' as received) t
    `.execute(db);
    log(`messages: ${to + 1}`);
  }
  timings.messagesSeconds = seconds(t0);
  t0 = performance.now();
  await sql`
    insert into print_job (message_id, sender_id, state, queued_at, sent_at)
    select id, sender_id, 'sent', received_at, received_at + interval '1 day' from message where status = 'print_queued'
  `.execute(db);
  await restore();
  timings.indexSeconds = seconds(t0);
  log(`indexes and print jobs: ${timings.indexSeconds} s`);
  await sql`set session_replication_role = origin`.execute(db);
  t0 = performance.now();
  await sql`vacuum (analyze) recipient`.execute(db);
  await sql`vacuum (analyze) contact_detail`.execute(db);
  await sql`vacuum (analyze) message`.execute(db);
  await sql`vacuum (analyze) print_job`.execute(db);
  timings.vacuumSeconds = seconds(t0);
  await sql`
    insert into app_setting (key, value) values (${MARKER}, ${JSON.stringify({ recipients, messages })}::jsonb)`.execute(
    db,
  );
  return { reused: false, ...timings };
}

/** Drops the indexes, unique/primary keys and foreign keys of `tables`; the returned function rebuilds them. */
async function dropIndexes(db: Db, tables: string[]): Promise<() => Promise<void>> {
  const { rows: fks } = await sql<{ name: string; table: string; def: string }>`
    select distinct conname as name, conrelid::regclass::text as table, pg_get_constraintdef(oid) as def
    from pg_constraint
    where contype = 'f' and (conrelid::regclass::text = any(${tables}) or confrelid::regclass::text = any(${tables}))`.execute(
    db,
  );
  const { rows: keys } = await sql<{ name: string; table: string; def: string }>`
    select conname as name, conrelid::regclass::text as table, pg_get_constraintdef(oid) as def from pg_constraint
    where contype in ('p', 'u') and conrelid::regclass::text = any(${tables})`.execute(db);
  const { rows: indexes } = await sql<{ name: string; def: string }>`
    select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def from pg_index i
    where i.indrelid::regclass::text = any(${tables})
      and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`.execute(db);
  for (const fk of fks) await sql.raw(`alter table ${fk.table} drop constraint ${fk.name}`).execute(db);
  for (const key of keys) await sql.raw(`alter table ${key.table} drop constraint ${key.name}`).execute(db);
  for (const index of indexes) await sql.raw(`drop index ${index.name}`).execute(db);
  return async () => {
    for (const key of keys) await sql.raw(`alter table ${key.table} add constraint ${key.name} ${key.def}`).execute(db);
    for (const index of indexes) await sql.raw(index.def).execute(db);
    for (const fk of fks) await sql.raw(`alter table ${fk.table} add constraint ${fk.name} ${fk.def}`).execute(db);
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

export async function run(options: Record<string, string>) {
  const recipients = Number(options.recipients ?? 5_000_000);
  const messages = Number(options.messages ?? 20_000_000);
  const requests = Number(options.requests ?? 300);
  const log = (s: string) => console.error(`[stats bench] ${s}`);
  if ('regenerate' in options) await adminQuery(`drop database if exists ${DATABASE} with (force)`);
  const exists = await adminQuery(`select 1 from pg_database where datname = '${DATABASE}'`);
  if (exists.rowCount === 0) await adminQuery(`create database ${DATABASE}`);
  const { db, pool } = openDatabase(databaseUrl(), 10);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kuvert-bench-stats-'));
  try {
    await migrate(db, pool);
    const generation = await ensureData(db, recipients, messages, log);
    if ('generate-only' in options) return { generation };

    log('snapshot…');
    const snapshot = await takeSnapshot(db);
    log(`snapshot: ${snapshot.durationMs} ms`);

    const config = loadConfig({ NODE_ENV: 'test', KUVERT_DATA_DIR: dataDir, LOG_LEVEL: 'warn', PORT: '0' });
    const app = await createApp(createServices(config, db, pool), createLogger('warn', process.stderr));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const latencies: Record<string, number[]> = { da: [], en: [] };
    try {
      for (let i = 0; i < 20; i++) await (await fetch(`${base}/statistik`)).text(); // warm-up
      for (let i = 0; i < requests; i++) {
        const lang = i % 2 === 0 ? 'da' : 'en';
        const t0 = performance.now();
        const response = await fetch(`${base}/statistik`, { headers: { cookie: `lang=${lang}` } });
        const body = await response.text();
        if (response.status !== 200 || !body.includes('<svg')) throw new Error(`GET /statistik: ${response.status}`);
        latencies[lang]?.push(performance.now() - t0);
      }
    } finally {
      await app.close();
    }
    const all = [...(latencies.da ?? []), ...(latencies.en ?? [])].sort((a, b) => a - b);
    const round = (n: number) => Math.round(n * 10) / 10;
    return {
      recipients,
      messages,
      generation,
      snapshot: { seconds: round(snapshot.durationMs / 1000), goalSeconds: 300, met: snapshot.durationMs <= 300_000 },
      page: {
        requests: all.length,
        p50Ms: round(percentile(all, 50)),
        p95Ms: round(percentile(all, 95)),
        p99Ms: round(percentile(all, 99)),
        maxMs: round(all[all.length - 1] ?? 0),
        goalP99Ms: 200,
        met: percentile(all, 99) <= 200,
      },
    };
  } finally {
    await db.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
