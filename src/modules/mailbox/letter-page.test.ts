import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PDFDocument } from '@cantoo/pdf-lib';
import { createPerson, createSender } from '../../../test/support/fixtures.ts';
import { sendAvailableLetter, startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';
import type { Actor } from '../../kernel/actor.ts';
import { renderLetterPdf } from '../../seed/pdf.ts';
import { createSession } from '../identity/session.ts';

const ANNA = '1503851234';
const BO = '0101901235';
const KAREN = '2002501236';

let kuvert: TestKuvert;
let sender: Awaited<ReturnType<typeof createSender>>;
interface Who {
  id: string;
  cookie: string;
}
let anna: Who;
let bo: Who;
let karen: Who;
let longPdf: Buffer;
let longPdfPages: number;

async function citizen(cpr: string, name: string): Promise<Who> {
  const person = await createPerson(kuvert.services.db, cpr, name);
  const actor: Actor = { kind: 'citizen', subject: `test-${cpr}`, name, recipientId: person.id };
  const { sessionId } = await createSession(kuvert.services.db, actor, null);
  return { id: person.id, cookie: `kuvert_session=${sessionId}` };
}

async function get(url: string, who?: Who) {
  const response = await fetch(`${kuvert.url}${url}`, {
    headers: who ? { cookie: who.cookie } : {},
    redirect: 'manual',
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, text: bytes.toString('utf8'), bytes };
}

const pdfDoc = (bytes: Buffer, title = 'Afgørelse') => ({
  title,
  filename: 'afgoerelse.pdf',
  mediaType: 'application/pdf',
  content: bytes.toString('base64'),
});
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const cacheFiles = () => {
  const root = path.join(kuvert.services.config.dataDir, 'page-images');
  return readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.png'));
};

before(async () => {
  kuvert = await startTestKuvert();
  sender = await createSender(kuvert.services.db, 'Aarhus Kommune');
  anna = await citizen(ANNA, 'Anna Jensen');
  bo = await citizen(BO, 'Bo Hansen');
  karen = await citizen(KAREN, 'Karen Holm');
  longPdf = await renderLetterPdf({
    sender: {
      name: 'Aarhus Kommune',
      unit: 'Borgerservice',
      addressLines: ['Rådhuspladsen 2'],
      phone: '89 40 20 00',
      web: 'aarhus.dk',
      color: '#003f7f',
    },
    recipient: { name: 'Anna Jensen', addressLines: ['Ryesgade 14', '2200 København N'] },
    date: new Date('2026-12-03T10:00:00Z'),
    reference: 'SAG-1',
    subject: 'Afgørelse om boligstøtte',
    paragraphs: Array.from({ length: 40 }, (_, i) => `Afsnit ${i + 1}: Du får boligstøtte fra 1. januar. `.repeat(6)),
    signature: { name: 'Mette Lund', title: 'Sagsbehandler' },
  });
  longPdfPages = (await PDFDocument.load(longPdf)).getPageCount();
  assert.ok(longPdfPages >= 2);
});
after(async () => kuvert?.stop());

describe('PDF pages as images (phones)', () => {
  test('the letter page offers each page as an image, drawn on the server as PNG and then served from the cache', async () => {
    const id = await sendAvailableLetter(kuvert, sender.apiKey, ANNA, { documents: [pdfDoc(longPdf)] });
    const page = await get(`/post/${id}`, anna);
    assert.equal(page.status, 200);
    const images = [...page.text.matchAll(/<img src="(\/post\/[^"]+\/sider\/\d+)" alt="([^"]*)"/g)];
    assert.deepEqual(
      images.map((m) => m[1]),
      Array.from({ length: longPdfPages }, (_, i) => `/post/${id}/dokumenter/0/sider/${i + 1}`),
    );
    assert.equal(images[0]?.[2], `Side 1 af ${longPdfPages} af Afgørelse`);
    // The download is beside the pages, and the desktop viewer is still there.
    assert.match(page.text, new RegExp(`href="/post/${id}/dokumenter/0\\?download=1"`));
    assert.match(page.text, /<iframe class="kuvert-pdf"/);

    const first = await get(`/post/${id}/dokumenter/0/sider/1`, anna);
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('content-type'), 'image/png');
    assert.equal(first.headers.get('cache-control'), 'private, no-store');
    assert.deepEqual(first.bytes.subarray(0, 8), PNG_SIGNATURE);
    // 1000 px wide (the PNG header's width field), A4 proportions.
    assert.equal(first.bytes.readUInt32BE(16), 1000);
    assert.equal(first.bytes.readUInt32BE(20), 1414);
    const second = await get(`/post/${id}/dokumenter/0/sider/2`, anna);
    assert.equal(second.status, 200);
    assert.notDeepEqual(second.bytes, first.bytes, 'page 2 is another picture');

    // A cache hit: the cached file is served as it is (a marker written over it comes back), nothing is drawn again.
    const cached = cacheFiles().find((f) => f.endsWith('-1-1000.png'));
    assert.ok(cached, `a cached page 1 among ${cacheFiles().join(', ')}`);
    const marker = Buffer.concat([PNG_SIGNATURE, Buffer.from('cached')]);
    writeFileSync(path.join(kuvert.services.config.dataDir, 'page-images', cached), marker);
    assert.deepEqual((await get(`/post/${id}/dokumenter/0/sider/1`, anna)).bytes, marker);

    // Pages that are not there, and addresses that are not pages.
    for (const bad of [String(longPdfPages + 1), '0', '01', 'x', '99999']) {
      assert.equal((await get(`/post/${id}/dokumenter/0/sider/${bad}`, anna)).status, 404, bad);
    }
    assert.equal((await get(`/post/${id}/dokumenter/7/sider/1`, anna)).status, 404);
  });

  test('the same access rule as the document: another citizen gets 404, no session no image, read access may look', async () => {
    const id = await sendAvailableLetter(kuvert, sender.apiKey, ANNA, { documents: [pdfDoc(longPdf)] });
    assert.equal((await get(`/post/${id}/dokumenter/0/sider/1`, bo)).status, 404);
    assert.equal((await get(`/post/${id}/dokumenter/0`, bo)).status, 404);
    assert.notEqual((await get(`/post/${id}/dokumenter/0/sider/1`)).status, 200);

    await kuvert.services.db
      .insertInto('mailbox_access')
      .values({
        mailbox_id: anna.id,
        grantee_id: karen.id,
        kind: 'grant',
        level: 'read',
        created_at: new Date(),
        created_by_kind: 'citizen',
        created_by_id: anna.id,
      })
      .execute();
    const seen = await get(`/post/${id}/dokumenter/0/sider/1`, karen);
    assert.equal(seen.status, 200);
    assert.deepEqual(seen.bytes.subarray(0, 8), PNG_SIGNATURE);
    // Reading page images is reading the document: recorded on the owner's mailbox, once per view (page 1).
    const audits = await kuvert.services.db
      .selectFrom('audit_event')
      .select(['action', 'actor_id'])
      .where('subject_id', '=', id)
      .where('action', '=', 'message.document.open')
      .execute();
    assert.deepEqual(
      audits.map((a) => a.actor_id),
      [karen.id],
    );
    // Read access cannot forward (nor reply, move or delete): the page offers none of it.
    const page = await get(`/post/${id}`, karen);
    assert.doesNotMatch(page.text, /videresend/);
    assert.doesNotMatch(page.text, /name="handling"/);
    assert.match((await get(`/post/${id}`, anna)).text, new RegExp(`href="/post/${id}/videresend"`));
  });

  test('a PDF that cannot be drawn: the page says so and offers the download; its page images are 404, never 500', async () => {
    const id = await sendAvailableLetter(kuvert, sender.apiKey, ANNA, { documents: [pdfDoc(longPdf)] });
    // A stored file that is no PDF at all (the intake would refuse it; a damaged store could still hold one).
    const broken = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\ngarbage\n%%EOF\n');
    const sha = await kuvert.services.documents.put(broken);
    await kuvert.services.db
      .updateTable('message_document')
      .set({ sha256: sha, size_bytes: broken.length })
      .where('message_id', '=', id)
      .execute();
    const page = await get(`/post/${id}`, anna);
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.text, /\/sider\/1/);
    assert.match(page.text, /Dokumentet kan ikke vises her\. Hent PDF-filen for at læse det\./);
    assert.match(page.text, new RegExp(`href="/post/${id}/dokumenter/0\\?download=1"`));
    const image = await get(`/post/${id}/dokumenter/0/sider/1`, anna);
    assert.equal(image.status, 404);
  });

  test('an unopened legal notification gives no page image: the link leads to its notice', async () => {
    const id = await sendAvailableLetter(kuvert, sender.apiKey, ANNA, {
      legalNotification: true,
      documents: [pdfDoc(longPdf)],
    });
    const image = await get(`/post/${id}/dokumenter/0/sider/1`, anna);
    assert.equal(image.status, 303);
    assert.equal(image.headers.get('location'), `/post/${id}`);
  });
});

describe('the letter page', () => {
  test('a served legal notification says when it was served, in Danish and English; dates are in Danish form', async () => {
    const id = await sendAvailableLetter(kuvert, sender.apiKey, ANNA, {
      label: 'Påbud',
      legalNotification: true,
      documents: [pdfDoc(longPdf)],
    });
    const opened = await fetch(`${kuvert.url}/post/${id}/aabn`, {
      method: 'POST',
      headers: { cookie: anna.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: await csrfOf(anna) }),
      redirect: 'manual',
    });
    assert.equal(opened.status, 303);
    const served = await kuvert.services.db
      .selectFrom('mailbox_item')
      .select('legally_notified_at')
      .where('message_id', '=', id)
      .executeTakeFirstOrThrow();
    assert.ok(served.legally_notified_at);
    const when = new Intl.DateTimeFormat('da-DK', {
      timeZone: 'Europe/Copenhagen',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(served.legally_notified_at);
    const page = await get(`/post/${id}`, anna);
    assert.match(
      page.text,
      new RegExp(
        `<dt>Forkyndt</dt><dd class="kuvert-served"><time datetime="${served.legally_notified_at.toISOString()}">\\d{1,2}\\. [a-zæøå]{3}\\.? \\d{4} kl\\. ${when.replace('.', '\\.')}</time>`,
      ),
    );
    const english = await fetch(`${kuvert.url}/post/${id}`, { headers: { cookie: `${anna.cookie}; lang=en` } });
    assert.match(
      await english.text(),
      /<dt>Served<\/dt><dd class="kuvert-served"><time datetime="[^"]+">\d{1,2} [A-Z][a-z]{2,3} \d{4}, \d\d:\d\d<\/time>/,
    );
  });

  test('an appointment reads "15. dec. 2026 kl. 09.30–10.15"', async () => {
    const id = await sendAvailableLetter(kuvert, sender.apiKey, ANNA, {
      actions: [
        {
          actionCode: 'AFTALE',
          label: 'Undersøgelse',
          reservation: {
            description: 'Mød fastende',
            reservationUuid: crypto.randomUUID(),
            abstract: 'Undersøgelse',
            location: 'Aarhus Universitetshospital',
            startDateTime: '2026-12-15T08:30:00Z',
            endDateTime: '2026-12-15T09:15:00Z',
          },
        },
      ],
    });
    const page = await get(`/post/${id}`, anna);
    assert.match(page.text, /<dd>15\. dec\. 2026 kl\. 09\.30–10\.15<\/dd>/);
  });
});

async function csrfOf(who: Who): Promise<string> {
  const page = await get('/post', who);
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
  assert.ok(token, 'a CSRF token on the mailbox page');
  return token;
}
