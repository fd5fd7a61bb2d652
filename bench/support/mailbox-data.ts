/**
 * Deterministic mailbox data for the mailbox benchmark, generated inside PostgreSQL (INSERT … SELECT over
 * generate_series: no rows cross the wire). The same options give the same rows, ids included, on every run.
 *
 * Shape: a few dozen senders; N people; M letters spread evenly over five years in delivery order, so one person's
 * letters are scattered over the table as real mail is (not clustered by recipient). Most letters go to a uniformly
 * drawn person (about M/N each, Poisson-like), a share goes to 0.5 % "heavy" recipients (hundreds each). Every letter
 * carries the same small PDF (content-addressed, one file in the document store), every tenth also a short text
 * attachment shown inline. Senders are skewed: the first named (Skattestyrelsen) sends most, the last fewest. Letters older than the last 2 % of the timeline are mostly read; recent ones half unread.
 *
 * The database is kept between runs: a marker (a comment on the database) records the options, the generator
 * version and the applied migrations. A complete marker with the same options is reused; if migrations were added
 * since, they are applied to the existing rows (as a deployment would) and the post-migration fill runs again.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import type { Migration } from 'kysely/migration';
import pg from 'pg';
import { type Db, openDatabase } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { sha256Hex } from '../../src/documents/document-store.ts';

/** Bump when the generated core rows change, so kept databases are regenerated. */
export const GENERATOR_VERSION = 1;
/** Bump when the module-table fill changes: kept databases are refilled (the core rows stay). */
export const FILL_VERSION = 2;

export interface MailboxDataOptions {
  recipients: number;
  messages: number;
  senders: number;
}

export interface Marker extends MailboxDataOptions {
  generator: number;
  migrations: string[];
  /** SHA-256 of each applied migration's source, to notice a migration edited after it was applied here. */
  migrationHashes: Record<string, string>;
  completedAt: string;
  generationSeconds: number;
  /** FILL_VERSION of the last module-table fill (absent: none yet). */
  fill?: number;
  /** 'generating' while the bulk load runs (a later run resumes it); absent or 'complete' when done. */
  state?: 'generating' | 'complete';
  /** During the bulk load: the dropped indexes and constraints (to rebuild) and the disabled trigger names. */
  bulk?: { indexes: DroppedIndex[]; triggers: { t: string; names: string[] }[] };
}

interface DroppedIndex {
  index: string;
  definition: string;
  constraint: string | null;
  condef: string | null;
}

/** The one small PDF every letter carries, and the text attachment of every tenth letter. */
export const BENCH_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>endobj\n' +
    '4 0 obj<</Length 60>>stream\nBT /F1 14 Tf 72 760 Td (Afgoerelse om boligstoette) Tj ET\nendstream endobj\n' +
    '5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  'latin1',
);
export const BENCH_TEXT = Buffer.from(
  'Vejledning\n\nDu kan klage over afgørelsen inden fire uger. Skriv til os gennem Digital Post, og husk at ' +
    'oplyse sagsnummeret. Har du spørgsmål, er du velkommen til at kontakte os på telefon i vores åbningstid.\n',
  'utf8',
);

const SENDER_NAMES = [
  'Skattestyrelsen',
  'Udbetaling Danmark',
  'Københavns Kommune',
  'Aarhus Kommune',
  'Odense Kommune',
  'Aalborg Kommune',
  'Esbjerg Kommune',
  'Vejle Kommune',
  'Randers Kommune',
  'Viborg Kommune',
  'Kolding Kommune',
  'Silkeborg Kommune',
  'Horsens Kommune',
  'Herning Kommune',
  'Roskilde Kommune',
  'Næstved Kommune',
  'Frederiksberg Kommune',
  'Gentofte Kommune',
  'Region Hovedstaden',
  'Region Midtjylland',
  'Region Syddanmark',
  'Region Sjælland',
  'Region Nordjylland',
  'Styrelsen for Arbejdsmarked og Rekruttering',
  'Politiet',
  'Domstolsstyrelsen',
  'Sundhedsstyrelsen',
  'Statens Serum Institut',
  'Færdselsstyrelsen',
  'Motorstyrelsen',
  'Gældsstyrelsen',
  'Ankestyrelsen',
  'Styrelsen for Dataforsyning og Infrastruktur',
  'Familieretshuset',
  'Arbejdsmarkedets Tillægspension',
  'Erhvervsstyrelsen',
  'Miljøstyrelsen',
  'Rigspolitiet',
  'Kriminalforsorgen',
  'Digitaliseringsstyrelsen',
];

const LABELS = [
  'Afgørelse om boligstøtte',
  'Årsopgørelse',
  'Forskudsopgørelse',
  'Indkaldelse til samtale',
  'Påmindelse om betaling',
  'Afgørelse om børne- og ungeydelse',
  'Besked om folkepension',
  'Indkaldelse til screening',
  'Kvittering for ansøgning',
  'Ændring af ydelse',
  'Svar på din henvendelse',
  'Opkrævning af ejendomsskat',
  'Indkaldelse til vaccination',
  'Afgørelse om sygedagpenge',
  'Bekræftelse af flytning',
  'Varsel om partshøring',
  'Indkaldelse til syn af køretøj',
  'Afgørelse om tilskud',
  'Orientering om ny lovgivning',
  'Rykker for manglende dokumentation',
  'Bevilling af hjælpemidler',
  'Indkaldelse til retsmøde',
  'Kontoudtog',
  'Information om affaldsordning',
];

const FIRST_NAMES = [
  'Anna',
  'Bo',
  'Camilla',
  'Mads',
  'Ida',
  'Frederik',
  'Sofie',
  'Lars',
  'Mette',
  'Jens',
  'Emma',
  'Søren',
  'Karen',
  'Niels',
  'Freja',
  'Ole',
  'Lone',
  'Peter',
  'Maja',
  'Henrik',
];
const LAST_NAMES = [
  'Jensen',
  'Nielsen',
  'Hansen',
  'Pedersen',
  'Andersen',
  'Christensen',
  'Larsen',
  'Sørensen',
  'Rasmussen',
  'Jørgensen',
  'Petersen',
  'Madsen',
  'Kristensen',
  'Olsen',
  'Thomsen',
  'Christiansen',
  'Poulsen',
  'Johansen',
  'Møller',
  'Mortensen',
];

/** Postgres array literal of text values (for constant lists in the generating SQL). */
const textArray = (values: string[]) => sql`${sql.val(values)}::text[]`;

/** The deterministic id of the i-th recipient (1-based), as the generating SQL makes it. */
export const recipientIdSql = (i: ReturnType<typeof sql>) => sql`md5('kuvert-bench-recipient-' || ${i})::uuid`;

/** Timeline: letters are delivered evenly from START over FIVE_YEARS, message n at START + (n - 1) * step. */
const TIMELINE_END = '2026-11-30T12:00:00Z';
const TIMELINE_DAYS = 5 * 365;

export function adminUrl(): string {
  return (
    process.env.KUVERT_TEST_ADMIN_URL || process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres'
  );
}

export function databaseUrl(name: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

async function adminQuery<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

export async function readMarker(name: string): Promise<Marker | null> {
  const rows = await adminQuery<{ comment: string | null }>(
    `select shobj_description(oid, 'pg_database') as comment from pg_database where datname = $1`,
    [name],
  );
  if (rows.length === 0) return null;
  try {
    const parsed = JSON.parse(rows[0]?.comment ?? 'null') as Marker | null;
    return parsed && typeof parsed === 'object' && parsed.generator ? parsed : null;
  } catch {
    return null;
  }
}

async function writeMarker(db: Db, name: string, marker: Marker): Promise<void> {
  await sql`${sql.raw(`comment on database ${name} is `)}${sql.lit(JSON.stringify(marker))}`.execute(db);
}

async function appliedMigrations(db: Db): Promise<string[]> {
  const result = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  return result.rows.map((r) => r.name);
}

const MIGRATIONS_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../src/db/migrations');

function migrationHashes(names: string[]): Record<string, string> {
  return Object.fromEntries(
    names.map((name) => [name, sha256Hex(readFileSync(path.join(MIGRATIONS_DIR, `${name}.ts`)))]),
  );
}

/**
 * Migrations applied to the kept database whose source has changed since (modules' migrations are edited while
 * they are young): they and every later one are rolled back (their `down`), so migrate() applies the current
 * versions. Only module tables are touched; the generated core rows stay.
 */
async function rollBackEditedMigrations(db: Db, marker: Marker, log: Log): Promise<void> {
  const applied = await appliedMigrations(db);
  const firstEdited = applied.findIndex((name) => {
    const recorded = marker.migrationHashes?.[name];
    return recorded !== undefined && recorded !== migrationHashes([name])[name];
  });
  if (firstEdited < 0) return;
  for (const name of applied.slice(firstEdited).reverse()) {
    log(`migration ${name} was edited since it was applied here: rolling it back`);
    const migration = (await import(pathToFileURL(path.join(MIGRATIONS_DIR, `${name}.ts`)).href)) as Migration;
    await migration.down?.(db as never);
    await sql`delete from kysely_migration where name = ${name}`.execute(db);
  }
}

type Log = (line: string) => void;

/** chunk: letters per INSERT statement; parallel: statements at once (each a PostgreSQL backend). */
type GenerateOptions = MailboxDataOptions & { chunk: number; parallel: number };

async function timed<T>(log: Log, what: string, work: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const result = await work();
  log(`${what}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return result;
}

/**
 * Makes sure database `name` holds the generated data for `options` at the current schema, generating it (or
 * applying new migrations to it) as needed. Returns the marker and what was done.
 */
export async function ensureMailboxData(
  name: string,
  options: GenerateOptions & { regenerate: boolean },
  log: Log,
): Promise<{ marker: Marker; action: 'reused' | 'migrated' | 'generated' }> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
  const existing = await readMarker(name);
  const sameShape =
    existing !== null &&
    existing.generator === GENERATOR_VERSION &&
    existing.recipients === options.recipients &&
    existing.messages === options.messages &&
    existing.senders === options.senders;
  if (existing && sameShape && !options.regenerate && existing.state === 'generating' && existing.bulk) {
    log('resuming an interrupted generation');
    const started = performance.now();
    const { db } = openDatabase(databaseUrl(name), options.parallel + 1);
    try {
      await bulkLoad(db, options, existing.bulk, log);
      await finish(db, name, existing, options, log);
      const marker: Marker = {
        ...existing,
        state: 'complete',
        fill: FILL_VERSION,
        completedAt: new Date().toISOString(),
        generationSeconds: existing.generationSeconds + Math.round((performance.now() - started) / 1000),
      };
      delete marker.bulk;
      await writeMarker(db, name, marker);
      return { marker, action: 'generated' };
    } finally {
      await db.destroy();
    }
  }
  if (existing && sameShape && !options.regenerate && existing.state !== 'generating') {
    const { db, pool } = openDatabase(databaseUrl(name), 4);
    try {
      await rollBackEditedMigrations(db, existing, log);
      const hashesBefore = migrationHashes(await appliedMigrations(db).catch(() => []));
      const applied = await migrate(db, pool);
      if (applied.length === 0 && existing.fill === FILL_VERSION) return { marker: existing, action: 'reused' };
      if (applied.length) log(`schema changed since generation (${applied.join(', ')}): migrating the existing rows`);
      await timed(log, 'post-migration fill', () => fillModuleTables(db, options, log));
      await timed(log, 'analyze', () => sql`analyze`.execute(db));
      const migrations = await appliedMigrations(db);
      const marker: Marker = {
        ...existing,
        migrations,
        migrationHashes: { ...hashesBefore, ...migrationHashes(applied) },
        fill: FILL_VERSION,
      };
      await writeMarker(db, name, marker);
      return { marker, action: 'migrated' };
    } catch (error) {
      log(`the kept database could not be brought up to date (${(error as Error).message}): regenerating`);
    } finally {
      await db.destroy();
    }
  }
  const started = performance.now();
  await adminQuery(`drop database if exists ${name} with (force)`);
  await adminQuery(`create database ${name}`);
  const { db, pool } = openDatabase(databaseUrl(name), options.parallel + 1);
  try {
    await timed(log, 'migrate', () => migrate(db, pool));
    // Hashed now: a migration edited while the rows are generated must count as edited next time.
    const migrations = await appliedMigrations(db);
    const hashes = migrationHashes(migrations);
    const generating: Marker = {
      generator: GENERATOR_VERSION,
      recipients: options.recipients,
      messages: options.messages,
      senders: options.senders,
      migrations,
      migrationHashes: hashes,
      completedAt: '',
      generationSeconds: 0,
      state: 'generating',
    };
    await generate(db, name, generating, options, log);
    const marker: Marker = {
      generator: GENERATOR_VERSION,
      recipients: options.recipients,
      messages: options.messages,
      senders: options.senders,
      migrations,
      migrationHashes: hashes,
      fill: FILL_VERSION,
      state: 'complete',
      completedAt: new Date().toISOString(),
      generationSeconds: Math.round((performance.now() - started) / 1000),
    };
    await writeMarker(db, name, marker);
    return { marker, action: 'generated' };
  } finally {
    await db.destroy();
  }
}

/** Secondary indexes and unique constraints of a table, as SQL that recreates them. */
async function droppableIndexes(db: Db, table: string) {
  const result = await sql<{ index: string; definition: string; constraint: string | null; condef: string | null }>`
    select i.relname as index, pg_get_indexdef(i.oid) as definition, c.conname as constraint,
           pg_get_constraintdef(c.oid) as condef
    from pg_index x
    join pg_class i on i.oid = x.indexrelid
    left join pg_constraint c on c.conindid = x.indexrelid and c.conrelid = x.indrelid
    where x.indrelid = ${table}::regclass and not x.indisprimary
    order by i.relname`.execute(db);
  return result.rows;
}

/** The referencing side's foreign-key check triggers of a table (not user triggers). */
async function foreignKeyCheckTriggers(db: Db, table: string): Promise<string[]> {
  const result = await sql<{ tgname: string }>`
    select t.tgname from pg_trigger t join pg_constraint c on c.oid = t.tgconstraint
    where t.tgrelid = ${table}::regclass and t.tgisinternal and c.contype = 'f' and c.conrelid = t.tgrelid`.execute(db);
  return result.rows.map((r) => r.tgname);
}

async function generate(db: Db, name: string, marker: Marker, options: GenerateOptions, log: Log): Promise<void> {
  const { recipients: R } = options;
  const S = Math.min(options.senders, SENDER_NAMES.length);

  await timed(log, `senders (${S})`, () =>
    sql`
      insert into sender (id, name, kind, cvr, municipality_code)
      select md5('kuvert-bench-sender-' || i)::uuid, (${textArray(SENDER_NAMES)})[i],
             case when (${textArray(SENDER_NAMES)})[i] like '%Kommune' then 'municipality'
                  when (${textArray(SENDER_NAMES)})[i] like 'Region%' then 'region' else 'state' end,
             lpad((29000000 + i)::text, 8, '0'), null
      from generate_series(1, ${S}::int) i`.execute(db),
  );

  // CPR-shaped numbers: birth date (75 years, day i mod 27375) and a sequence number i div 27375 — unique per i.
  await timed(log, `recipients (${R})`, () =>
    sql`
      with m as (select array_agg(code order by code) as codes from municipality)
      insert into recipient (id, kind, cpr, name, birth_date, municipality_code, enrolment, sex, postcode, city,
                             enrolment_changed_at, created_at)
      select md5('kuvert-bench-recipient-' || i)::uuid, 'person',
             to_char(date '1935-01-01' + (i % 27375), 'DDMMYY') || lpad((i / 27375)::text, 4, '0'),
             (${textArray(FIRST_NAMES)})[1 + i % 20] || ' ' || (${textArray(LAST_NAMES)})[1 + (i / 20) % 20],
             date '1935-01-01' + (i % 27375),
             m.codes[1 + i % cardinality(m.codes)], 'automatic',
             case when i % 2 = 0 then 'F' else 'M' end, (1000 + i % 8999)::text, 'By',
             timestamptz '2020-01-01', timestamptz '2020-01-01'
      from m, generate_series(1, ${R}::int) i`.execute(db),
  );

  // Documents: one shared PDF and one shared text attachment (the bytes go to the document store separately).
  await sql`
    insert into document (sha256, media_type, size_bytes, created_at) values
      (${sha256Hex(BENCH_PDF)}, 'application/pdf', ${BENCH_PDF.length}, timestamptz '2021-01-01'),
      (${sha256Hex(BENCH_TEXT)}, 'text/plain', ${BENCH_TEXT.length}, timestamptz '2021-01-01')`.execute(db);

  // Bulk load: secondary indexes are dropped and rebuilt afterwards (sorted builds beat 20M random inserts), and the
  // foreign-key check triggers are off during the load (the generator makes every reference exist). User triggers
  // and the primary keys stay. What was dropped is kept in the marker, so an interrupted load can be resumed.
  const tables = ['message', 'message_document'];
  const indexes = (await Promise.all(tables.map((t) => droppableIndexes(db, t)))).flat();
  const triggers = await Promise.all(tables.map(async (t) => ({ t, names: await foreignKeyCheckTriggers(db, t) })));
  await writeMarker(db, name, { ...marker, bulk: { indexes, triggers } });
  for (const ix of indexes) {
    const table = ix.definition.match(/ ON (?:ONLY )?(\S+) /)?.[1] ?? '';
    if (ix.constraint) await sql.raw(`alter table ${table} drop constraint ${ix.constraint}`).execute(db);
    else await sql.raw(`drop index ${ix.index}`).execute(db);
  }
  for (const { t, names } of triggers) {
    for (const n of names) await sql.raw(`alter table ${t} disable trigger "${n}"`).execute(db);
  }
  await bulkLoad(db, options, { indexes, triggers }, log);
  await finish(db, name, marker, options, log);
}

/** Runs `tasks` with at most `parallel` at a time. */
async function inParallel(parallel: number, tasks: (() => Promise<void>)[]): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, parallel) }, async () => {
      while (next < tasks.length) {
        const task = tasks[next++] as () => Promise<void>;
        await task();
      }
    }),
  );
}

/**
 * The letters and their documents, chunk by chunk, `parallel` chunks at a time; chunks already loaded (by an
 * interrupted run) are skipped. Then the triggers are enabled and the indexes rebuilt.
 */
async function bulkLoad(db: Db, options: GenerateOptions, bulk: NonNullable<Marker['bulk']>, log: Log): Promise<void> {
  const { recipients: R, messages: M } = options;
  const S = Math.min(options.senders, SENDER_NAMES.length);
  const heavy = Math.max(1, Math.floor(R / 200));
  const chunks: (() => Promise<void>)[] = [];
  for (let lo = 1; lo <= M; lo += options.chunk) {
    const hi = Math.min(M, lo + options.chunk - 1);
    chunks.push(async () => {
      // Each chunk's two statements commit on their own: the last letter of the chunk and its document tell.
      const probe = await sql<{ message: boolean; document: boolean }>`
        select exists (select 1 from message where id = md5('kuvert-bench-message-' || ${hi}::bigint)::uuid) as message,
               exists (select 1 from message_document
                       where message_id = md5('kuvert-bench-message-' || ${hi}::bigint)::uuid and position = 0) as document`.execute(
        db,
      );
      const done = probe.rows[0];
      if (done?.message && done.document) return;
      await timed(log, `letters ${lo}–${hi}${done?.message ? ' (documents only)' : ''}`, async () => {
        if (!done?.message) await insertLetters(lo, hi);
        await insertDocuments(lo, hi);
      });
    });
  }
  const insertLetters = async (lo: number, hi: number) => {
    const step = (TIMELINE_DAYS * 86400) / M; // seconds between deliveries
    const recentFrom = Math.floor(M * 0.98);
    await sql`
      with s as (
        select n,
               ${TIMELINE_END}::timestamptz - make_interval(secs => (${M}::bigint - n) * ${step}::float8) as t,
               hashint8extended(n, 1) & 2147483647 as h1,
               hashint8extended(n, 2) & 2147483647 as h2,
               hashint8extended(n, 3) & 2147483647 as h3
        from generate_series(${lo}::bigint, ${hi}::bigint) n
      )
      insert into message (id, sender_id, recipient_id, message_uuid, content_hash, sender_reference, label,
                           status, received_at, available_at, first_read_at, notification, post_type)
      select md5('kuvert-bench-message-' || n)::uuid,
             md5('kuvert-bench-sender-' || (${S}::int - floor(sqrt(h3 % ${S * S}::bigint))::int))::uuid,
             md5('kuvert-bench-recipient-' || case when h1 % 1000 < 75
                 then 1 + (h2 % ${heavy}::bigint) * ${Math.floor(R / heavy)}::bigint
                 else 1 + h2 % ${R}::bigint end)::uuid,
             md5('kuvert-bench-uuid-' || n)::uuid,
             md5('kuvert-bench-content-' || n) || md5('kuvert-bench-content2-' || n),
             'SAG-' || (2021 + n % 6) || '-' || lpad((n % 100000)::text, 5, '0'),
             (${textArray(LABELS)})[1 + (h3 / 7) % ${LABELS.length}],
             'available', t - interval '3 minutes', t,
             case when (h1 / 1000) % 100 < (case when n >= ${recentFrom}::bigint then 50 else 4 end) then null
                  else t + make_interval(mins => ((h2 / 7) % 4320)::int) end,
             case when n % 3 = 0 then 'Du har fået post fra ' ||
               (${textArray(SENDER_NAMES)})[${S}::int - floor(sqrt(h3 % ${S * S}::bigint))::int] end,
             case when n % 5 = 0 then 'VEJLEDNING' else 'BREV' end
      from s`.execute(db);
  };
  const insertDocuments = async (lo: number, hi: number) => {
    await sql`
      insert into message_document (message_id, position, title, filename, media_type, sha256, size_bytes, role)
      select md5('kuvert-bench-message-' || n)::uuid, 0, 'Brev', 'brev.pdf', 'application/pdf',
             ${sha256Hex(BENCH_PDF)}, ${BENCH_PDF.length}::bigint, 'main'
      from generate_series(${lo}::bigint, ${hi}::bigint) n
      union all
      select md5('kuvert-bench-message-' || n)::uuid, 1, 'Vejledning', 'vejledning.txt', 'text/plain',
             ${sha256Hex(BENCH_TEXT)}, ${BENCH_TEXT.length}::bigint, 'additional'
      from generate_series(${lo}::bigint, ${hi}::bigint) n where n % 10 = 0`.execute(db);
  };
  await inParallel(options.parallel, chunks);
  for (const { t, names } of bulk.triggers) {
    for (const n of names) await sql.raw(`alter table ${t} enable trigger "${n}"`).execute(db);
  }
  const existing = new Set(
    (await sql<{ name: string }>`select relname as name from pg_class where relkind = 'i'`.execute(db)).rows.map(
      (r) => r.name,
    ),
  );
  await inParallel(
    options.parallel,
    bulk.indexes
      .filter((ix) => !existing.has(ix.index))
      .map((ix) => async () => {
        const table = ix.definition.match(/ ON (?:ONLY )?(\S+) /)?.[1] ?? '';
        await timed(log, `index ${ix.index}`, () =>
          db.connection().execute(async (conn) => {
            await sql`set maintenance_work_mem = '512MB'`.execute(conn);
            await (ix.constraint && ix.condef
              ? sql.raw(`alter table ${table} add constraint ${ix.constraint} ${ix.condef}`).execute(conn)
              : sql.raw(ix.definition).execute(conn));
          }),
        );
      }),
  );
}

/**
 * After the bulk load: module tables, then planner statistics. (No VACUUM of the 20M-row tables: it would take as
 * long as the load on a shared machine; the pages the benchmark touches get their hint bits on first read.)
 */
async function finish(db: Db, _name: string, _marker: Marker, options: GenerateOptions, log: Log): Promise<void> {
  await timed(log, 'post-migration fill', () => fillModuleTables(db, options, log));
  await timed(log, 'analyze', () => sql`analyze`.execute(db));
}

/** Whether a table exists (module tables come and go while their migrations are young). */
async function tableExists(db: Db, table: string): Promise<boolean> {
  const result = await sql<{ ok: boolean }>`select to_regclass(${table}) is not null as ok`.execute(db);
  return result.rows[0]?.ok === true;
}

/**
 * Rows that tables added by module migrations need for the generated letters. Idempotent (the tables are refilled):
 * runs after generation and again after new migrations were applied to a kept database.
 * - mailbox_folder: every tenth person has two folders of their own.
 * - mailbox_item (the recipient's own state, created lazily on a first action): about 5 % of letters have one —
 *   3 % archived, 1 % in Trash, 0.5 % in one of the owner's folders (else archived), 0.5 % marked unread again.
 * - mailbox_document_text: the shared text attachment, as the lazy search indexer leaves it.
 * - mailbox_access: every 50th person holds read access to the next person's mailbox (every fifth of those revoked).
 */
async function fillModuleTables(db: Db, options: GenerateOptions, log: Log): Promise<void> {
  const { recipients: R, messages: M } = options;
  const heavy = Math.max(1, Math.floor(R / 200));
  const step = (TIMELINE_DAYS * 86400) / M;
  if (await tableExists(db, 'mailbox_document_text')) {
    await sql`
      insert into mailbox_document_text (sha256, tsv) values (${sha256Hex(BENCH_TEXT)}, to_tsvector('danish', ${BENCH_TEXT.toString('utf8')}))
      on conflict do nothing`.execute(db);
  }
  if (await tableExists(db, 'mailbox_access')) {
    await timed(log, 'mailbox_access', async () => {
      await sql`truncate mailbox_access cascade`.execute(db); // with the folder scopes of its grants
      await sql`
        insert into mailbox_access (id, mailbox_id, grantee_id, kind, level, created_at, created_by_kind, created_by_id,
                                    revoked_at, revoked_by_kind, revoked_by_id)
        select md5('kuvert-bench-access-' || i)::uuid, md5('kuvert-bench-recipient-' || (i + 1))::uuid,
               md5('kuvert-bench-recipient-' || i)::uuid, 'grant', case when i % 100 = 0 then 'read_write' else 'read' end,
               timestamptz '2024-01-01', 'citizen', md5('kuvert-bench-recipient-' || (i + 1))::uuid::text,
               case when i % 250 = 0 then timestamptz '2025-01-01' end,
               case when i % 250 = 0 then 'citizen' end,
               case when i % 250 = 0 then md5('kuvert-bench-recipient-' || (i + 1))::uuid::text end
        from generate_series(50, ${R - 1}::int, 50) i`.execute(db);
    });
  }
  if (!(await tableExists(db, 'mailbox_item')) || !(await tableExists(db, 'mailbox_folder'))) return;
  await timed(log, 'mailbox_folder', async () => {
    await sql`truncate mailbox_item, mailbox_folder cascade`.execute(db); // with what names a folder (rules, scopes)
    await sql`
      insert into mailbox_folder (id, mailbox_id, name, created_at)
      select md5('kuvert-bench-folder-' || i || '-' || k)::uuid, md5('kuvert-bench-recipient-' || i)::uuid,
             (array['Skat', 'Bolig'])[k], timestamptz '2023-01-01'
      from generate_series(10, ${R}::int, 10) i, generate_series(1, 2) k`.execute(db);
  });
  for (let lo = 1; lo <= M; lo += options.chunk) {
    const hi = Math.min(M, lo + options.chunk - 1);
    await timed(log, `mailbox_item for letters ${lo}–${hi}`, () =>
      sql`
        with s as (
          select n, h4 % 2000 as p,
                 ${TIMELINE_END}::timestamptz - make_interval(secs => (${M}::bigint - n) * ${step}::float8) as t,
                 case when h1 % 1000 < 75 then 1 + (h2 % ${heavy}::bigint) * ${Math.floor(R / heavy)}::bigint
                      else 1 + h2 % ${R}::bigint end as r
          from (select n, hashint8extended(n, 1) & 2147483647 as h1, hashint8extended(n, 2) & 2147483647 as h2,
                       hashint8extended(n, 4) & 2147483647 as h4
                from generate_series(${lo}::bigint, ${hi}::bigint) n) x
        ), f as (
          select n, t, r, case when p < 60 then 'archive' when p < 80 then 'trash'
                               when p < 90 and r % 10 = 0 then 'user' when p < 90 then 'archive' else 'inbox' end as folder
          from s where p < 100
        )
        insert into mailbox_item (message_id, mailbox_id, available_at, folder, folder_id, unread, trashed_from,
                                  trashed_at, updated_at)
        select md5('kuvert-bench-message-' || n)::uuid, md5('kuvert-bench-recipient-' || r)::uuid, t, folder,
               case when folder = 'user' then md5('kuvert-bench-folder-' || r || '-' || (1 + n % 2))::uuid end,
               case when folder = 'inbox' then true end,
               case when folder = 'trash' then 'inbox' end,
               case when folder = 'trash' then t + interval '2 days' end,
               t + interval '1 day'
        from f`.execute(db),
    );
  }
}
