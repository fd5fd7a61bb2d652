/**
 * Mailbox search under load (issue 16): a real Kuvert server process on a generated database with ordinary
 * mailboxes of 20 letters and one business mailbox of 100,000, searched by logged-in sessions (the business through
 * its administrator's delegation and the mailbox cookie, as the mailbox switcher sets it). Search cost must not grow
 * with the mailbox: the p99 of the big mailbox is reported beside the small one's and /healthz's.
 *
 * Letters get their search data from the delivery trigger (migration 0025) as they are generated; every letter
 * carries one of a few text documents whose extracted text is in mailbox_document_text, as after the index job.
 *
 * Options (defaults): --people 2000 --big 100000 --concurrency 8 --duration 15 (seconds per phase) --warmup 5
 *   --log-level warn
 */
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createSession } from '../src/modules/identity/session.ts';
import { createTestDatabase } from '../test/support/database.ts';
import { type LoadSession, type PhaseResult, runPhase } from './support/load.ts';
import { startKuvertServer } from './support/server.ts';

/** Subjects, notifications and document texts the letters are drawn from (Danish, as authorities write). */
const LABELS = [
  'Du har restskat for 2025',
  'Din årsopgørelse er klar',
  'Ny forskudsopgørelse for 2027',
  'Afgørelse om boligstøtte',
  'Indkaldelse til tandeftersyn',
  'Faktura for affaldsgebyr',
  'Momsangivelse for 3. kvartal',
  'Kvittering for indberetning af løn',
  'Påmindelse om betaling af ejendomsskat',
  'Ændring af pensionsordning',
  'Vaccination mod influenza',
  'Svar på din ansøgning om byggetilladelse',
];
const NOTIFICATIONS = [
  'Betal inden fristen for at undgå rente',
  'Læs brevet og svar senest om 14 dage',
  'Du skal ikke gøre noget',
  'Se vedhæftede dokument for detaljer',
];
const DOCUMENTS = Array.from({ length: 12 }, (_, i) =>
  [
    `Kære modtager. Vi skriver til dig om sag nummer ${1000 + i}.`,
    'Afgørelsen er truffet efter lov om social pension, lov om individuel boligstøtte og skatteforvaltningsloven.',
    'Du kan klage over afgørelsen inden fire uger. Klagen sendes til kommunen, som genvurderer sagen.',
    'Har du spørgsmål, er du velkommen til at kontakte os på telefon eller gennem Digital Post.',
    `Beløbet udbetales den ${(i % 28) + 1}. i måneden til din NemKonto. Med venlig hilsen, sagsbehandleren.`,
  ].join(' '),
);

const SMALL_TERMS = ['skat', 'bolig', 'forskud', 'tandlæge', 'pension', 'klage'];
const BIG_TERMS = ['skat', 'bolig', 'moms', 'tandeftersyn', 'pension', 'klage', 'sag 1007', 'byggetilladelse'];

export async function run(options: Record<string, string>) {
  const people = Number(options.people ?? 2000);
  const big = Number(options.big ?? 100_000);
  const concurrency = Number(options.concurrency ?? 8);
  const durationMs = Number(options.duration ?? 15) * 1000;
  const warmupMs = Number(options.warmup ?? 5) * 1000;
  const log = (line: string) => console.error(`[search bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

  const database = await createTestDatabase();
  const db = database.db;
  const dataDir = path.join(os.tmpdir(), `kuvert-bench-search-${database.name}`);
  let server: Awaited<ReturnType<typeof startKuvertServer>> | null = null;
  try {
    const started = Date.now();
    await sql`
      insert into sender (name, kind)
      select s, 'state' from unnest(${[
        'Skattestyrelsen',
        'Udbetaling Danmark',
        'Københavns Kommune',
        'Region Hovedstaden',
        'Erhvervsstyrelsen',
      ]}::text[]) s`.execute(db);
    await sql`
      insert into document (sha256, media_type, size_bytes)
      select encode(sha256(convert_to(t, 'UTF8')), 'hex'), 'text/plain', octet_length(t)
      from unnest(${DOCUMENTS}::text[]) t`.execute(db);
    await sql`
      insert into mailbox_document_text (sha256, tsv, body)
      select encode(sha256(convert_to(t, 'UTF8')), 'hex'), to_tsvector('simple', t), t
      from unnest(${DOCUMENTS}::text[]) t`.execute(db);
    await sql`
      insert into recipient (kind, cpr, name, enrolment)
      select 'person', lpad(g::text, 10, '0'), 'Person ' || g, 'automatic' from generate_series(1, ${people}) g`.execute(
      db,
    );
    await sql`insert into recipient (kind, cvr, name, enrolment) values ('business', '99999999', 'Stor Virksomhed A/S', 'automatic')`.execute(
      db,
    );
    // Letters in chunks, each chunk one transaction (the search trigger runs at its commit, documents included).
    const insertLetters = async (recipientSql: ReturnType<typeof sql>, from: number, to: number) => {
      await db.transaction().execute(async (tx) => {
        await sql`
          with letters as (
            insert into message (sender_id, recipient_id, message_uuid, content_hash, label, notification, status,
                                 received_at, available_at)
            select (select id from sender order by name offset (g % 5) limit 1), ${recipientSql}, gen_random_uuid(),
                   repeat('0', 64), (${LABELS}::text[])[1 + g % ${LABELS.length}],
                   (${NOTIFICATIONS}::text[])[1 + g % ${NOTIFICATIONS.length}], 'available',
                   now() - g * interval '7 minutes', now() - g * interval '7 minutes'
            from generate_series(${from}::int, ${to}::int) g
            returning id, label)
          insert into message_document (message_id, position, title, filename, media_type, sha256, size_bytes)
          select l.id, 0, 'Brev', 'brev.txt', 'text/plain', d.sha256, d.size_bytes
          from letters l
          join lateral (select sha256, size_bytes from document order by sha256
                        offset (abs(hashtext(l.id::text)) % ${DOCUMENTS.length}) limit 1) d on true`.execute(tx);
      });
    };
    const bigId = (await sql<{ id: string }>`select id from recipient where cvr = '99999999'`.execute(db)).rows[0]?.id;
    if (!bigId) throw new Error('no business');
    for (let from = 1; from <= big; from += 10_000) {
      await insertLetters(sql`${bigId}::uuid`, from, Math.min(big, from + 9_999));
      log(`business mailbox: ${Math.min(big, from + 9_999)} letters`);
    }
    // 20 letters for each person: letter g goes to person 1 + g % people.
    const total = people * 20;
    for (let from = 1; from <= total; from += 10_000) {
      await insertLetters(
        sql`(select id from recipient where cpr = lpad((1 + g % ${people})::text, 10, '0'))`,
        from,
        Math.min(total, from + 9_999),
      );
    }
    await sql`analyze`.execute(db);
    const searchRows = Number(
      (await sql<{ n: string }>`select count(*) as n from mailbox_search`.execute(db)).rows[0]?.n ?? 0,
    );
    const generateSeconds = Math.round((Date.now() - started) / 100) / 10;
    log(`data: ${searchRows} letters with search data in ${generateSeconds} s`);

    // Sessions: people (one each) and the business's administrator (person 1) looking at the business mailbox.
    const persons = await sql<{ id: string; name: string }>`
      select id, name from recipient where kind = 'person' order by cpr limit ${concurrency}`.execute(db);
    const admin = persons.rows[0];
    if (!admin) throw new Error('no people');
    await sql`
      insert into mailbox_access (mailbox_id, grantee_id, kind, level, created_by_kind, created_by_id)
      values (${bigId}, ${admin.id}, 'business', 'owner', 'system', 'bench')`.execute(db);
    const sessionOf = async (person: { id: string; name: string }, mailbox: string | null) => {
      const { sessionId } = await createSession(
        db,
        { kind: 'citizen', subject: `bench-${person.id}`, name: person.name, recipientId: person.id },
        null,
      );
      return { cookie: `kuvert_session=${sessionId}${mailbox ? `; kuvert_mailbox=${mailbox}` : ''}` };
    };
    const small: LoadSession[] = await Promise.all(persons.rows.map((p) => sessionOf(p, null)));
    const bigSessions: LoadSession[] = [];
    for (let i = 0; i < concurrency; i++) bigSessions.push(await sessionOf(admin, bigId));

    server = await startKuvertServer({
      kuvertDir: path.resolve('.'),
      databaseUrl: database.url,
      dataDir,
      logLevel: options['log-level'] ?? 'warn',
    });
    log(`server pid ${server.pid} at ${server.url}`);
    const url = server.url;
    const pathOf = (terms: string[]) => (w: number, n: number) =>
      `/post/soeg?q=${encodeURIComponent(terms[(n + w) % terms.length] as string)}`;

    // Pre-flight: the business mailbox is the one searched, and it finds.
    const probe = await fetch(`${url}/post/soeg?q=skat`, { headers: { cookie: bigSessions[0]?.cookie ?? '' } });
    const probeText = await probe.text();
    const preflight = {
      status: probe.status,
      businessShown: probeText.includes('Stor Virksomhed A/S'),
      hits: (probeText.match(/class="kuvert-search-hit[ "]/g) ?? []).length,
    };
    log(`pre-flight: ${JSON.stringify(preflight)}`);

    const common = { origin: url, serverPid: server.pid, durationMs };
    if (warmupMs > 0) {
      await runPhase({
        ...common,
        name: 'warm-up',
        sessions: bigSessions,
        durationMs: warmupMs,
        nextPath: pathOf(BIG_TERMS),
      });
    }
    const results: PhaseResult[] = [];
    const phase = async (name: string, sessions: LoadSession[], nextPath: (w: number, n: number) => string) => {
      log(`phase ${name}`);
      const result = await runPhase({ ...common, name, sessions, nextPath });
      log(`  p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, ${result.requestsPerSecond}/s`);
      results.push(result);
      return result;
    };
    const healthz = await phase(
      'GET /healthz, no session',
      small.map(() => ({ cookie: '' })),
      () => '/healthz',
    );
    const smallSearch = await phase('search: a 20-letter mailbox', small, pathOf(SMALL_TERMS));
    const bigSearch = await phase(`search: the ${big}-letter business mailbox`, bigSessions, pathOf(BIG_TERMS));
    const ratio = (r: PhaseResult) => ({
      p50: Math.round((r.latencyMs.p50 / healthz.latencyMs.p50) * 10) / 10,
      p99: Math.round((r.latencyMs.p99 / healthz.latencyMs.p99) * 10) / 10,
    });
    return {
      data: { people, lettersPerPerson: 20, businessLetters: big, searchRows, generateSeconds },
      preflight,
      phases: results,
      summary: {
        healthzP99Ms: healthz.latencyMs.p99,
        smallMailboxSearchP99Ms: smallSearch.latencyMs.p99,
        bigMailboxSearchP99Ms: bigSearch.latencyMs.p99,
        bigOverSmallP99: Math.round((bigSearch.latencyMs.p99 / smallSearch.latencyMs.p99) * 10) / 10,
        smallOverHealthz: ratio(smallSearch),
        bigOverHealthz: ratio(bigSearch),
        failures: { small: smallSearch.failures, big: bigSearch.failures },
      },
    };
  } finally {
    await server?.stop();
    await database.drop();
  }
}
