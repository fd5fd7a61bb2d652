import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createPerson, createSender, letterBody } from '../../../test/support/fixtures.ts';
import { eventually, startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';
import type { Actor } from '../../kernel/actor.ts';
import { createSession } from '../identity/session.ts';

const ANNA = '1503851234';
const BO = '0101901235';
const CARL = '2409441238';

let kuvert: TestKuvert;
let sender: Awaited<ReturnType<typeof createSender>>;
let otherSender: Awaited<ReturnType<typeof createSender>>;
let anna: { id: string; cookie: string };
let bo: { id: string; cookie: string };
let carl: { id: string; cookie: string };

async function login(actor: Actor): Promise<string> {
  const { sessionId } = await createSession(kuvert.services.db, actor, null);
  return `kuvert_session=${sessionId}`;
}

async function citizen(cpr: string, name: string) {
  const person = await createPerson(kuvert.services.db, cpr, name);
  const cookie = await login({ kind: 'citizen', subject: `test-${cpr}`, name, recipientId: person.id });
  return { id: person.id, cookie };
}

async function get(path: string, cookie?: string) {
  const response = await fetch(`${kuvert.url}${path}`, {
    headers: cookie ? { cookie } : {},
    redirect: 'manual',
  });
  const isText = /^text\/(html|plain)/.test(response.headers.get('content-type') ?? '');
  const bytes = Buffer.from(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, text: isText ? bytes.toString('utf8') : '', bytes };
}

/** Sends a letter through the sender API and waits until the worker has put it in the mailbox. */
async function sendLetter(cpr: string, overrides: Record<string, unknown> = {}, key = sender.apiKey) {
  const response = await fetch(`${kuvert.url}/api/v1/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(letterBody(cpr, overrides)),
  });
  const body = (await response.json()) as { id: string };
  assert.equal(response.status, 201, JSON.stringify(body));
  await eventually(async () => {
    const row = await kuvert.services.db
      .selectFrom('message')
      .select('available_at')
      .where('id', '=', body.id)
      .executeTakeFirst();
    return row?.available_at;
  });
  return body.id;
}

async function apiStatus(id: string, key = sender.apiKey) {
  const response = await fetch(`${kuvert.url}/api/v1/messages/${id}`, { headers: { authorization: `Bearer ${key}` } });
  return (await response.json()) as { readAt: string | null; events: { type: string }[] };
}

const inboxIds = (html: string) => [...html.matchAll(/href="\/post\/([0-9a-f-]{36})"/g)].map((m) => m[1] as string);
const nextCursor = (html: string) => /href="\/post\?before=([0-9a-f-]{36})"/.exec(html)?.[1] ?? null;

async function auditOpens(messageId: string) {
  return kuvert.services.db
    .selectFrom('audit_event')
    .selectAll()
    .where('subject_id', '=', messageId)
    .where('action', 'like', 'message.%open')
    .orderBy('id')
    .execute();
}

before(async () => {
  kuvert = await startTestKuvert();
  sender = await createSender(kuvert.services.db, 'Aarhus Kommune');
  otherSender = await createSender(kuvert.services.db, 'Odense Kommune');
  anna = await citizen(ANNA, 'Anna Jensen');
  bo = await citizen(BO, 'Bo Hansen');
  carl = await citizen(CARL, 'Carl Holm');
});
after(async () => kuvert?.stop());

describe('the mailbox', () => {
  test('a logged-out visitor is sent to the login with a way back', async () => {
    const response = await get('/post');
    assert.equal(response.status, 303);
    assert.equal(response.headers.get('location'), '/login?returnTo=%2Fpost');
  });

  test('the inbox shows a new letter as unread; opening it marks it read for the sender, once', async () => {
    const id = await sendLetter(ANNA, { label: 'Besked om affaldsordning' });

    const inbox = await get('/post', anna.cookie);
    assert.equal(inbox.status, 200);
    assert.equal(inbox.headers.get('cache-control'), 'private, no-store');
    assert.match(inbox.text, /<html lang="da">/);
    const row = inbox.text.split('<li class="kuvert-letter').find((r) => r.includes(`/post/${id}`)) ?? '';
    assert.match(row, /Besked om affaldsordning/);
    assert.match(row, /Aarhus Kommune/);
    assert.match(row, />Ulæst</, 'unread is said in text, not only by styling');
    assert.equal((await apiStatus(id)).readAt, null);

    const opened = await get(`/post/${id}`, anna.cookie);
    assert.equal(opened.status, 200);
    assert.match(opened.text, /<h1>Besked om affaldsordning<\/h1>/);
    assert.match(opened.text, new RegExp(`<iframe[^>]+src="/post/${id}/dokumenter/0"`));
    assert.match(opened.text, new RegExp(`href="/post/${id}/dokumenter/0\\?download=1"`));

    const status = await apiStatus(id);
    assert.ok(status.readAt, 'the sender sees when the letter was read');
    assert.equal(status.events.filter((e) => e.type === 'READ').length, 1);

    await get(`/post/${id}`, anna.cookie);
    const again = await apiStatus(id);
    assert.equal(again.readAt, status.readAt, 'the first read time stays');
    assert.equal(again.events.filter((e) => e.type === 'READ').length, 1, 'no second READ event');

    const audits = await auditOpens(id);
    assert.deepEqual(
      audits.map((a) => [a.action, a.actor_kind, a.actor_id, a.mailbox_recipient_id]),
      [
        ['message.open', 'citizen', anna.id, anna.id],
        ['message.open', 'citizen', anna.id, anna.id],
      ],
      'every open is audited on the owner’s mailbox',
    );

    const after = await get('/post', anna.cookie);
    const rowAfter = after.text.split('<li class="kuvert-letter').find((r) => r.includes(`/post/${id}`)) ?? '';
    assert.doesNotMatch(rowAfter, /Ulæst/);
    assert.match(rowAfter, />Læst</);
  });

  test('the document is served with its type, an inline disposition and no caching', async () => {
    const id = await sendLetter(ANNA, {
      documents: [
        { title: 'Afgørelse', filename: 'afgørelse 2026.pdf', mediaType: 'application/pdf', content: pdfBase64() },
      ],
    });
    const doc = await get(`/post/${id}/dokumenter/0`, anna.cookie);
    assert.equal(doc.status, 200);
    assert.equal(doc.headers.get('content-type'), 'application/pdf');
    assert.equal(doc.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(doc.headers.get('cache-control'), 'private, no-store');
    assert.equal(
      doc.headers.get('content-disposition'),
      `inline; filename="afg_relse 2026.pdf"; filename*=UTF-8''afg%C3%B8relse%202026.pdf`,
    );
    assert.equal(doc.headers.get('x-frame-options'), 'SAMEORIGIN', 'the mailbox page may frame it');
    assert.equal(doc.bytes.subarray(0, 5).toString('latin1'), '%PDF-');

    const download = await get(`/post/${id}/dokumenter/0?download=1`, anna.cookie);
    assert.match(download.headers.get('content-disposition') ?? '', /^attachment; /);
    assert.equal((await get(`/post/${id}/dokumenter/1`, anna.cookie)).status, 404, 'no such position');
    assert.ok((await apiStatus(id)).readAt, 'fetching the document is reading the letter');
  });

  test('a plain-text letter is shown as escaped preformatted text', async () => {
    const text = 'Kære Anna\n<script>alert("x")</script> & farvel';
    const id = await sendLetter(ANNA, {
      documents: [
        {
          title: 'Brev',
          filename: 'brev.txt',
          mediaType: 'text/plain',
          content: Buffer.from(text).toString('base64'),
        },
      ],
    });
    const page = await get(`/post/${id}`, anna.cookie);
    assert.equal(page.status, 200);
    assert.match(page.text, /<pre class="kuvert-text-document">Kære Anna\n&lt;script>alert\(&#34;x&#34;\)/);
    assert.doesNotMatch(page.text, /<script>alert/);
    const raw = await get(`/post/${id}/dokumenter/0`, anna.cookie);
    assert.equal(raw.headers.get('content-type'), 'text/plain; charset=utf-8');
  });

  test("a citizen cannot open another citizen's letter or document: 404, not 403, and nothing is recorded", async () => {
    const id = await sendLetter(ANNA, { label: 'Kun til Anna' });
    for (const path of [`/post/${id}`, `/post/${id}/dokumenter/0`, `/post/${id}/dokumenter/0?download=1`]) {
      const response = await get(path, bo.cookie);
      assert.equal(response.status, 404, path);
      assert.doesNotMatch(response.text, /Kun til Anna/);
    }
    assert.equal((await apiStatus(id)).readAt, null, 'an attempt by someone else does not mark it read');
    assert.equal((await auditOpens(id)).length, 0);
    const inbox = await get('/post', bo.cookie);
    assert.doesNotMatch(inbox.text, new RegExp(id));
  });

  test('malformed and unknown letter ids answer 404', async () => {
    for (const path of [
      '/post/not-a-uuid',
      `/post/${randomUUID()}`,
      `/post/${randomUUID()}/dokumenter/0`,
      '/post/x/dokumenter/y',
      "/post/1'%20or%201=1--",
    ]) {
      const response = await get(path, anna.cookie);
      assert.equal(response.status, 404, path);
      assert.match(response.headers.get('content-type') ?? '', /text\/html/);
      assert.match(response.text, /Siden findes ikke/);
      assert.doesNotMatch(response.text, /at \w+ \(/, 'no stack trace');
    }
  });

  test('staff cannot use the mailbox at all: a caseworker gets 403 for any mailbox page, whatever the letter', async () => {
    const id = await sendLetter(ANNA);
    const caseworker = await login({
      kind: 'caseworker',
      subject: 'cw',
      name: 'Sofie Madsen',
      staffId: randomUUID(),
      municipalityCode: '0101',
    });
    // Their role is not the citizen role, so the mailbox itself is forbidden to them.
    assert.equal((await get(`/post/${id}`, caseworker)).status, 403);
    assert.equal((await get('/post', caseworker)).status, 403);
  });

  test('the inbox pages through 45 letters 20 at a time, newest first, without repeats', async () => {
    const db = kuvert.services.db;
    const base = Date.parse('2026-03-01T12:00:00.000Z');
    const rows = Array.from({ length: 45 }, (_, i) => ({
      sender_id: sender.id,
      recipient_id: carl.id,
      message_uuid: randomUUID(),
      content_hash: createHash('sha256').update(String(i)).digest('hex'),
      label: `Brev nummer ${i}`,
      status: 'available' as const,
      // Groups of three letters share a timestamp (down to the microsecond), so the id must break ties.
      available_at: new Date(base + Math.floor(i / 3) * 60_000).toISOString().replace('Z', '123Z'),
    }));
    await db.insertInto('message').values(rows).execute();
    const expected = await db
      .selectFrom('message')
      .select('id')
      .where('recipient_id', '=', carl.id)
      .orderBy('available_at', 'desc')
      .orderBy('id', 'asc')
      .execute();

    const seen: string[] = [];
    let path = '/post';
    const pageSizes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const page = await get(path, carl.cookie);
      assert.equal(page.status, 200, path);
      const ids = inboxIds(page.text);
      pageSizes.push(ids.length);
      seen.push(...ids);
      const cursor = nextCursor(page.text);
      if (!cursor) break;
      path = `/post?before=${cursor}`;
    }
    assert.deepEqual(pageSizes, [20, 20, 5]);
    assert.equal(new Set(seen).size, 45, 'no letter twice');
    assert.deepEqual(
      seen,
      expected.map((r) => r.id),
    );

    // A letter arriving meanwhile does not shift the later pages.
    const page2Before = await get(`/post?before=${seen[19]}`, carl.cookie);
    await db
      .insertInto('message')
      .values({ ...rows[0]!, message_uuid: randomUUID(), available_at: new Date().toISOString() })
      .execute();
    const page2After = await get(`/post?before=${seen[19]}`, carl.cookie);
    assert.deepEqual(inboxIds(page2After.text), inboxIds(page2Before.text));

    assert.equal((await get('/post?before=nonsense', carl.cookie)).status, 400);
    // Someone else's letter as a cursor reveals nothing.
    const foreign = await get(`/post?before=${seen[0]}`, anna.cookie);
    assert.equal(foreign.status, 200);
    assert.deepEqual(inboxIds(foreign.text), []);
  });

  test('an empty mailbox says so', async () => {
    const dora = await citizen('0707071237', 'Dora Lund');
    const inbox = await get('/post', dora.cookie);
    assert.equal(inbox.status, 200);
    assert.match(inbox.text, /Du har ingen post endnu/);
  });
});

describe('staff start pages', () => {
  test('sender staff see their own letters and statuses, but no CPR numbers and no other sender’s letters', async () => {
    const own = await sendLetter(BO, { label: 'Skatteoplysning', senderReference: 'REF-77' });
    await sendLetter(BO, { label: 'Fra en anden afsender' }, otherSender.apiKey);
    await get(`/post/${own}`, bo.cookie);
    const staff = await login({
      kind: 'sender_staff',
      subject: 'lars',
      name: 'Lars Andersen',
      staffId: randomUUID(),
      senderId: sender.id,
    });
    const page = await get('/afsender', staff);
    assert.equal(page.status, 200);
    assert.match(page.text, /Breve fra Aarhus Kommune/);
    const row = page.text.split('<li class="kuvert-letter').find((r) => r.includes('Skatteoplysning')) ?? '';
    assert.match(row, /REF-77/);
    assert.match(row, />Læst</);
    assert.doesNotMatch(page.text, /Fra en anden afsender/);
    for (const cpr of [ANNA, BO, CARL]) assert.doesNotMatch(page.text, new RegExp(cpr));
    assert.doesNotMatch(page.text, /Bo Hansen/, 'not even the recipient’s name');
    assert.equal((await get('/afsender', bo.cookie)).status, 403);
  });

  test('caseworkers land on the citizen-service page of their own municipality', async () => {
    await kuvert.services.db
      .insertInto('municipality')
      .values({ code: '0101', name: 'København', region_code: '1084', region_name: 'Region Hovedstaden' })
      .onConflict((oc) => oc.column('code').doNothing())
      .execute();
    const cookie = await login({
      kind: 'caseworker',
      subject: 'sofie',
      name: 'Sofie Madsen',
      staffId: randomUUID(),
      municipalityCode: '0101',
    });
    const page = await get('/borgerservice', cookie);
    assert.equal(page.status, 200);
    assert.match(page.text, /Din kommune: København\./);
    assert.match(page.text, /Logget ind som Sofie Madsen/);
    assert.equal((await get('/borgerservice', anna.cookie)).status, 403);
  });
});

describe('pages, language and errors', () => {
  test('the front page explains the demo and leads each role to the login', async () => {
    const page = await get('/');
    assert.equal(page.status, 200);
    assert.match(page.text, /^<!doctype html><html lang="da">/);
    assert.match(page.text, /simuleret MitID/);
    assert.match(page.text, /href="\/login\?returnTo=%2Fpost"[^>]*>Log ind som borger</);
    assert.match(page.text, /href="\/login\?returnTo=%2Fborgerservice"/);
    assert.match(page.text, /href="\/login\?returnTo=%2Fafsender"/);
    assert.match(page.text, /href="\/api\/docs"/);
    assert.match(page.text, /href="\/api\/openapi.json"/);
    assert.match(page.text, /class="skipnav" href="#main-content"/);
    assert.doesNotMatch(page.text, /style=|<style|<script/, 'nothing the CSP would block');
  });

  test('English is chosen with /sprog, remembered in a cookie, and only local return paths are followed', async () => {
    const choose = await get('/sprog?lang=en&returnTo=%2Fpost%3Fbefore%3Dx');
    assert.equal(choose.status, 303);
    assert.equal(choose.headers.get('location'), '/post?before=x');
    const cookie = choose.headers.get('set-cookie') ?? '';
    assert.match(cookie, /^lang=en;/);
    assert.match(cookie, /Max-Age=31536000/);
    assert.match(cookie, /SameSite=Lax/);

    const page = await get('/post', `${anna.cookie}; lang=en`);
    assert.match(page.text, /<html lang="en">/);
    assert.match(page.text, /<h1>Inbox<\/h1>/);
    assert.match(page.text, /Logged in as Anna Jensen/);

    for (const bad of ['https://evil.example/', '//evil.example/', '/\\evil.example']) {
      const response = await get(`/sprog?lang=en&returnTo=${encodeURIComponent(bad)}`);
      assert.equal(response.headers.get('location'), '/', bad);
    }
  });

  test('an unknown page answers a readable 404 in the chosen language; the design system is served', async () => {
    const da = await get('/findes-ikke');
    assert.equal(da.status, 404);
    assert.match(da.text, /<html lang="da">[\s\S]*Siden findes ikke/);
    const en = await get('/does-not-exist', 'lang=en');
    assert.equal(en.status, 404);
    assert.match(en.text, /<html lang="en">[\s\S]*Page not found/);

    const css = await get('/assets/dkfds/css/dkfds.min.css');
    assert.equal(css.status, 200);
    assert.match(css.headers.get('content-type') ?? '', /text\/css/);
    assert.equal((await get('/assets/kuvert.css')).status, 200);
    assert.equal((await get('/assets/dkfds/README.md')).status, 404);
  });
});

function pdfBase64(): string {
  return (letterBody(ANNA).documents[0] as { content: string }).content;
}
