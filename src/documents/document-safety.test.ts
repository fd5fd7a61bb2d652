import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { utimes } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { memoXml } from '../../test/support/batches.ts';
import { citizen, getPage, postMultipart, sendLetter } from '../../test/support/correspondence.ts';
import { closedPort, EICAR, startFakeClamd } from '../../test/support/fake-clamd.ts';
import { createSender, letterBody, tinyPdf } from '../../test/support/fixtures.ts';
import { startTestKuvert, type TestKuvert } from '../../test/support/kuvert.ts';
import { contentDisposition, safeFilename } from '../http/content-disposition.ts';
import { ClamdScanner, createDocumentScanner, ScannerUnavailableError } from './document-scanner.ts';
import { sha256Hex } from './document-store.ts';
import { loadDocumentsConfig } from './documents.config.ts';
import { sweepOrphanDocuments } from './sweep-documents.ts';
import { fileNameProblem } from './validate-document.ts';

const ANNA = '1503851234';
const HOUR = 3600_000;

let kuvert: TestKuvert;
let sender: Awaited<ReturnType<typeof createSender>>;
let anna: Awaited<ReturnType<typeof citizen>>;

before(async () => {
  kuvert = await startTestKuvert();
  sender = await createSender(kuvert.services.db, 'Københavns Kommune');
  anna = await citizen(kuvert, ANNA, 'Anna Jensen');
});
after(async () => kuvert?.stop());

/** A real PDF (tinyPdf) made unique by a comment before its end. */
const uniquePdf = () =>
  Buffer.concat([tinyPdf.subarray(0, tinyPdf.length - 6), Buffer.from(`% ${randomUUID()}\n%%EOF\n`)]);

const pdfDoc = (filename: string, bytes: Buffer, mediaType = 'application/pdf') => ({
  title: 'Dokument',
  filename,
  mediaType,
  content: bytes.toString('base64'),
});

async function send(body: unknown, contentType = 'application/json') {
  const response = await fetch(`${kuvert.url}/api/v1/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sender.apiKey}`, 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const storedPath = (sha: string) =>
  path.join(kuvert.services.config.dataDir, 'documents', sha.slice(0, 2), sha.slice(2, 4), sha);
const isStored = (bytes: Buffer) => existsSync(storedPath(sha256Hex(bytes)));
const storedCount = () => {
  const walk = (dir: string): number => {
    try {
      return readdirSync(dir, { withFileTypes: true }).reduce(
        (n, e) => n + (e.isDirectory() ? walk(path.join(dir, e.name)) : 1),
        0,
      );
    } catch {
      return 0;
    }
  };
  return walk(path.join(kuvert.services.config.dataDir, 'documents'));
};
const codeOf = (body: Record<string, unknown>) => (body.errors as { code: string; field: string }[] | undefined)?.[0];

describe('files only with rows', () => {
  test('a letter whose transaction fails leaves a file the sweeper removes; a file another letter names stays', async () => {
    await sql`
      create function test_fail_letter() returns trigger language plpgsql as $$
      begin
        if new.label = 'Fejler' then raise exception 'forced failure after the bytes were written'; end if;
        return new;
      end $$;
      create trigger test_fail_letter before insert on message for each row execute function test_fail_letter();
    `.execute(kuvert.services.db);
    const shared = uniquePdf();
    const own = uniquePdf();
    const ok = await send(letterBody(ANNA, { documents: [pdfDoc('faelles.pdf', shared)] }));
    assert.equal(ok.status, 201, JSON.stringify(ok.body));

    const failed = await send(
      letterBody(ANNA, {
        label: 'Fejler',
        documents: [pdfDoc('eget.pdf', own), pdfDoc('faelles.pdf', shared, 'application/pdf')],
      }),
    );
    assert.equal(failed.status, 500);
    assert.ok(isStored(own), 'the bytes were written before the transaction failed');
    const row = await kuvert.services.db
      .selectFrom('document')
      .select('sha256')
      .where('sha256', '=', sha256Hex(own))
      .executeTakeFirst();
    assert.equal(row, undefined, 'no row names the file');

    // Within the grace period nothing goes (a writer may be about to commit).
    await sweepOrphanDocuments(kuvert.services);
    assert.ok(isStored(own));
    const later = new Date(Date.now() + 25 * HOUR);
    const result = await sweepOrphanDocuments(kuvert.services, later);
    assert.ok(result.removed >= 1);
    assert.equal(isStored(own), false, 'the file no row names is gone');
    assert.ok(isStored(shared), 'the file another letter names is kept');
    assert.ok(isStored(tinyPdf) || !(await hasRow(tinyPdf)), 'every file a row names is kept');
  });

  test('a reply whose transaction fails leaves no file after the sweep', async () => {
    await sql`
      create function test_fail_reply() returns trigger language plpgsql as $$
      begin
        if new.subject = 'Fejler' then raise exception 'forced failure after the bytes were written'; end if;
        return new;
      end $$;
      create trigger test_fail_reply before insert on inbound_message for each row execute function test_fail_reply();
    `.execute(kuvert.services.db);
    const letter = await sendLetter(kuvert, sender.apiKey, ANNA, { replyAllowed: true });
    const attachment = uniquePdf();
    const page = await postMultipart(
      kuvert,
      `/post/${letter.id}/svar`,
      anna,
      { formKey: randomUUID(), subject: 'Fejler', body: 'Se vedhæftede.' },
      [{ name: 'bilag.pdf', type: 'application/pdf', bytes: attachment }],
    );
    assert.equal(page.status, 500);
    assert.ok(isStored(attachment));
    await sweepOrphanDocuments(kuvert.services, new Date(Date.now() + 25 * HOUR));
    assert.equal(isStored(attachment), false);
  });

  test('storing bytes already there restarts their grace period, so a re-sent orphan is not swept under its row', async () => {
    const bytes = uniquePdf();
    const sha = await kuvert.services.documents.put(bytes);
    const twoDaysAgo = new Date(Date.now() - 48 * HOUR);
    await utimes(storedPath(sha), twoDaysAgo, twoDaysAgo);
    await kuvert.services.documents.put(bytes); // a new writer of the same content
    await sweepOrphanDocuments(kuvert.services);
    assert.ok(isStored(bytes), 'put again just now: kept');
    await utimes(storedPath(sha), twoDaysAgo, twoDaysAgo);
    await sweepOrphanDocuments(kuvert.services);
    assert.equal(isStored(bytes), false, 'left alone for two days without a row: removed');
  });
});

async function hasRow(bytes: Buffer) {
  return !!(await kuvert.services.db
    .selectFrom('document')
    .select('sha256')
    .where('sha256', '=', sha256Hex(bytes))
    .executeTakeFirst());
}

describe('safe files', () => {
  test('file names must carry their verified type’s extension, never a program’s', () => {
    assert.equal(fileNameProblem('afgoerelse.pdf', 'application/pdf'), null);
    assert.equal(fileNameProblem('Brev.HTM', 'text/html'), null);
    assert.equal(fileNameProblem('foto.jpeg', 'image/jpeg'), null);
    for (const [name, type] of [
      ['kvittering.pdf.exe', 'application/pdf'],
      ['kvittering.bat', 'application/pdf'],
      ['kvittering.vbs', 'text/plain'],
      ['faktura.hta', 'text/html'],
      ['script.js', 'text/plain'],
      ['bilag.exe.pdf', 'application/pdf'],
      ['brev', 'text/plain'],
      ['billede.png', 'image/jpeg'],
    ] as const) {
      assert.equal(fileNameProblem(name, type), 'filename_extension_mismatch', name);
    }
    for (const name of [
      '../../etc/passwd.pdf',
      'a\\b.pdf',
      'x.pdf.',
      'x.pdf ',
      '.pdf',
      'a\u202Efdp.exe.pdf',
      'a\nb.pdf',
    ]) {
      assert.equal(fileNameProblem(name, 'application/pdf'), 'invalid_filename', JSON.stringify(name));
    }
  });

  test('the API refuses executables by name and content: .pdf.exe, .hta, an MZ file with a PDF at offset 64, a PDF that does not parse', async () => {
    const cases: [unknown, number, string, string][] = [
      [pdfDoc('kvittering.pdf.exe', uniquePdf()), 422, 'filename_extension_mismatch', '/documents/0/filename'],
      [
        pdfDoc('faktura.hta', Buffer.from('<html><body>Hej</body></html>'), 'text/html'),
        422,
        'filename_extension_mismatch',
        '/documents/0/filename',
      ],
      [
        pdfDoc('kvittering.pdf', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62), uniquePdf()])),
        422,
        'not_a_pdf',
        '/documents/0/content',
      ],
      [
        pdfDoc('kvittering.pdf', Buffer.from(`%PDF-1.4\n${randomUUID()} no objects at all\n%%EOF\n`)),
        422,
        'not_a_pdf',
        '/documents/0/content',
      ],
    ];
    const before = storedCount();
    for (const [doc, status, code, field] of cases) {
      const answer = await send(letterBody(ANNA, { documents: [doc] }));
      assert.equal(answer.status, status, JSON.stringify(answer.body));
      assert.deepEqual(
        { code: answer.body.code, field: codeOf(answer.body)?.field },
        { code, field },
        JSON.stringify(answer.body),
      );
    }
    assert.equal(storedCount(), before, 'nothing stored');
    const pdfWithSpace = Buffer.concat([Buffer.from('\n \r\n'), uniquePdf()]);
    assert.equal((await send(letterBody(ANNA, { documents: [pdfDoc('brev.pdf', pdfWithSpace)] }))).status, 201);
  });

  test('MeMo file names follow the same rules as JSON: ../../etc/passwd is refused', async () => {
    for (const [name, code] of [
      ['../../etc/passwd', 'invalid_filename'],
      ['Pladsanvisning.pdf.exe', 'filename_extension_mismatch'],
    ] as const) {
      const xml = memoXml(randomUUID(), ANNA).replace('Pladsanvisning.pdf', name);
      const answer = await send(xml, 'application/xml');
      assert.equal(answer.status, 422, JSON.stringify(answer.body));
      assert.equal(answer.body.code, code);
      assert.equal(codeOf(answer.body)?.field, '/MessageBody/MainDocument/File/0/filename');
    }
    assert.equal((await send(memoXml(randomUUID(), ANNA), 'application/xml')).status, 201);
  });

  test('a citizen’s reply with kvittering.bat, .vbs or an MZ "kvittering.pdf.exe" declared PDF is refused and nothing is stored', async () => {
    const letter = await sendLetter(kuvert, sender.apiKey, ANNA, { replyAllowed: true });
    const mz = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62), uniquePdf()]);
    const before = storedCount();
    const inbound = async () =>
      Number(
        (
          await kuvert.services.db
            .selectFrom('inbound_message')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const inboundBefore = await inbound();
    for (const file of [
      { name: 'kvittering.bat', type: 'application/pdf', bytes: uniquePdf() },
      { name: 'kvittering.vbs', type: 'text/plain', bytes: Buffer.from('MsgBox "hej"') },
      { name: 'kvittering.pdf.exe', type: 'application/pdf', bytes: mz },
      { name: 'kvittering.pdf', type: 'application/pdf', bytes: mz },
    ]) {
      const page = await postMultipart(
        kuvert,
        `/post/${letter.id}/svar`,
        anna,
        { formKey: randomUUID(), subject: 'Kvittering', body: 'Se vedhæftede.' },
        [file],
      );
      assert.equal(page.status, 422, file.name);
      assert.match(page.text, /ikke passer til dens indhold|ikke den filtype/, file.name);
    }
    assert.equal(await inbound(), inboundBefore);
    assert.equal(storedCount(), before);
  });

  test('Content-Disposition: odd names become a safe ASCII fallback and an exact RFC 8187 name', () => {
    assert.equal(safeFilename('../../etc/passwd'), 'passwd');
    assert.equal(safeFilename('C:\\Users\\x\\brev.pdf'), 'brev.pdf');
    assert.equal(safeFilename('...'), 'dokument');
    assert.equal(safeFilename('x.pdf.exe. . '), 'x.pdf.exe');
    const header = contentDisposition('attachment', 'Afgørelse "endelig"\r\nSet-Cookie: a=b;\u202Efdp.exe.pdf');
    assert.doesNotMatch(header, /[\p{Cc}\u202e]/u);
    const [, ascii, encoded] = /^attachment; filename="([^"]*)"; filename\*=UTF-8''(\S+)$/.exec(header) ?? [];
    assert.ok(ascii && encoded, header);
    assert.match(ascii, /^[\x20-\x7e]+$/);
    assert.doesNotMatch(ascii, /[";\\]/);
    assert.match(encoded, /^[A-Za-z0-9!#$&+.^_`|~%-]+$/, 'only RFC 8187 attr-chars and percent escapes');
    assert.equal(decodeURIComponent(encoded), 'Afgørelse _endelig___Set-Cookie_ a=b;_fdp.exe.pdf');
    assert.equal(
      contentDisposition('inline', 'Årsopgørelse 2026.pdf'),
      `inline; filename="_rsopg_relse 2026.pdf"; filename*=UTF-8''%C3%85rsopg%C3%B8relse%202026.pdf`,
    );
  });

  test('a stored odd name is downloaded under its sanitised name; a downloaded HTML letter runs no script and loads nothing', async () => {
    const html = Buffer.from(
      '<html><body><p>Kære Anna</p><script>alert(1)</script><img src="https://tracker.example/p.gif">' +
        '<a href="javascript:alert(2)" onclick="alert(3)">her</a></body></html>',
    );
    const letter = await sendLetter(kuvert, sender.apiKey, ANNA, {
      documents: [pdfDoc('brev.html', html, 'text/html'), pdfDoc('bilag.pdf', uniquePdf())],
    });
    // A name from before these rules: kept in the row, never sent as it is.
    await kuvert.services.db
      .updateTable('message_document')
      .set({ filename: '../../evil"\r\nname.pdf' })
      .where('message_id', '=', letter.id)
      .where('position', '=', 1)
      .execute();
    const odd = await getPage(kuvert, `/post/${letter.id}/dokumenter/1?download=1`, anna);
    assert.equal(odd.status, 200);
    assert.equal(
      odd.headers.get('content-disposition'),
      `attachment; filename="evil___name.pdf"; filename*=UTF-8''evil___name.pdf`,
    );

    const download = await getPage(kuvert, `/post/${letter.id}/dokumenter/0?download=1`, anna);
    assert.equal(download.status, 200);
    assert.match(download.headers.get('content-disposition') ?? '', /^attachment; filename="brev\.html"/);
    assert.match(download.text, /Kære Anna/);
    assert.doesNotMatch(download.text, /<script|alert\(|tracker\.example|javascript:|onclick/i);
    assert.match(download.text, /<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
  });
});

describe('malware scanning', () => {
  test('KUVERT_CLAMD_URL selects clamd; the scanner speaks INSTREAM in chunks and reads OK and FOUND', async () => {
    assert.equal(createDocumentScanner(loadDocumentsConfig({})), null);
    assert.throws(() => loadDocumentsConfig({ KUVERT_CLAMD_URL: 'http://clamd:3310' }), /KUVERT_CLAMD_URL/);
    const clamd = await startFakeClamd();
    try {
      const scanner = createDocumentScanner(loadDocumentsConfig({ KUVERT_CLAMD_URL: `tcp://127.0.0.1:${clamd.port}` }));
      assert.ok(scanner instanceof ClamdScanner);
      const big = Buffer.alloc(200_000, 7); // more than one 64 KiB chunk
      assert.deepEqual(await scanner.scan(big), { infected: false });
      assert.deepEqual(clamd.streams.at(-1), big, 'clamd received exactly the bytes');
      assert.deepEqual(await scanner.scan(Buffer.concat([Buffer.from('hej '), EICAR])), {
        infected: true,
        signature: 'Eicar-Test-Signature',
      });
    } finally {
      await clamd.stop();
    }
    const nobody = new ClamdScanner({ host: '127.0.0.1', port: await closedPort(), timeoutMs: 5000 });
    await assert.rejects(nobody.scan(Buffer.from('x')), ScannerUnavailableError);
  });

  test('an infected document is 422 document_infected, an unreachable scanner 503; nothing is stored either way', async () => {
    const clamd = await startFakeClamd();
    const original = kuvert.services.scanner;
    try {
      kuvert.services.scanner = new ClamdScanner({ host: '127.0.0.1', port: clamd.port, timeoutMs: 5000 });
      const infected = Buffer.concat([Buffer.from(`Kære Anna ${randomUUID()}\n`), EICAR]);
      const before = storedCount();
      const refused = await send(letterBody(ANNA, { documents: [pdfDoc('brev.txt', infected, 'text/plain')] }));
      assert.equal(refused.status, 422, JSON.stringify(refused.body));
      assert.equal(refused.body.code, 'document_infected');
      assert.equal(codeOf(refused.body)?.field, '/documents/0/content');
      assert.equal(storedCount(), before);
      assert.equal(isStored(infected), false);

      const clean = uniquePdf();
      assert.equal((await send(letterBody(ANNA, { documents: [pdfDoc('brev.pdf', clean)] }))).status, 201);
      assert.ok(
        clamd.streams.some((s) => s.equals(clean)),
        'the clean letter was scanned',
      );

      const letter = await sendLetter(kuvert, sender.apiKey, ANNA, { replyAllowed: true });
      const reply = await postMultipart(
        kuvert,
        `/post/${letter.id}/svar`,
        anna,
        { formKey: randomUUID(), subject: 'Svar', body: 'Se vedhæftede.' },
        [{ name: 'svar.txt', type: 'text/plain', bytes: infected }],
      );
      assert.equal(reply.status, 422);
      assert.match(reply.text, /indeholder skadelig kode/);

      kuvert.services.scanner = new ClamdScanner({ host: '127.0.0.1', port: await closedPort(), timeoutMs: 5000 });
      const unscanned = uniquePdf();
      const down = await send(letterBody(ANNA, { documents: [pdfDoc('brev.pdf', unscanned)] }));
      assert.equal(down.status, 503, JSON.stringify(down.body));
      assert.equal(down.body.code, 'scanner_unavailable');
      assert.equal(isStored(unscanned), false);
    } finally {
      kuvert.services.scanner = original;
      await clamd.stop();
    }
  });
});
