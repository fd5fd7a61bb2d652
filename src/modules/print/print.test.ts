import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createSender } from '../../../test/support/fixtures.ts';
import {
  createPrintLetter,
  type PrintTestContext,
  readPdf,
  startPrintServices,
  testPdf,
  testRecipient,
  tinyGif,
  tinyPng,
} from '../../../test/support/print.ts';
import { AppError } from '../../http/problem.ts';
import { buildPrintBatches, type PrintManifest, printOutbox } from './build-print-batch.ts';
import { confirmPrintBatch } from './confirm-print-batch.ts';
import { ADDRESS_FIELD_MM } from './cover-page.ts';
import { queueForPrint } from './queue-for-print.ts';
import { renderPrintPdf } from './render-print-pdf.ts';

let ctx: PrintTestContext;
before(async () => {
  ctx = await startPrintServices();
});
after(async () => {
  await ctx?.stop();
});

const eventsOf = (messageId: string, type: string) =>
  ctx.services.db
    .selectFrom('message_event_expanded')
    .select(['type', 'data'])
    .where('message_id', '=', messageId)
    .where('type', '=', type)
    .execute();

/** Queued letters are shared by the whole database: empty the queue so each batch test sees only its own letters. */
async function drainQueue() {
  await ctx.services.db
    .updateTable('print_job')
    .set({ state: 'failed', failed_reason: 'test' })
    .where('state', '=', 'queued')
    .execute();
}

describe('the print PDF', () => {
  test("the cover page shows the recipient's address inside the envelope window", async () => {
    const letter = await createPrintLetter(ctx.services, {
      documents: [{ title: 'Afgørelse', mediaType: 'application/pdf', bytes: await testPdf(1) }],
    });
    const [cover] = await readPdf(await renderPrintPdf(ctx.services, letter.id));
    assert.ok(cover);
    assert.deepEqual(cover.size.map(Math.round), [595, 842], 'A4 portrait');
    const expected = [
      testRecipient.name,
      ...testRecipient.addressLines,
      `${testRecipient.postcode} ${testRecipient.city}`,
    ];
    const field = ADDRESS_FIELD_MM;
    const inWindow = cover.lines.filter(
      (l) =>
        l.left >= field.left &&
        l.right <= field.left + field.width &&
        l.top >= field.top &&
        l.baseline <= field.top + field.height,
    );
    // The return address first, then exactly the recipient's address, in order, and nothing else in the window.
    assert.deepEqual(
      inWindow.map((l) => l.text),
      [`Afsender: ${(await senderName(letter.sender_id)) ?? ''}`, ...expected],
    );
    // Every address line is complete (nothing clipped outside the field), and the address is left-aligned.
    for (const line of inWindow.slice(1)) assert.equal(Math.round(line.left * 10), Math.round(inWindow[1]!.left * 10));
    const note = cover.lines.find((l) => l.text.startsWith('Dette brev er sendt med fysisk post'));
    assert.ok(note, 'the note on why the letter is on paper');
    assert.equal(note.text, 'Dette brev er sendt med fysisk post, fordi modtageren er fritaget for Digital Post.');
    assert.ok(note.top > 105, 'the note is below the first fold, out of sight through the window');
    assert.ok(
      cover.lines.some((l) => /^Dato: \d{1,2}\. [a-zæøå]+ \d{4}$/.test(l.text)),
      'the date',
    );
    assert.ok(!cover.lines.some((l) => l.text.includes(letter.cpr)), 'no CPR number on the cover');
  });

  test('a long street line is shrunk to stay inside the window, never wrapped out of it', async () => {
    const long = 'Kong Christian den Fjerdes Allé 123, 4. sal, lejlighed 17, opgang B';
    const letter = await createPrintLetter(ctx.services, {
      documents: [{ title: 'Brev', mediaType: 'text/plain', bytes: Buffer.from('Hej') }],
      recipient: { ...testRecipient, addressLines: [long] },
    });
    const [cover] = await readPdf(await renderPrintPdf(ctx.services, letter.id));
    const line = cover!.lines.find((l) => l.text === long);
    assert.ok(line, 'the whole line, on one line');
    assert.ok(line.left >= ADDRESS_FIELD_MM.left && line.right <= ADDRESS_FIELD_MM.left + ADDRESS_FIELD_MM.width);
  });

  test('the print PDF is the cover page and then every page of every document, in order, all A4', async () => {
    const text = 'Kære Søren\n\nBlåbærgrød på Ærø og Østerbro – æøå ÆØÅ.\nMed venlig hilsen';
    const html =
      '<html><head><style>p{color:red}</style></head><body><h1>Indkaldelse</h1><p>Mød op på Rådhuset &amp; tag ' +
      'sundhedskort med.</p><ul><li>Kl. 10.00</li><li>Lokale 2</li></ul><script>alert(1)</script></body></html>';
    const letter = await createPrintLetter(ctx.services, {
      documents: [
        { title: 'Afgørelse', mediaType: 'application/pdf', bytes: await testPdf(2) },
        { title: 'Følgebrev', mediaType: 'text/plain; charset=utf-8', bytes: Buffer.from(text) },
        { title: 'Indkaldelse', mediaType: 'text/html', bytes: Buffer.from(html) },
        { title: 'Kort', mediaType: 'image/png', bytes: tinyPng },
        { title: 'Logo', mediaType: 'image/gif', bytes: tinyGif },
        { title: 'Letter-format', mediaType: 'application/pdf', bytes: await testPdf(1, [612, 792]) },
      ],
    });
    const pages = await readPdf(await renderPrintPdf(ctx.services, letter.id));
    assert.equal(pages.length, 1 + 2 + 1 + 1 + 1 + 1 + 1);
    for (const page of pages) assert.deepEqual(page.size.map(Math.round), [595, 842]);
    const texts = pages.map((p) => p.lines.map((l) => l.text));
    assert.ok(texts[0]!.includes('•  Afgørelse') || texts[0]!.some((t) => t.endsWith('Afgørelse')));
    assert.ok(texts[1]!.includes('Side 1'));
    assert.ok(texts[2]!.includes('Side 2'));
    assert.ok(texts[3]!.includes('Følgebrev'));
    assert.ok(texts[3]!.includes('Kære Søren'), 'Danish letters render and read back');
    assert.ok(texts[3]!.includes('Blåbærgrød på Ærø og Østerbro – æøå ÆØÅ.'));
    assert.ok(texts[4]!.includes('Indkaldelse'));
    assert.ok(texts[4]!.includes('Mød op på Rådhuset & tag sundhedskort med.'));
    assert.ok(texts[4]!.includes('• Kl. 10.00'));
    assert.ok(!texts[4]!.some((t) => t.includes('<') || t.includes('alert') || t.includes('color')));
    assert.ok(texts[5]!.includes('Kort'), 'an image on its own page, under its title');
    assert.ok(texts[6]!.includes('Logo'), 'a GIF too');
    assert.ok(texts[7]!.includes('Side 1'), 'the US Letter page, scaled onto A4');
  });

  test('the same letter renders to the same bytes', async () => {
    const letter = await createPrintLetter(ctx.services, {
      documents: [{ title: 'Brev', mediaType: 'text/plain', bytes: Buffer.from('Hej med dig') }],
    });
    const a = await renderPrintPdf(ctx.services, letter.id);
    const b = await renderPrintPdf(ctx.services, letter.id);
    assert.ok(a.equals(b));
  });
});

describe('the print queue', () => {
  test('queueing a letter twice queues it once, with one PRINT_QUEUED event', async () => {
    const letter = await createPrintLetter(ctx.services, {
      documents: [{ title: 'Brev', mediaType: 'text/plain', bytes: Buffer.from('Hej') }],
    });
    await ctx.services.db.transaction().execute((trx) => queueForPrint(trx, letter));
    const jobs = await ctx.services.db
      .selectFrom('print_job')
      .selectAll()
      .where('message_id', '=', letter.id)
      .execute();
    assert.equal(jobs.length, 1);
    assert.equal(jobs[0]!.state, 'queued');
    assert.equal((await eventsOf(letter.id, 'PRINT_QUEUED')).length, 1);
  });

  test('queueing is part of the caller’s transaction: rolled back, nothing is queued', async () => {
    const letter = await createPrintLetter(ctx.services, {
      documents: [{ title: 'Brev', mediaType: 'text/plain', bytes: Buffer.from('Hej') }],
    });
    await ctx.services.db.deleteFrom('print_job').where('message_id', '=', letter.id).execute();
    await ctx.services.db.deleteFrom('message_event').where('message_id', '=', letter.id).execute();
    await assert.rejects(
      ctx.services.db.transaction().execute(async (trx) => {
        await queueForPrint(trx, letter);
        throw new Error('rollback');
      }),
    );
    const job = await ctx.services.db.selectFrom('print_job').select('state').where('message_id', '=', letter.id);
    assert.equal(await job.executeTakeFirst(), undefined);
    assert.equal((await eventsOf(letter.id, 'PRINT_QUEUED')).length, 0);
  });
});

describe('print batches', () => {
  test('a batch folder holds every letter’s PDF and a manifest without CPR numbers or names', async () => {
    await drainQueue();
    const letters = [];
    for (let i = 0; i < 3; i++) {
      letters.push(
        await createPrintLetter(ctx.services, {
          documents: [{ title: `Brev ${i}`, mediaType: 'application/pdf', bytes: await testPdf(i + 1) }],
        }),
      );
    }
    const result = await buildPrintBatches(ctx.services);
    assert.equal(result.batches.length, 1);
    const batch = result.batches[0]!;
    assert.equal(batch.letters, 3);
    assert.equal(batch.pages, 2 + 3 + 4);
    const folder = path.join(printOutbox(ctx.services), batch.id);
    assert.deepEqual(readdirSync(folder).sort(), [...letters.map((l) => `${l.id}.pdf`), 'manifest.json'].sort());
    const raw = readFileSync(path.join(folder, 'manifest.json'), 'utf8');
    const manifest = JSON.parse(raw) as PrintManifest;
    assert.equal(manifest.batchId, batch.id);
    assert.equal(manifest.letterCount, 3);
    assert.equal(manifest.pageCount, 9);
    assert.ok(!Number.isNaN(Date.parse(manifest.createdAt)));
    for (const letter of letters) {
      const entry = manifest.letters.find((l) => l.messageId === letter.id);
      assert.ok(entry);
      const pdf = readFileSync(path.join(folder, entry.file));
      assert.equal(entry.sha256, createHash('sha256').update(pdf).digest('hex'));
      assert.equal((await readPdf(pdf)).length, entry.pages);
      assert.equal(entry.postcode, testRecipient.postcode);
      assert.equal(entry.city, testRecipient.city);
      assert.ok(!raw.includes(letter.cpr), 'no CPR number in the manifest');
    }
    assert.ok(!raw.includes(testRecipient.name), 'no names in the manifest');
    const jobs = await ctx.services.db
      .selectFrom('print_job')
      .select(['state', 'batch_id'])
      .where(
        'message_id',
        'in',
        letters.map((l) => l.id),
      )
      .execute();
    assert.ok(jobs.every((j) => j.state === 'batched' && j.batch_id === batch.id));
    const row = await ctx.services.db
      .selectFrom('print_batch')
      .selectAll()
      .where('id', '=', batch.id)
      .executeTakeFirst();
    assert.equal(row?.state, 'ready');
    assert.deepEqual(readdirSync(path.join(ctx.dataDir, 'print', 'building')), [], 'nothing left half-built');

    // A second run has nothing to do.
    assert.deepEqual((await buildPrintBatches(ctx.services)).batches, []);
  });

  test('batches hold at most the limit, and the run continues until the queue is empty', async () => {
    await drainQueue();
    for (let i = 0; i < 5; i++) {
      await createPrintLetter(ctx.services, {
        documents: [{ title: 'Brev', mediaType: 'text/plain', bytes: Buffer.from(`Brev nummer ${i}`) }],
      });
    }
    const result = await buildPrintBatches(ctx.services, { limit: 2 });
    assert.deepEqual(
      result.batches.map((b) => b.letters),
      [2, 2, 1],
    );
  });

  test('a letter that cannot be printed fails with a reason; the others are batched', async () => {
    await drainQueue();
    const good = await createPrintLetter(ctx.services, {
      documents: [{ title: 'Brev', mediaType: 'text/plain', bytes: Buffer.from('Hej') }],
    });
    const homeless = await createPrintLetter(ctx.services, {
      documents: [{ title: 'Brev', mediaType: 'text/plain', bytes: Buffer.from('Hej') }],
      recipient: { name: 'Uden Adresse', addressLines: [], postcode: null, city: null },
    });
    const broken = await createPrintLetter(ctx.services, {
      documents: [{ title: 'Brev', mediaType: 'application/pdf', bytes: Buffer.from('%PDF-1.4\nnot really\n%%EOF') }],
    });
    const result = await buildPrintBatches(ctx.services);
    assert.equal(result.failed, 2);
    assert.equal(result.batches.length, 1);
    assert.equal(result.batches[0]!.letters, 1);
    const job = (id: string) =>
      ctx.services.db.selectFrom('print_job').selectAll().where('message_id', '=', id).executeTakeFirstOrThrow();
    assert.equal((await job(good.id)).state, 'batched');
    assert.equal((await job(homeless.id)).failed_reason, 'no_postal_address');
    assert.equal((await job(broken.id)).failed_reason, 'unprintable_document');
    const failed = await eventsOf(homeless.id, 'FAILED');
    assert.equal(failed.length, 1);
    assert.equal((failed[0]!.data as { reason: string }).reason, 'no_postal_address');
  });

  test('a letter recalled while queued is not printed', async () => {
    await drainQueue();
    const kept = await createPrintLetter(ctx.services, {
      documents: [{ title: 'Brev', mediaType: 'text/plain', bytes: Buffer.from('Hej') }],
    });
    const recalled = await createPrintLetter(ctx.services, {
      documents: [{ title: 'Brev', mediaType: 'text/plain', bytes: Buffer.from('Hej') }],
    });
    await ctx.services.db.updateTable('message').set({ status: 'recalled' }).where('id', '=', recalled.id).execute();
    const [batch] = (await buildPrintBatches(ctx.services)).batches;
    assert.equal(batch?.letters, 1);
    const state = async (id: string) =>
      (await ctx.services.db.selectFrom('print_job').select('state').where('message_id', '=', id).executeTakeFirst())
        ?.state;
    assert.equal(await state(kept.id), 'batched');
    assert.equal(await state(recalled.id), 'cancelled');
  });

  test('a batch folder whose commit never happened is discarded, and its letters go into a new batch', async () => {
    await drainQueue();
    const letter = await createPrintLetter(ctx.services, {
      documents: [{ title: 'Brev', mediaType: 'text/plain', bytes: Buffer.from('Hej') }],
    });
    // What a crash between rendering and commit leaves: a complete folder the database does not know.
    const orphan = path.join(ctx.dataDir, 'print', 'building', '00000000-0000-4000-8000-000000000001');
    mkdirSync(orphan, { recursive: true });
    writeFileSync(path.join(orphan, `${letter.id}.pdf`), 'x');
    writeFileSync(path.join(orphan, 'manifest.json'), '{}');
    const result = await buildPrintBatches(ctx.services);
    assert.equal(existsSync(orphan), false);
    assert.equal(existsSync(path.join(printOutbox(ctx.services), path.basename(orphan))), false);
    assert.equal(result.batches.length, 1);
    const manifest = JSON.parse(
      readFileSync(path.join(printOutbox(ctx.services), result.batches[0]!.id, 'manifest.json'), 'utf8'),
    ) as PrintManifest;
    assert.deepEqual(
      manifest.letters.map((l) => l.messageId),
      [letter.id],
    );
  });

  test('a committed batch whose folder never reached the outbox is finished by the next run', async () => {
    await drainQueue();
    await createPrintLetter(ctx.services, {
      documents: [{ title: 'Brev', mediaType: 'text/plain', bytes: Buffer.from('Hej') }],
    });
    await createPrintLetter(ctx.services, {
      documents: [{ title: 'Brev', mediaType: 'text/plain', bytes: Buffer.from('Hej igen') }],
    });
    const [batch] = (await buildPrintBatches(ctx.services)).batches;
    assert.ok(batch);
    const outboxFolder = path.join(printOutbox(ctx.services), batch.id);
    const buildingFolder = path.join(ctx.dataDir, 'print', 'building', batch.id);
    const before = readFileSync(path.join(outboxFolder, 'manifest.json'), 'utf8');
    const setBuilding = () =>
      ctx.services.db.updateTable('print_batch').set({ state: 'building' }).where('id', '=', batch.id).execute();

    // Crash after commit, before the rename: the complete folder is still in building/.
    renameSync(outboxFolder, buildingFolder);
    await setBuilding();
    assert.deepEqual((await buildPrintBatches(ctx.services)).batches, []);
    assert.equal(readFileSync(path.join(outboxFolder, 'manifest.json'), 'utf8'), before);

    // The folder lost altogether: rendered again under the same batch id, with the same letters and bytes.
    rmSync(outboxFolder, { recursive: true });
    await setBuilding();
    await buildPrintBatches(ctx.services);
    assert.equal(
      readFileSync(path.join(outboxFolder, 'manifest.json'), 'utf8').replace(/"createdAt".*\n/, ''),
      before.replace(/"createdAt".*\n/, ''),
    );
    const row = await ctx.services.db
      .selectFrom('print_batch')
      .selectAll()
      .where('id', '=', batch.id)
      .executeTakeFirst();
    assert.equal(row?.state, 'ready');
  });
});

describe('confirming a print batch', () => {
  test('records PHYSICAL_LETTER_SENT for every letter exactly once, however often it is confirmed', async () => {
    await drainQueue();
    const sender = await createSender(ctx.services.db);
    const letters = [];
    for (let i = 0; i < 3; i++) {
      letters.push(
        await createPrintLetter(ctx.services, {
          sender,
          documents: [{ title: 'Brev', mediaType: 'text/plain', bytes: Buffer.from(`Brev ${i}`) }],
        }),
      );
    }
    const [batch] = (await buildPrintBatches(ctx.services)).batches;
    assert.ok(batch);
    const first = await confirmPrintBatch(ctx.services, batch.id);
    assert.equal(first.newlySent, 3);
    assert.equal(first.letters, 3);
    const second = await confirmPrintBatch(ctx.services, batch.id);
    assert.equal(second.newlySent, 0);
    assert.equal(second.confirmedAt.toISOString(), first.confirmedAt.toISOString());
    for (const letter of letters) {
      const sent = await eventsOf(letter.id, 'PHYSICAL_LETTER_SENT');
      assert.equal(sent.length, 1);
      assert.equal((sent[0]!.data as { printBatchId: string }).printBatchId, batch.id);
      const job = await ctx.services.db
        .selectFrom('print_job')
        .select(['state', 'sent_at'])
        .where('message_id', '=', letter.id)
        .executeTakeFirstOrThrow();
      assert.equal(job.state, 'sent');
      assert.ok(job.sent_at);
    }
    const row = await ctx.services.db
      .selectFrom('print_batch')
      .selectAll()
      .where('id', '=', batch.id)
      .executeTakeFirst();
    assert.equal(row?.state, 'confirmed');
  });

  test('an unknown batch is 404', async () => {
    for (const id of ['6f1c0b9e-8a0e-4d4c-9a55-3b1f0c2d7e11', 'not-a-uuid']) {
      await assert.rejects(confirmPrintBatch(ctx.services, id), (error: unknown) => {
        assert.ok(error instanceof AppError);
        assert.equal(error.status, 404);
        assert.equal(error.code, 'print_batch_not_found');
        return true;
      });
    }
  });
});

async function senderName(id: string) {
  const row = await ctx.services.db.selectFrom('sender').select('name').where('id', '=', id).executeTakeFirst();
  return row?.name;
}
