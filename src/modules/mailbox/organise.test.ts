import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createPerson, createSender } from '../../../test/support/fixtures.ts';
import { sendAvailableLetter, startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';
import type { Actor } from '../../kernel/actor.ts';
import { createSession } from '../identity/session.ts';

const ANNA = '1503851234';
const BO = '0101901235';

let kuvert: TestKuvert;
let sender: Awaited<ReturnType<typeof createSender>>;
interface Who {
  id: string;
  cookie: string;
  csrf: string;
}
let anna: Who;
let bo: Who;

async function citizen(cpr: string, name: string): Promise<Who> {
  const person = await createPerson(kuvert.services.db, cpr, name);
  const actor: Actor = { kind: 'citizen', subject: `test-${cpr}`, name, recipientId: person.id };
  const { sessionId, csrfToken } = await createSession(kuvert.services.db, actor, null);
  return { id: person.id, cookie: `kuvert_session=${sessionId}`, csrf: csrfToken };
}

async function get(path: string, who?: Who) {
  const response = await fetch(`${kuvert.url}${path}`, {
    headers: who ? { cookie: who.cookie } : {},
    redirect: 'manual',
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, text: bytes.toString('utf8'), bytes };
}

async function post(path: string, who: Who, fields: Record<string, string | string[]>, csrf = true) {
  const body = new URLSearchParams();
  if (csrf) body.append('_csrf', who.csrf);
  for (const [key, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
  }
  const response = await fetch(`${kuvert.url}${path}`, {
    method: 'POST',
    headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body,
    redirect: 'manual',
  });
  return { status: response.status, location: response.headers.get('location'), text: await response.text() };
}

const sendLetter = (cpr: string, overrides: Record<string, unknown> = {}) =>
  sendAvailableLetter(kuvert, sender.apiKey, cpr, overrides);

async function apiStatus(id: string) {
  const response = await fetch(`${kuvert.url}/api/v1/messages/${id}`, {
    headers: { authorization: `Bearer ${sender.apiKey}` },
  });
  return (await response.json()) as {
    readAt: string | null;
    events: { type: string; occurredAt: string; data: Record<string, unknown> }[];
    actions: { actionCode: string; status: string | null }[];
  };
}
const eventTypes = async (id: string) => (await apiStatus(id)).events.map((e) => e.type);
const count = (list: string[], type: string) => list.filter((t) => t === type).length;

const listedIds = (html: string) => [...html.matchAll(/href="\/post\/([0-9a-f-]{36})"/g)].map((m) => m[1] as string);
const textDoc = (text: string, filename = 'brev.txt', mediaType = 'text/plain') => ({
  title: filename,
  filename,
  mediaType,
  content: Buffer.from(text).toString('base64'),
});

async function createFolder(who: Who, name: string): Promise<string> {
  const created = await post('/post/mapper', who, { name });
  assert.equal(created.status, 303, created.text);
  const row = await kuvert.services.db
    .selectFrom('mailbox_folder')
    .select('id')
    .where('mailbox_id', '=', who.id)
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return row.id;
}

before(async () => {
  kuvert = await startTestKuvert();
  sender = await createSender(kuvert.services.db, 'Aarhus Kommune');
  anna = await citizen(ANNA, 'Anna Jensen');
  bo = await citizen(BO, 'Bo Hansen');
});
after(async () => kuvert?.stop());

describe('folders, moving, trash and permanent delete', () => {
  test('a letter moves to a folder of the owner’s own, to Trash, back again, and is deleted for good only from Trash', async () => {
    const id = await sendLetter(ANNA, { label: 'Kvittering for betaling' });
    const folderId = await createFolder(anna, 'Skat');
    const duplicate = await post('/post/mapper', anna, { name: ' skat ' });
    assert.equal(duplicate.status, 409);
    assert.match(duplicate.text, /Der findes allerede en mappe med det navn/);
    assert.equal((await post('/post/mapper', anna, { name: '   ' })).status, 400);

    const moved = await post('/post/handling', anna, { id, handling: 'move', mappe: folderId, returnTo: '/post' });
    assert.equal(moved.status, 303);
    assert.equal(moved.location, '/post?ok=move');
    assert.ok(!listedIds((await get('/post', anna)).text).includes(id), 'no longer in the Inbox');
    const folderPage = await get(`/post?mappe=${folderId}`, anna);
    assert.match(folderPage.text, /<h1>Skat<\/h1>/);
    assert.deepEqual(listedIds(folderPage.text), [id]);
    assert.match((await get(`/post/${id}`, anna)).text, /Ligger i<\/dt><dd>Skat<\/dd>/);

    // Someone else cannot move it, nor move their own letter into Anna's folder.
    assert.equal((await post('/post/handling', bo, { id, handling: 'trash' })).status, 404);
    const bosLetter = await sendLetter(BO);
    const foreignFolder = await post('/post/handling', bo, { id: bosLetter, handling: 'move', mappe: folderId });
    assert.equal(foreignFolder.location, '/post?fejl=unknown_folder');

    // Permanent delete needs the letter in Trash.
    const early = await post('/post/handling', anna, { id, handling: 'delete_permanently' });
    assert.equal(early.location, '/post?fejl=not_in_trash');
    assert.equal((await get(`/post/${id}`, anna)).status, 200);

    await post('/post/handling', anna, { id, handling: 'trash' });
    assert.deepEqual(listedIds((await get('/post?mappe=papirkurv', anna)).text), [id]);
    await post('/post/handling', anna, { id, handling: 'restore' });
    assert.deepEqual(listedIds((await get(`/post?mappe=${folderId}`, anna)).text), [id], 'restored to where it was');

    await post('/post/handling', anna, { id, handling: 'trash' });
    const gone = await post('/post/handling', anna, { id, handling: 'delete_permanently', returnTo: `/post/${id}` });
    assert.equal(gone.location, '/post?mappe=papirkurv&ok=delete_permanently');
    assert.equal((await get(`/post/${id}`, anna)).status, 404);
    assert.deepEqual(listedIds((await get('/post?mappe=papirkurv', anna)).text), []);
    const status = await apiStatus(id);
    assert.ok(status.events.length > 0, 'the sender keeps its record of the letter');
    const audits = await kuvert.services.db
      .selectFrom('audit_event')
      .select('action')
      .where('subject_id', '=', id)
      .where('action', 'in', ['message.trash', 'message.restore', 'message.delete_permanently'])
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audits.map((a) => a.action),
      ['message.trash', 'message.restore', 'message.trash', 'message.delete_permanently'],
    );
  });

  test('without the CSRF token nothing changes', async () => {
    const id = await sendLetter(ANNA);
    const response = await post('/post/handling', anna, { id, handling: 'trash' }, false);
    assert.equal(response.status, 403);
    assert.ok(listedIds((await get('/post', anna)).text).includes(id));
  });

  test('several letters move at once, all or none; deleting a folder puts its letters back in the Inbox', async () => {
    const a = await sendLetter(ANNA, { label: 'Brev A' });
    const b = await sendLetter(ANNA, { label: 'Brev B' });
    const bos = await sendLetter(BO, { label: 'Bos brev' });
    const folderId = await createFolder(anna, 'Bolig');
    const mixed = await post('/post/handling', anna, { id: [a, bos], handling: 'move', mappe: 'arkiv' });
    assert.equal(mixed.status, 404, 'one letter that is not hers: nothing moves');
    assert.ok(listedIds((await get('/post', anna)).text).includes(a));

    await post('/post/handling', anna, { id: [a, b], handling: 'move', mappe: folderId });
    assert.deepEqual(new Set(listedIds((await get(`/post?mappe=${folderId}`, anna)).text)), new Set([a, b]));
    const renamed = await post(`/post/mapper/${folderId}`, anna, { name: 'Bolig og flytning' });
    assert.equal(renamed.location, '/post/mapper?ok=folder_renamed');
    assert.match((await get('/post/mapper', anna)).text, /Bolig og flytning/);
    assert.equal((await post(`/post/mapper/${folderId}/slet`, bo, {})).status, 404, 'not Bo’s folder');
    await post(`/post/mapper/${folderId}/slet`, anna, {});
    const inbox = listedIds((await get('/post', anna)).text);
    assert.ok(inbox.includes(a) && inbox.includes(b));
    assert.equal((await get(`/post?mappe=${folderId}`, anna)).status, 404);
  });

  test('the unread mark is the recipient’s own: marking never changes what the sender sees', async () => {
    const id = await sendLetter(ANNA, { label: 'Markeringsbrev' });
    const row = async () =>
      (await get('/post', anna)).text.split('<li class="kuvert-letter').find((r) => r.includes(`/post/${id}`)) ?? '';
    assert.match(await row(), />Ulæst</);
    await post('/post/handling', anna, { id, handling: 'mark_read' });
    assert.match(await row(), />Læst</);
    assert.equal((await apiStatus(id)).readAt, null, 'marking read is not reading');
    await get(`/post/${id}`, anna);
    const readAt = (await apiStatus(id)).readAt;
    assert.ok(readAt);
    await post('/post/handling', anna, { id, handling: 'mark_unread' });
    assert.match(await row(), />Ulæst</);
    await get(`/post/${id}`, anna);
    assert.match(await row(), />Læst</, 'opening it again clears her mark');
    const after = await apiStatus(id);
    assert.equal(after.readAt, readAt, 'the sender-visible READ stays the first open');
    assert.equal(
      count(
        after.events.map((e) => e.type),
        'READ',
      ),
      1,
    );
  });

  /** 25 letters, two to a minute (ties broken by id), in `folder`: two pages, newest first, nothing twice. */
  async function pagesByKeyset(who: Who, folder: 'inbox' | 'arkiv') {
    const db = kuvert.services.db;
    const base = Date.parse('2026-03-01T12:00:00.000Z');
    const rows = Array.from({ length: 25 }, (_, i) => ({
      sender_id: sender.id,
      recipient_id: who.id,
      message_uuid: randomUUID(),
      content_hash: createHash('sha256').update(`${folder}${i}`).digest('hex'),
      label: `Brev ${i}`,
      status: 'available' as const,
      available_at: new Date(base + Math.floor(i / 2) * 60_000),
    }));
    const ids = (await db.insertInto('message').values(rows).returning('id').execute()).map((r) => r.id);
    if (folder === 'arkiv') {
      assert.equal((await post('/post/handling', who, { id: ids, handling: 'move', mappe: 'arkiv' })).status, 303);
    }
    const path = folder === 'arkiv' ? '/post?mappe=arkiv' : '/post';
    const first = await get(path, who);
    const firstIds = listedIds(first.text);
    const link =
      folder === 'arkiv'
        ? /href="\/post\?mappe=arkiv&(?:amp;)?before=([0-9a-f-]{36})"/
        : /href="\/post\?before=([0-9a-f-]{36})"/;
    const cursor = link.exec(first.text)?.[1];
    assert.ok(cursor, 'a link to the next page');
    const second = listedIds((await get(`${path}${folder === 'arkiv' ? '&' : '?'}before=${cursor}`, who)).text);
    assert.deepEqual([firstIds.length, second.length], [20, 5]);
    const expected = await db
      .selectFrom('message')
      .select('id')
      .where('recipient_id', '=', who.id)
      .orderBy('available_at', 'desc')
      .orderBy('id', 'asc')
      .execute();
    assert.deepEqual(
      [...firstIds, ...second],
      expected.map((r) => r.id),
    );
  }

  test('Archive pages 20 at a time by keyset, without repeats', async () => {
    const carl = await citizen('2409441238', 'Carl Holm');
    await pagesByKeyset(carl, 'arkiv');
    assert.deepEqual(listedIds((await get('/post', carl)).text), [], 'the Inbox is empty now');
  });

  test('the Inbox pages 20 at a time by keyset, without repeats; a cursor that is no letter id is a clear 400', async () => {
    const dorte = await citizen('1503781234', 'Dorte Lund');
    await pagesByKeyset(dorte, 'inbox');
    const bad = await get('/post?before=not-a-letter', dorte);
    assert.equal(bad.status, 400);
    assert.match(bad.text, /invalid_cursor/);
    assert.doesNotMatch(bad.text, /at \w+ \(/, 'no stack trace');
  });
});

describe('search', () => {
  test('finds letters by stemmed Danish words in sender, label, notification and text documents, only in one’s own mailbox', async () => {
    const dora = await citizen('0707071237', 'Dora Lund');
    const DORA = '0707071237';
    const label = await sendLetter(DORA, { label: 'Afgørelse om boligstøtte' });
    const notification = await sendLetter(DORA, { label: 'Brev 1', notification: 'Husk fristen for ejendomsskatten' });
    const text = await sendLetter(DORA, {
      label: 'Brev 2',
      documents: [textDoc('Vi har behandlet dine parkeringstilladelser til beboerlicens.')],
    });
    const html = await sendLetter(DORA, {
      label: 'Brev 3',
      documents: [textDoc('<p>Indkaldelse til <b>tandlægebehandlingen</b></p>', 'brev.html', 'text/html')],
    });
    const bos = await sendLetter(BO, { label: 'Afgørelse om boligstøtte til Bo' });

    const search = async (q: string, who = dora) => {
      const page = await get(`/post/soeg?q=${encodeURIComponent(q)}`, who);
      assert.equal(page.status, 200, q);
      return listedIds(page.text);
    };
    assert.deepEqual(await search('afgørelserne'), [label], 'stemmed: afgørelserne → afgørelse');
    assert.ok((await search('boligstøtten')).includes(label));
    assert.deepEqual(await search('ejendomsskat'), [notification]);
    assert.deepEqual(await search('parkeringstilladelsen'), [text], 'text documents are searched');
    assert.deepEqual(await search('tandlægebehandling'), [html], 'HTML documents by their text');
    assert.ok((await search('Aarhus')).includes(label), 'the sender’s name');
    assert.ok(!(await search('afgørelse')).includes(bos), 'never another person’s letters');
    assert.deepEqual(await search('og'), [], 'stop words alone find nothing');
    assert.equal((await get(`/post/soeg?q=${'x'.repeat(201)}`, dora)).status, 400);

    await post('/post/handling', dora, { id: label, handling: 'trash' });
    assert.deepEqual(await search('afgørelserne'), [label], 'Trash is searched too');
    await post('/post/handling', dora, { id: label, handling: 'delete_permanently' });
    assert.deepEqual(await search('afgørelserne'), [], 'but not what was deleted for good');
  });
});

describe('search after new mail', () => {
  test('a text document that arrives after a search that found everything indexed is found by the next search', async () => {
    const EVA = '0808081238';
    const eva = await citizen(EVA, 'Eva Holm');
    const search = async (q: string) => listedIds((await get(`/post/soeg?q=${encodeURIComponent(q)}`, eva)).text);
    const first = await sendLetter(EVA, { label: 'Brev 1', documents: [textDoc('Om din vandforsyningsafgift.')] });
    assert.deepEqual(await search('vandforsyningsafgiften'), [first], 'this search indexes and remembers the mailbox');
    assert.deepEqual(await search('skorstensfejningen'), []);
    // The word is only in the new letter's text document, not its label: it must be indexed for the search to see it.
    const second = await sendLetter(EVA, { label: 'Brev 2', documents: [textDoc('Om skorstensfejning i 2027.')] });
    assert.deepEqual(await search('skorstensfejningen'), [second]);
  });
});

describe('reading documents and actions', () => {
  test('HTML is shown sanitised in the page, its headings under the document title; the document itself is sandboxed, and the download has its own CSP', async () => {
    const dirty =
      '<h1>Velkommen</h1><script>alert(1)</script><img src=x onerror="alert(2)"><a href="javascript:alert(3)">klik</a>' +
      '<p id="main-content" class="button" style="color:red">Hej</p><form action="/post/handling"><input name="id"></form>';
    const id = await sendLetter(ANNA, { documents: [textDoc(dirty, 'velkommen.html', 'text/html')] });
    const page = await get(`/post/${id}`, anna);
    const shown = /<div class="kuvert-html-letter">(.*?)<\/div>/s.exec(page.text)?.[1] ?? '';
    assert.equal(shown, '<h4>Velkommen</h4><img /><a rel="noopener noreferrer">klik</a><p>Hej</p>');
    assert.doesNotMatch(page.text, /<iframe class="kuvert-html"/);
    const view = await get(`/post/${id}/dokumenter/0`, anna);
    assert.equal(view.status, 200);
    assert.match(view.headers.get('content-security-policy') ?? '', /^sandbox; default-src 'none'/);
    assert.match(view.text, /<h1>Velkommen<\/h1>/);
    assert.doesNotMatch(view.text, /<script|onerror|javascript:|alert/);
    const download = await get(`/post/${id}/dokumenter/0?download=1`, anna);
    assert.match(download.headers.get('content-disposition') ?? '', /^attachment; filename="velkommen.html"/);
    // Opened from disk, no response header protects it: nothing of the script survives, and a CSP meta tag blocks
    // anything the sanitiser might miss.
    assert.match(download.text, /<h1>Velkommen<\/h1>/);
    assert.doesNotMatch(download.text, /<script|onerror|javascript:|alert/);
    assert.match(download.text, /<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
  });

  test('all documents download as one zip', async () => {
    const id = await sendLetter(ANNA, {
      label: 'Brev med bilag',
      documents: [textDoc('Hovedbrev', 'brev.txt'), textDoc('Bilag et', 'bilag.txt'), textDoc('Bilag to', 'bilag.txt')],
    });
    assert.match((await get(`/post/${id}`, anna)).text, new RegExp(`href="/post/${id}/dokumenter.zip"`));
    const zip = await get(`/post/${id}/dokumenter.zip`, anna);
    assert.equal(zip.status, 200);
    assert.equal(zip.headers.get('content-type'), 'application/zip');
    assert.match(zip.headers.get('content-disposition') ?? '', /^attachment; filename="Brev med bilag.zip"/);
    assert.equal(zip.bytes.subarray(0, 2).toString('latin1'), 'PK');
    const names = zip.bytes.toString('latin1');
    for (const name of ['brev.txt', 'bilag.txt', 'bilag (2).txt']) assert.ok(names.includes(name), name);
    assert.equal((await get(`/post/${id}/dokumenter.zip`, bo)).status, 404);
  });

  test('an appointment gives an RFC 5545 calendar file; link actions are https links only', async () => {
    const reservationUuid = randomUUID();
    const id = await sendLetter(ANNA, {
      label: 'Indkaldelse til samtale',
      actions: [
        {
          actionCode: 'AFTALE',
          label: 'Samtale i jobcentret',
          reservation: {
            description: 'Medbring dit sygesikringskort',
            reservationUuid,
            abstract: 'Samtale, Jobcenter Aarhus',
            location: 'Jobcenter Aarhus, Værkmestergade 10',
            startDateTime: '2026-12-14T09:00:00Z',
            endDateTime: '2026-12-14T09:30:00Z',
            organizerMail: 'jobcenter@aarhus.example',
            organizerName: 'Jobcenter Aarhus',
          },
        },
        { actionCode: 'BETALING', label: 'Betal regningen', url: 'https://betal.example.dk/regning/42' },
        { actionCode: 'SELVBETJENING', label: 'Gå til selvbetjening', url: 'https://borger.example.dk/' },
      ],
    });
    // A URL that is not a usable https address (stored before the check, or malformed) is never a link.
    await kuvert.services.db
      .updateTable('message_action')
      .set({ url: 'https://' })
      .where('message_id', '=', id)
      .where('position', '=', 2)
      .execute();
    const page = await get(`/post/${id}`, anna);
    assert.match(page.text, /Samtale, Jobcenter Aarhus/);
    assert.match(page.text, /Jobcenter Aarhus, Værkmestergade 10/);
    assert.match(page.text, new RegExp(`href="/post/${id}/handlinger/0/kalender.ics"`));
    assert.match(
      page.text,
      /<a class="button button-primary" href="https:\/\/betal.example.dk\/regning\/42" rel="noopener noreferrer"><span>Betal regningen<\/span>/,
    );
    assert.doesNotMatch(page.text, /href="https:\/\/"/);
    assert.match(page.text, /Linket vises ikke/);
    const hrefs = [...page.text.matchAll(/href="([^"]*)"/g)].map((m) => m[1] as string);
    for (const href of hrefs) assert.match(href, /^(\/|https:\/\/|#)/, href);

    const ics = await get(`/post/${id}/handlinger/0/kalender.ics`, anna);
    assert.equal(ics.status, 200);
    assert.equal(ics.headers.get('content-type'), 'text/calendar; charset=utf-8');
    const unfolded = ics.text.replace(/\r\n[ \t]/g, '');
    assert.match(unfolded, /^BEGIN:VCALENDAR\r\nVERSION:2.0\r\n/);
    assert.match(unfolded, new RegExp(`\r\nUID:${reservationUuid}\r\n`));
    assert.match(unfolded, /\r\nDTSTART:20261214T090000Z\r\n/);
    assert.match(unfolded, /\r\nDTEND:20261214T093000Z\r\n/);
    assert.match(unfolded, /\r\nSUMMARY:Samtale\\, Jobcenter Aarhus\r\n/);
    assert.match(unfolded, /\r\nLOCATION:Jobcenter Aarhus\\, Værkmestergade 10\r\n/);
    assert.match(unfolded, /\r\nORGANIZER;CN="?Jobcenter Aarhus"?:mailto:jobcenter@aarhus.example\r\n/);
    assert.match(unfolded, /END:VEVENT\r\nEND:VCALENDAR/);
    assert.equal((await get(`/post/${id}/handlinger/0/kalender.ics`, bo)).status, 404);
    assert.equal((await get(`/post/${id}/handlinger/1/kalender.ics`, anna)).status, 404, 'not an appointment');
  });

  test('confirming and signing record the status and tell the sender once', async () => {
    const id = await sendLetter(ANNA, {
      label: 'Aftale om hjemmehjælp',
      actions: [
        { actionCode: 'BEKRAEFT', label: 'Bekræft modtagelsen' },
        { actionCode: 'UNDERSKRIV', label: 'Underskriv aftalen' },
      ],
    });
    assert.equal((await post(`/post/${id}/handlinger/0`, anna, {})).status, 409, 'the letter must be opened first');
    const page = await get(`/post/${id}`, anna);
    assert.match(page.text, new RegExp(`<form method="post" action="/post/${id}/handlinger/0">`));
    assert.match(page.text, />Underskriv aftalen<\/button>/);
    assert.equal((await post(`/post/${id}/handlinger/0`, anna, {}, false)).status, 403, 'CSRF');
    assert.equal((await post(`/post/${id}/handlinger/0`, bo, {})).status, 404, 'not Bo’s letter');
    const done = await post(`/post/${id}/handlinger/0`, anna, {});
    assert.equal(done.status, 303);
    assert.equal(done.location, `/post/${id}?ok=action`);
    await post(`/post/${id}/handlinger/0`, anna, {});
    await post(`/post/${id}/handlinger/1`, anna, {});
    const status = await apiStatus(id);
    const completed = status.events.filter((e) => e.type === 'ACTION_COMPLETED');
    assert.deepEqual(
      completed.map((e) => [e.data.actionCode, e.data.position]),
      [
        ['BEKRAEFT', 0],
        ['UNDERSKRIV', 1],
      ],
    );
    assert.deepEqual(
      status.actions.map((a) => a.status),
      ['done', 'done'],
    );
    const after = await get(`/post/${id}?ok=action`, anna);
    assert.match(after.text, /Bekræftet/);
    assert.match(after.text, /Underskrevet/);
    assert.match(after.text, /Afsenderen har fået besked/);
    assert.doesNotMatch(after.text, /handlinger\/0">/);
  });
});

describe('legal notification', () => {
  test('the recipient is told first; opening serves it once, with the time', async () => {
    const id = await sendLetter(ANNA, { label: 'Afgørelse om tvangsbøder', legalNotification: true });
    const notice = await get(`/post/${id}`, anna);
    assert.equal(notice.status, 200);
    assert.match(notice.text, /Dette brev er en forkyndelse/);
    assert.match(notice.text, new RegExp(`<form method="post" action="/post/${id}/aabn"`));
    assert.doesNotMatch(notice.text, /dokumenter\/0/, 'no content before the recipient opens it');
    // A link straight to a document, or to all of them, does not get round the notice: it leads to the notice.
    for (const path of [
      `/post/${id}/dokumenter/0`,
      `/post/${id}/dokumenter/0?download=1`,
      `/post/${id}/dokumenter.zip`,
    ]) {
      const refused = await get(path, anna);
      assert.equal(refused.status, 303, path);
      assert.equal(refused.headers.get('location'), `/post/${id}`, path);
      assert.doesNotMatch(refused.text, /%PDF/, path);
    }
    assert.deepEqual(
      (await eventTypes(id)).filter((t) => t === 'READ' || t === 'LEGALLY_NOTIFIED'),
      [],
      'seeing the notice serves nothing',
    );
    assert.equal((await post(`/post/${id}/aabn`, bo, {})).status, 404);
    const opened = await post(`/post/${id}/aabn`, anna, {});
    assert.equal(opened.status, 303);
    assert.equal(opened.location, `/post/${id}`);
    const page = await get(`/post/${id}`, anna);
    assert.match(page.text, /<h1>Afgørelse om tvangsbøder<\/h1>/);
    await get(`/post/${id}`, anna);
    const status = await apiStatus(id);
    const types = status.events.map((e) => e.type);
    assert.equal(count(types, 'READ'), 1);
    assert.equal(count(types, 'LEGALLY_NOTIFIED'), 1);
    const served = status.events.find((e) => e.type === 'LEGALLY_NOTIFIED');
    assert.equal(served?.occurredAt, status.readAt);
    assert.equal(served?.data.notifiedAt, status.readAt);
  });

  test('moving an unopened legal notification serves it; opening later does not serve it again', async () => {
    const id = await sendLetter(ANNA, { legalNotification: true });
    await post('/post/handling', anna, { id, handling: 'move', mappe: 'arkiv' });
    let types = await eventTypes(id);
    assert.equal(count(types, 'LEGALLY_NOTIFIED'), 1);
    assert.equal(count(types, 'READ'), 0, 'served, but not read');
    await post(`/post/${id}/aabn`, anna, {});
    types = await eventTypes(id);
    assert.equal(count(types, 'READ'), 1);
    assert.equal(count(types, 'LEGALLY_NOTIFIED'), 1, 'once');
  });

  test('deleting an unopened legal notification serves it, once, even when then deleted for good', async () => {
    const id = await sendLetter(ANNA, { legalNotification: true });
    await post('/post/handling', anna, { id, handling: 'trash' });
    await post('/post/handling', anna, { id, handling: 'delete_permanently' });
    const types = await eventTypes(id);
    assert.equal(count(types, 'LEGALLY_NOTIFIED'), 1);
    assert.equal(count(types, 'READ'), 0);
  });

  test('an ordinary letter is never served', async () => {
    const id = await sendLetter(ANNA);
    await post('/post/handling', anna, { id, handling: 'trash' });
    await get(`/post/${id}`, anna);
    assert.equal(count(await eventTypes(id), 'LEGALLY_NOTIFIED'), 0);
  });
});
