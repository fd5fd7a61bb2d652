import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createPerson, createSender, tinyPdf } from '../../../test/support/fixtures.ts';
import { startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';
import type { Actor } from '../../kernel/actor.ts';
import { publicEvidenceKeys, recordAudit, verifyAuditExport } from '../audit/index.ts';
import { createSession } from '../identity/session.ts';
import { deliverMessage } from '../messages/deliver-message.ts';
import { sendMessage } from '../messages/send-message.ts';
import { buildMailboxExport, exportBuildingDir, exportsDir } from './build-export.ts';
import { expireMailboxExports } from './expire-exports.ts';

let kuvert: TestKuvert;
let sender: Awaited<ReturnType<typeof createSender>>;
let scratch: string;

interface Who {
  id: string;
  cookie: string;
  csrf: string;
}

async function citizen(cpr: string, name: string): Promise<Who> {
  const person = await createPerson(kuvert.services.db, cpr, name);
  const actor: Actor = { kind: 'citizen', subject: `test-${cpr}`, name, recipientId: person.id };
  const { sessionId, csrfToken } = await createSession(kuvert.services.db, actor, null);
  return { id: person.id, cookie: `kuvert_session=${sessionId}`, csrf: csrfToken };
}

/** Looking at another's mailbox: the switcher's cookie. */
const viewing = (who: Who, mailboxId: string): Who => ({
  ...who,
  cookie: `${who.cookie}; kuvert_mailbox=${mailboxId}`,
});

async function get(urlPath: string, who: Who) {
  const response = await fetch(`${kuvert.url}${urlPath}`, { headers: { cookie: who.cookie }, redirect: 'manual' });
  const bytes = Buffer.from(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, text: bytes.toString('utf8'), bytes };
}

async function post(urlPath: string, who: Who) {
  const response = await fetch(`${kuvert.url}${urlPath}`, {
    method: 'POST',
    headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: who.csrf }),
    redirect: 'manual',
  });
  return { status: response.status, location: response.headers.get('location'), text: await response.text() };
}

type MediaType = 'application/pdf' | 'text/html' | 'text/plain';
const doc = (filename: string, mediaType: MediaType, bytes: Buffer, title = filename) => ({
  title,
  filename,
  mediaType,
  content: bytes.toString('base64'),
});

async function deliver(cpr: string, label: string, documents: ReturnType<typeof doc>[], legal = false) {
  const sent = await sendMessage(
    kuvert.services,
    { senderId: sender.id, apiKeyId: sender.apiKeyId },
    {
      recipient: cpr.length === 8 ? { cvr: cpr } : { cpr },
      label,
      documents,
      ...(legal ? { legalNotification: true } : {}),
    },
  );
  await deliverMessage(kuvert.services, { messageId: sent.id });
  return sent.id;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const exportRows = async (mailboxId: string) =>
  kuvert.services.db.selectFrom('mailbox_export').selectAll().where('mailbox_id', '=', mailboxId).execute();
const auditCount = async (action: string, subjectId: string) =>
  Number(
    (
      await sql<{ n: string }>`select count(*)::text as n from audit_event where action = ${action}
        and subject_id = ${subjectId}`.execute(kuvert.services.db)
    ).rows[0]?.n,
  );

/** The zip's entry names and a way to read one (unzip, from Info-ZIP: a reader we do not write ourselves). */
function openZip(bytes: Buffer) {
  const file = path.join(scratch, `${randomUUID()}.zip`);
  writeFileSync(file, bytes);
  const names = execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' }).split('\n').filter(Boolean);
  // unzip takes wildcards in names: escape them so the entry is read as named.
  const read = (name: string) => execFileSync('unzip', ['-p', file, name.replace(/[[\]*?]/g, '[$&]')]);
  execFileSync('unzip', ['-tq', file]); // every entry's CRC checks out
  return { names, read };
}

interface IndexLetter {
  id: string;
  subject: string;
  sender: string;
  folder: { kind: string; name: string };
  read: boolean;
  documentsWithheld: string | null;
  directory: string;
  documents: { file: string; sha256: string; originalSha256?: string; mediaType: string }[];
}

before(async () => {
  kuvert = await startTestKuvert({ worker: false });
  sender = await createSender(kuvert.services.db, 'Skattestyrelsen');
  scratch = mkdtempSync(path.join(os.tmpdir(), 'kuvert-export-test-'));
});
after(async () => {
  await kuvert?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('export of a whole mailbox', () => {
  const ANNA = '1503851234';
  let anna: Who;
  const letters = {} as Record<'tax' | 'copy' | 'html' | 'legal' | 'odd' | 'gone', string>;
  const bilag = Buffer.from('Bilag til årsopgørelsen\n', 'utf8');
  const html = '<p>Velkommen</p><script>alert("x")</script>';

  before(async () => {
    anna = await citizen(ANNA, 'Anna Jensen');
    const db = kuvert.services.db;
    letters.tax = await deliver(ANNA, 'Årsopgørelse 2026', [
      doc('brev.pdf', 'application/pdf', tinyPdf),
      doc('bilag.txt', 'text/plain', bilag),
    ]);
    // The same PDF in another letter: the store keeps it once, the export gives each letter its copy.
    letters.copy = await deliver(ANNA, 'Kopi af årsopgørelsen', [doc('brev.pdf', 'application/pdf', tinyPdf)]);
    letters.html = await deliver(ANNA, 'Velkommen', [doc('velkommen.html', 'text/html', Buffer.from(html))]);
    letters.legal = await deliver(ANNA, 'Afgørelse', [doc('afgoerelse.pdf', 'application/pdf', tinyPdf)], true);
    letters.odd = await deliver(ANNA, '=HYPERLINK("x")/../Rykker', [doc('rykker.txt', 'text/plain', bilag)]);
    letters.gone = await deliver(ANNA, 'Slettet for altid', [doc('slettet.txt', 'text/plain', bilag)]);
    // A user folder whose name needs cleaning, and one named like a system folder.
    const folder = await db
      .insertInto('mailbox_folder')
      .values({ mailbox_id: anna.id, name: 'Skat: 2026/27' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const inboxNamed = await db
      .insertInto('mailbox_folder')
      .values({ mailbox_id: anna.id, name: 'Indbakke' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const place = async (id: string, values: Record<string, unknown>) =>
      sql`insert into mailbox_item (message_id, mailbox_id, available_at, folder, folder_id, unread)
          select id, recipient_id, available_at, ${values.folder as string}, ${(values.folderId as string) ?? null},
                 ${(values.unread as boolean) ?? null}
            from message where id = ${id}`.execute(db);
    await place(letters.copy, { folder: 'user', folderId: folder.id });
    await place(letters.odd, { folder: 'user', folderId: inboxNamed.id });
    await place(letters.gone, { folder: 'deleted' });
    await place(letters.html, { folder: 'archive', unread: false });
    await recordAudit(db, {
      actorKind: 'citizen',
      actorId: anna.id,
      action: 'message.open',
      subjectType: 'message',
      subjectId: letters.tax,
      mailboxRecipientId: anna.id,
    });
  });

  test('the owner requests an export; the job builds a zip of every letter, its documents, the index and the activity log', async () => {
    const none = await get('/post/eksport', anna);
    assert.equal(none.status, 200);
    assert.match(none.text, /Hent hele din postkasse/);
    assert.match(none.text, /Du har ikke bestilt nogen eksport endnu/);
    assert.doesNotMatch(none.text, /http-equiv="refresh"/);
    assert.match(none.text, /href="\/post\/eksport"/, 'the menu offers the page to the owner');

    const requested = await post('/post/eksport', anna);
    assert.equal(requested.status, 303, requested.text);
    assert.equal(requested.location, '/post/eksport?ok=1');
    const [row] = await exportRows(anna.id);
    assert.ok(row);
    assert.equal(row.state, 'queued');
    assert.equal(row.requested_by, anna.id);
    assert.equal(await auditCount('mailbox.export.request', row.id), 1);
    const jobs = await sql<{ n: string }>`select count(*)::text as n from graphile_worker.jobs
      where task_identifier = 'mailbox.export-build' and key = ${`mailbox.export-build:${row.id}`}`.execute(
      kuvert.services.db,
    );
    assert.equal(jobs.rows[0]?.n, '1', 'the building job is queued with the row');

    const queued = await get('/post/eksport?ok=1', anna);
    assert.match(queued.text, /Eksporten er bestilt/);
    assert.match(queued.text, /<meta http-equiv="refresh" content="5"/, 'the page refreshes itself while it waits');
    assert.match(queued.text, /Venter på at gå i gang/);
    assert.doesNotMatch(queued.text, /Bestil (eksport|en ny)/, 'no second request while one is queued');

    // Progress is saved after each page of letters (2 per page: 2, 4, 5 of the 5 letters the mailbox shows).
    const seen: { done: number; total: number | null; page: string }[] = [];
    const result = await buildMailboxExport(kuvert.services, row.id, {
      pageSize: 2,
      afterPage: async () => {
        const [now] = await exportRows(anna.id);
        seen.push({ done: now?.letters_done ?? -1, total: now?.letters_total ?? null, page: '' });
        if (seen.length === 1) {
          const page = await get('/post/eksport', anna);
          assert.match(page.text, /2 af 5 breve/);
          assert.match(page.text, /<progress max="100" value="40"/);
          assert.match(page.text, /http-equiv="refresh"/);
        }
      },
    });
    assert.equal(result, 'ready');
    assert.deepEqual(
      seen.map((s) => [s.done, s.total]),
      [
        [2, 5],
        [4, 5],
        [5, 5],
      ],
    );
    const [ready] = await exportRows(anna.id);
    assert.ok(ready);
    assert.equal(ready.state, 'ready');
    assert.equal(ready.letters_done, 5);
    assert.equal((ready.expires_at as Date).getTime() - (ready.ready_at as Date).getTime(), 7 * 24 * 3600 * 1000);
    assert.deepEqual(readdirSync(exportBuildingDir(kuvert.services)), [], 'nothing left in the building folder');

    const page = await get('/post/eksport', anna);
    assert.match(page.text, /Din eksport er klar/);
    assert.match(page.text, new RegExp(`href="/post/eksport/${row.id}/hent"`));
    assert.match(page.text, /Filen kan hentes indtil/);
    assert.doesNotMatch(page.text, /http-equiv="refresh"/, 'a finished export stops refreshing');

    const download = await get(`/post/eksport/${row.id}/hent`, anna);
    assert.equal(download.status, 200);
    assert.equal(download.headers.get('content-type'), 'application/zip');
    assert.match(
      download.headers.get('content-disposition') ?? '',
      /^attachment; filename="postkasse-\d{4}-\d{2}-\d{2}\.zip"/,
    );
    assert.equal(download.headers.get('cache-control'), 'private, no-store');
    assert.equal(await auditCount('mailbox.export.download', row.id), 1, 'each download is recorded');

    const zip = openZip(download.bytes);
    for (const name of [
      'README.txt',
      'index.json',
      'index.csv',
      'activity.json',
      'activity.csv',
      'activity.signed.json',
    ]) {
      assert.ok(zip.names.includes(name), name);
    }
    assert.equal(new Set(zip.names.map((n) => n.toLowerCase())).size, zip.names.length, 'names are unique');
    for (const name of zip.names) {
      assert.ok(!name.split('/').some((part) => part === '..' || part === '.'), `no path tricks: ${name}`);
    }

    const index = JSON.parse(zip.read('index.json').toString('utf8')) as {
      format: string;
      mailbox: { id: string; name: string };
      letters: IndexLetter[];
    };
    assert.equal(index.format, 'kuvert-mailbox-export/1');
    assert.equal(index.mailbox.name, 'Anna Jensen');
    const byId = new Map(index.letters.map((l) => [l.id, l]));
    assert.deepEqual(
      [...byId.keys()].sort(),
      [letters.tax, letters.copy, letters.html, letters.legal, letters.odd].sort(),
      'every letter the mailbox shows, none deleted for good',
    );

    // Documents: in the letter's directory, byte for byte, with their SHA-256; a shared document in both letters.
    const tax = byId.get(letters.tax) as IndexLetter;
    assert.equal(tax.sender, 'Skattestyrelsen');
    assert.equal(tax.folder.kind, 'inbox');
    assert.match(tax.directory, /^letters\/Indbakke\/\d{4}-\d{2}-\d{2} Årsopgørelse 2026 [0-9a-f]{8}$/);
    assert.deepEqual(
      tax.documents.map((d) => d.file),
      [`${tax.directory}/brev.pdf`, `${tax.directory}/bilag.txt`],
    );
    assert.deepEqual(zip.read(`${tax.directory}/brev.pdf`), tinyPdf);
    assert.equal(tax.documents[0]?.sha256, sha256(tinyPdf));
    assert.deepEqual(zip.read(`${tax.directory}/bilag.txt`), bilag);
    const copy = byId.get(letters.copy) as IndexLetter;
    assert.equal(copy.folder.name, 'Skat: 2026/27');
    assert.match(copy.directory, /^letters\/Skat_ 2026_27\//, 'folder names are cleaned for the file system');
    assert.deepEqual(zip.read(copy.documents[0]?.file as string), tinyPdf);
    assert.equal(copy.documents[0]?.sha256, tax.documents[0]?.sha256);

    // A user folder called "Indbakke" gets its own directory, and the subject's slashes do not make directories.
    const odd = byId.get(letters.odd) as IndexLetter;
    assert.match(
      odd.directory,
      /^letters\/Indbakke \(2\)\/\d{4}-\d{2}-\d{2} =HYPERLINK\(_x_\)_\.\._Rykker [0-9a-f]{8}$/,
    );

    // HTML as the mailbox gives it out: sanitised, with the SHA-256 of what is in the zip and of the original.
    const welcome = byId.get(letters.html) as IndexLetter;
    assert.equal(welcome.folder.kind, 'archive');
    assert.equal(welcome.read, true);
    const htmlBytes = zip.read(welcome.documents[0]?.file as string);
    assert.doesNotMatch(htmlBytes.toString('utf8'), /<script/);
    assert.match(htmlBytes.toString('utf8'), /Velkommen/);
    assert.equal(welcome.documents[0]?.sha256, sha256(htmlBytes));
    assert.equal(welcome.documents[0]?.originalSha256, sha256(Buffer.from(html)));

    // An unopened legal notification is listed without its documents (it is served when opened in the mailbox).
    const legal = byId.get(letters.legal) as IndexLetter;
    assert.equal(legal.documentsWithheld, 'legal_notification_not_opened');
    assert.deepEqual(legal.documents, []);
    assert.ok(!zip.names.some((n) => n.startsWith(`${legal.directory}/`)));
    assert.equal(tax.read, false);

    // The CSV: one line per document, formulas defused, the same files and hashes.
    const csv = zip
      .read('index.csv')
      .toString('utf8')
      .replace(/^\ufeff/, '');
    const [header, ...lines] = csv.trim().split('\r\n');
    assert.match(
      header as string,
      /^letter_id,sender,sender_reference,subject,received_at,available_at,first_read_at,folder,read/,
    );
    assert.equal(lines.length, 6, '2 + 1 + 1 + 1 document lines and one line for the letter without documents');
    assert.ok(lines.some((l) => l.includes(`${tax.directory}/brev.pdf`) && l.endsWith(sha256(tinyPdf))));
    assert.ok(
      lines.some((l) => l.includes(`"'=HYPERLINK(""x"")/../Rykker"`)),
      'a formula is not run by a spreadsheet',
    );

    // The activity log as the owner's activity page words it.
    const activity = JSON.parse(zip.read('activity.json').toString('utf8')) as {
      events: { what: string; who: string; detail: { letterId: string | null } }[];
    };
    const opened = activity.events.find((e) => e.detail.letterId === letters.tax);
    assert.ok(opened, 'the reading of the letter is in the log');
    assert.match(opened.what, /Årsopgørelse 2026/);
    assert.match(zip.read('activity.csv').toString('utf8'), /Årsopgørelse 2026/);
    assert.match(zip.read('README.txt').toString('utf8'), /Anna Jensen/);
    // The signed audit chain verifies against Kuvert's published keys, as `kuvert audit verify --file` checks it.
    const signed = JSON.parse(zip.read('activity.signed.json').toString('utf8'));
    assert.deepEqual(await verifyAuditExport(signed, await publicEvidenceKeys(kuvert.services.db)), []);
    assert.ok(signed.events.length > 0);
    assert.ok(activity.events.some((e) => e.what === 'Bestilte en eksport af hele postkassen'));

    // The owner (and a business's other administrators) see the request and the download in the activity log.
    const log = await get('/post/aktivitet', anna);
    assert.match(log.text, /Bestilte en eksport af hele postkassen/);
    assert.match(log.text, /Hentede eksporten af hele postkassen/);
  });

  test('one export at a time: a second request while one runs is 409 with a clear message, and stores nothing', async () => {
    const first = await post('/post/eksport', anna);
    assert.equal(first.status, 303);
    const before = await exportRows(anna.id);
    const second = await post('/post/eksport', anna);
    assert.equal(second.status, 409);
    assert.match(second.text, /Der er allerede en eksport i gang/);
    assert.equal((await exportRows(anna.id)).length, before.length);
    const running = before.find((r) => r.state === 'queued');
    assert.ok(running);
    // Not ready yet: no download.
    assert.equal((await get(`/post/eksport/${running.id}/hent`, anna)).status, 409);
    // A crash mid-build leaves a running row and half a zip: the next try starts over cleanly.
    await sql`update mailbox_export set state = 'running', letters_done = 3 where id = ${running.id}`.execute(
      kuvert.services.db,
    );
    const building = exportBuildingDir(kuvert.services);
    mkdirSync(building, { recursive: true });
    writeFileSync(path.join(building, `${running.id}.zip.part`), 'half a zip');
    writeFileSync(path.join(building, `${running.id}.index.json.part`), '{"letters":[');
    assert.equal(await buildMailboxExport(kuvert.services, running.id), 'ready');
    assert.deepEqual(readdirSync(building), []);
    const download = await get(`/post/eksport/${running.id}/hent`, anna);
    const zip = openZip(download.bytes);
    const index = JSON.parse(zip.read('index.json').toString('utf8')) as { letters: unknown[] };
    assert.equal(index.letters.length, 5);
    // A job that runs again for a finished export does nothing.
    assert.equal(await buildMailboxExport(kuvert.services, running.id), 'skipped');
  });

  test('after 7 days the export is deleted and marked expired; a download is then 410', async () => {
    const ready = (await exportRows(anna.id)).filter((r) => r.state === 'ready');
    assert.ok(ready.length >= 1);
    const files = ready.map((r) => path.join(exportsDir(kuvert.services), r.file_name as string));
    for (const file of files) assert.ok(existsSync(file));
    // Leftovers of crashes: a building file of no running export, and a finished zip no row names.
    const building = exportBuildingDir(kuvert.services);
    const strayPart = path.join(building, `${randomUUID()}.zip.part`);
    writeFileSync(strayPart, 'x');
    const strayZip = path.join(exportsDir(kuvert.services), `${randomUUID()}.zip`);
    writeFileSync(strayZip, 'x');
    const old = new Date(Date.now() - 2 * 3600 * 1000);
    utimesSync(strayZip, old, old);

    const early = await expireMailboxExports(kuvert.services, new Date());
    assert.equal(early.expired, 0, 'nothing expires before its time');
    assert.equal(early.orphans, 2);
    assert.ok(!existsSync(strayPart) && !existsSync(strayZip));
    for (const file of files) assert.ok(existsSync(file));

    const later = new Date(Date.now() + 7 * 24 * 3600 * 1000 + 60_000);
    const result = await expireMailboxExports(kuvert.services, later);
    assert.equal(result.expired, ready.length);
    for (const file of files) assert.ok(!existsSync(file), 'the file is deleted');
    for (const r of ready) {
      const [row] = await kuvert.services.db.selectFrom('mailbox_export').selectAll().where('id', '=', r.id).execute();
      assert.equal(row?.state, 'expired');
      assert.equal(row?.file_name, null);
      assert.equal(await auditCount('mailbox.export.expire', r.id), 1);
      assert.equal((await get(`/post/eksport/${r.id}/hent`, anna)).status, 410);
    }
    const page = await get('/post/eksport', anna);
    assert.match(page.text, /Udløbet og slettet/);
    assert.match(page.text, /Bestil en ny eksport/);
  });
});

describe('only the owner exports', () => {
  const CARL = '0101901235';
  let carl: Who;
  let dora: Who;
  let carlsExport: string;

  before(async () => {
    carl = await citizen(CARL, 'Carl Hansen');
    dora = await citizen('0202902346', 'Dora Holm');
    await deliver(CARL, 'Carls brev', [doc('brev.pdf', 'application/pdf', tinyPdf)]);
    const requested = await post('/post/eksport', carl);
    assert.equal(requested.status, 303);
    const [row] = await exportRows(carl.id);
    carlsExport = row?.id as string;
    assert.equal(await buildMailboxExport(kuvert.services, carlsExport), 'ready');
  });

  const grant = async (kind: string, level: string) => {
    const row = await kuvert.services.db
      .insertInto('mailbox_access')
      .values({
        mailbox_id: carl.id,
        grantee_id: dora.id,
        kind: kind as 'grant',
        level: level as 'read',
        created_by_kind: 'citizen',
        created_by_id: carl.id,
        document_reference: kind === 'power_of_attorney' ? 'Fuldmagt 1' : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return async () => {
      await kuvert.services.db.deleteFrom('mailbox_access').where('id', '=', row.id).execute();
    };
  };

  for (const [kind, level] of [
    ['grant', 'read'],
    ['grant', 'read_write'],
    ['power_of_attorney', 'read_write'],
  ] as const) {
    test(`${kind} with ${level} access gets 403, sees no link, and nothing is created`, async () => {
      const revoke = await grant(kind, level);
      try {
        const doraAtCarl = viewing(dora, carl.id);
        const inbox = await get('/post', doraAtCarl);
        assert.equal(inbox.status, 200);
        assert.match(inbox.text, /Carl Hansen/, "she is looking at Carl's mailbox");
        assert.doesNotMatch(inbox.text, /href="\/post\/eksport"/);
        const before = (await exportRows(carl.id)).length;
        assert.equal((await get('/post/eksport', doraAtCarl)).status, 403);
        assert.equal((await post('/post/eksport', doraAtCarl)).status, 403);
        const download = await get(`/post/eksport/${carlsExport}/hent`, doraAtCarl);
        assert.equal(download.status, 403);
        assert.notEqual(download.headers.get('content-type'), 'application/zip');
        assert.equal((await exportRows(carl.id)).length, before);
        assert.equal((await exportRows(dora.id)).length, 0);
        assert.equal(await auditCount('mailbox.export.download', carlsExport), 0);
      } finally {
        await revoke();
      }
    });
  }

  test("another owner cannot download someone else's export by its id: 404", async () => {
    const download = await get(`/post/eksport/${carlsExport}/hent`, dora);
    assert.equal(download.status, 404);
    assert.equal((await get('/post/eksport/not-an-id/hent', dora)).status, 404);
  });

  test('without a CSRF token the request is refused and nothing is created', async () => {
    const before = (await exportRows(dora.id)).length;
    const response = await fetch(`${kuvert.url}/post/eksport`, {
      method: 'POST',
      headers: { cookie: dora.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
      redirect: 'manual',
    });
    assert.equal(response.status, 403);
    assert.equal((await exportRows(dora.id)).length, before);
  });

  test('a build whose document is missing fails on its last try, cleans up, and a new export can be requested', async () => {
    const requested = await post('/post/eksport', dora);
    assert.equal(requested.status, 303);
    // The missing document is not the letter's last: the zip must fail at once, not wait for it.
    await deliver('0202902346', 'Doras brev', [
      doc('doras.txt', 'text/plain', Buffer.from('Dora unik tekst\n')),
      doc('bilag.txt', 'text/plain', Buffer.from('Et bilag, der findes\n')),
    ]);
    const [row] = await exportRows(dora.id);
    const id = row?.id as string;
    const missing = sha256(Buffer.from('Dora unik tekst\n'));
    const stored = path.join(
      kuvert.services.config.dataDir,
      'documents',
      missing.slice(0, 2),
      missing.slice(2, 4),
      missing,
    );
    rmSync(stored);
    await assert.rejects(buildMailboxExport(kuvert.services, id, { lastAttempt: false }));
    assert.equal((await exportRows(dora.id))[0]?.state, 'running', 'another try will come');
    await assert.rejects(buildMailboxExport(kuvert.services, id, { lastAttempt: true }));
    assert.equal((await exportRows(dora.id))[0]?.state, 'failed');
    assert.deepEqual(readdirSync(exportBuildingDir(kuvert.services)), []);
    const page = await get('/post/eksport', dora);
    assert.match(page.text, /Eksporten kunne ikke laves/);
    assert.equal((await post('/post/eksport', dora)).status, 303, 'a failed export does not block a new one');
  });
});

describe('integrity', () => {
  test('a stored document whose bytes no longer match its SHA-256 fails the build instead of shipping', async () => {
    const gustav = await citizen('0505905679', 'Gustav Berg');
    const text = Buffer.from('Gustavs eget brev\n');
    await deliver('0505905679', 'Gustavs brev', [doc('gustav.txt', 'text/plain', text)]);
    const hash = sha256(text);
    const stored = path.join(kuvert.services.config.dataDir, 'documents', hash.slice(0, 2), hash.slice(2, 4), hash);
    writeFileSync(stored, 'Ændret på disken\n');
    assert.equal((await post('/post/eksport', gustav)).status, 303);
    const [row] = await exportRows(gustav.id);
    await assert.rejects(
      buildMailboxExport(kuvert.services, row?.id as string, { lastAttempt: true }),
      /does not match/,
    );
    assert.equal((await exportRows(gustav.id))[0]?.state, 'failed');
    assert.ok(!existsSync(path.join(exportsDir(kuvert.services), `${row?.id}.zip`)));
  });
});

describe('a business mailbox', () => {
  test('its administrator exports it; an employee with read/write access cannot (403, nothing created)', async () => {
    const db = kuvert.services.db;
    const firm = await db
      .insertInto('recipient')
      .values({ kind: 'business', cvr: '12345674', name: 'Jensen Design ApS', municipality_code: '0101' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const admin = await citizen('0303903457', 'Erik Admin');
    const employee = await citizen('0404904568', 'Frida Ansat');
    for (const [who, level] of [
      [admin, 'owner'],
      [employee, 'read_write'],
    ] as const) {
      await db
        .insertInto('mailbox_access')
        .values({
          mailbox_id: firm.id,
          grantee_id: who.id,
          kind: 'business',
          level,
          created_by_kind: 'test',
          created_by_id: 'test',
        })
        .execute();
    }
    await deliver('12345674', 'Momsangivelse', [doc('moms.pdf', 'application/pdf', tinyPdf)]);

    const employeeAtFirm = viewing(employee, firm.id);
    assert.equal((await post('/post/eksport', employeeAtFirm)).status, 403);
    assert.equal((await get('/post/eksport', employeeAtFirm)).status, 403);
    assert.equal((await exportRows(firm.id)).length, 0);

    const adminAtFirm = viewing(admin, firm.id);
    const page = await get('/post/eksport', adminAtFirm);
    assert.equal(page.status, 200);
    assert.match(page.text, /Bestil eksport af hele postkassen/);
    assert.equal((await post('/post/eksport', adminAtFirm)).status, 303);
    const [row] = await exportRows(firm.id);
    assert.equal(row?.requested_by, admin.id);
    assert.equal(await buildMailboxExport(kuvert.services, row?.id as string), 'ready');
    const zip = openZip((await get(`/post/eksport/${row?.id}/hent`, adminAtFirm)).bytes);
    const index = JSON.parse(zip.read('index.json').toString('utf8')) as {
      mailbox: { kind: string; name: string };
      letters: { subject: string }[];
    };
    assert.deepEqual(
      index.letters.map((l) => l.subject),
      ['Momsangivelse'],
    );
    assert.deepEqual(
      { kind: index.mailbox.kind, name: index.mailbox.name },
      { kind: 'business', name: 'Jensen Design ApS' },
    );
    // The employee cannot fetch the administrator's export either.
    assert.equal((await get(`/post/eksport/${row?.id}/hent`, employeeAtFirm)).status, 403);
  });
});
