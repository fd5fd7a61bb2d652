import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { expectNoAxeViolations } from '../../../test/support/axe.ts';
import { launchBrowser, scrollWidth } from '../../../test/support/browser.ts';
import { createPerson, createSender } from '../../../test/support/fixtures.ts';
import { sendAvailableLetter, startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';
import type { Actor } from '../../kernel/actor.ts';
import { insertDelegation } from '../access/access.repository.ts';
import { createSession } from '../identity/session.ts';

/**
 * Issue 5: unread counts beside each folder of the mailbox navigation (of the mailbox being looked at), and search
 * results paged by keyset ("Næste side"), with a tampered cursor answered by a readable 400 page.
 */

let kuvert: TestKuvert;
let sender: Awaited<ReturnType<typeof createSender>>;
interface Who {
  id: string;
  sessionId: string;
  cookie: string;
  csrf: string;
}

async function citizen(cpr: string, name: string): Promise<Who> {
  const person = await createPerson(kuvert.services.db, cpr, name);
  const actor: Actor = { kind: 'citizen', subject: `test-${cpr}`, name, recipientId: person.id };
  const { sessionId, csrfToken } = await createSession(kuvert.services.db, actor, null);
  return { id: person.id, sessionId, cookie: `kuvert_session=${sessionId}`, csrf: csrfToken };
}

async function get(path: string, who: Who, extraCookie = '') {
  const response = await fetch(`${kuvert.url}${path}`, {
    headers: { cookie: `${who.cookie}${extraCookie}` },
    redirect: 'manual',
  });
  return { status: response.status, location: response.headers.get('location'), text: await response.text() };
}

async function post(path: string, who: Who, fields: Record<string, string | string[]>) {
  const body = new URLSearchParams();
  body.append('_csrf', who.csrf);
  for (const [key, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
  }
  const response = await fetch(`${kuvert.url}${path}`, {
    method: 'POST',
    headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body,
    redirect: 'manual',
  });
  assert.equal(response.status, 303, `${path} ${JSON.stringify(fields)}: ${await response.text()}`);
  return response.headers.get('location');
}

const sendLetter = (cpr: string, overrides: Record<string, unknown> = {}) =>
  sendAvailableLetter(kuvert, sender.apiKey, cpr, overrides);

async function createFolder(who: Who, name: string): Promise<string> {
  await post('/post/mapper', who, { name });
  const row = await kuvert.services.db
    .selectFrom('mailbox_folder')
    .select('id')
    .where('mailbox_id', '=', who.id)
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * The unread counts the folder navigation shows, by link: the number beside the name must be the one said in words
 * to screen readers. Folders without a count are absent.
 */
function navCounts(html: string): Record<string, number> {
  const nav = /<nav aria-label="(?:Postkassens mapper|Mailbox folders)">([\s\S]*?)<\/nav>/.exec(html)?.[1];
  assert.ok(nav, 'the page has the folder navigation');
  const counts: Record<string, number> = {};
  for (const link of nav.matchAll(/<a href="([^"]+)"[^>]*>([\s\S]*?)<\/a>/g)) {
    const inner = link[2] as string;
    const words = /<span class="sr-only">(\d+) (?:ulæst|ulæste|unread)<\/span>/.exec(inner);
    const shown = /<span aria-hidden="true">(\d+)<\/span>/.exec(inner);
    assert.equal(shown?.[1], words?.[1], `the visible number and the words agree in ${inner}`);
    if (words) counts[link[1] as string] = Number(words[1]);
  }
  return counts;
}

const counts = async (who: Who, path = '/post', extraCookie = '') => {
  const page = await get(path, who, extraCookie);
  assert.equal(page.status, 200, page.text);
  return navCounts(page.text);
};

const listedIds = (html: string) => [...html.matchAll(/href="\/post\/([0-9a-f-]{36})"/g)].map((m) => m[1] as string);
const nextLink = (html: string) =>
  /<a href="(\/post\/soeg\?[^"]+)" rel="next">(?:Næste side|Next page)<\/a>/.exec(html)?.[1]?.replaceAll('&amp;', '&');

before(async () => {
  kuvert = await startTestKuvert();
  sender = await createSender(kuvert.services.db, 'Aarhus Kommune');
});
after(async () => kuvert?.stop());

describe('unread counts in the folder navigation', () => {
  test('change when a letter arrives, is read, is marked unread, moves to a folder or Trash, or is recalled', async () => {
    const EVA = '1203881234';
    const eva = await citizen(EVA, 'Eva Due');
    const BO = '0101901235';
    await citizen(BO, 'Bo Hansen');
    assert.deepEqual(await counts(eva), {}, 'no letters, no counts');

    const a = await sendLetter(EVA, { label: 'Brev A' });
    const inbox = await get('/post', eva);
    assert.deepEqual(navCounts(inbox.text), { '/post': 1 });
    assert.match(inbox.text, /<span class="sr-only">1 ulæst<\/span>/, 'Danish, singular');
    const b = await sendLetter(EVA, { label: 'Brev B' });
    await sendLetter(BO, { label: 'Bos brev' });
    assert.deepEqual(await counts(eva), { '/post': 2 }, 'a letter arrives; another person’s letter counts not');
    assert.match((await get('/post', eva, '; lang=en')).text, /<span class="sr-only">2 unread<\/span>/, 'English');

    assert.equal((await get(`/post/${a}`, eva)).status, 200);
    assert.deepEqual(await counts(eva), { '/post': 1 }, 'opening a letter reads it');
    await post('/post/handling', eva, { id: a, handling: 'mark_unread' });
    assert.deepEqual(await counts(eva), { '/post': 2 }, 'marked unread');
    assert.equal((await get(`/post/${a}`, eva)).status, 200);
    assert.deepEqual(await counts(eva), { '/post': 1 }, 'opening a letter marked unread reads it again');
    await post('/post/handling', eva, { id: a, handling: 'mark_unread' });
    assert.deepEqual(await counts(eva), { '/post': 2 }, 'marked unread again');
    await post('/post/handling', eva, { id: a, handling: 'mark_read' });
    assert.deepEqual(await counts(eva), { '/post': 1 }, 'marked read');

    const skat = await createFolder(eva, 'Skat');
    await post('/post/handling', eva, { id: b, handling: 'move', mappe: skat });
    assert.deepEqual(await counts(eva), { [`/post?mappe=${skat}`]: 1 }, 'the unread letter moved to her folder');
    await post('/post/handling', eva, { id: a, handling: 'move', mappe: 'arkiv' });
    assert.deepEqual(await counts(eva), { [`/post?mappe=${skat}`]: 1 }, 'a read letter moved adds no count');
    await post('/post/handling', eva, { id: a, handling: 'mark_unread' });
    const both = { '/post?mappe=arkiv': 1, [`/post?mappe=${skat}`]: 1 };
    assert.deepEqual(await counts(eva), both);
    // Every mailbox page shows the same counts.
    for (const path of ['/post?mappe=arkiv', `/post?mappe=${skat}`, '/post/mapper', '/post/soeg?q=brev']) {
      assert.deepEqual(await counts(eva, path), both, path);
    }

    await post('/post/handling', eva, { id: b, handling: 'trash' });
    assert.deepEqual(await counts(eva), { '/post?mappe=arkiv': 1, '/post?mappe=papirkurv': 1 }, 'moved to Trash');
    await post('/post/handling', eva, { id: b, handling: 'delete_permanently' });
    assert.deepEqual(await counts(eva), { '/post?mappe=arkiv': 1 }, 'deleted for good');

    const c = await sendLetter(EVA, { label: 'Brev C' });
    assert.deepEqual(await counts(eva), { '/post': 1, '/post?mappe=arkiv': 1 });
    const recalled = await fetch(`${kuvert.url}/api/v1/messages/${c}/recall`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sender.apiKey}` },
    });
    assert.equal(recalled.status, 200, await recalled.text());
    assert.deepEqual(await counts(eva), { '/post?mappe=arkiv': 1 }, 'a recalled letter is no longer counted');
  });

  test('someone with read access sees the counts of the mailbox they look at, as long as the access holds', async () => {
    const HANNE = '0404801234';
    const FINN = '0505821234';
    const hanne = await citizen(HANNE, 'Hanne Lund');
    const finn = await citizen(FINN, 'Finn Lund');
    const first = await sendLetter(HANNE, { label: 'Hannes første brev' });
    await sendLetter(HANNE, { label: 'Hannes andet brev' });
    await sendLetter(HANNE, { label: 'Hannes tredje brev' });
    await sendLetter(FINN, { label: 'Finns brev' });
    const grant = await insertDelegation(kuvert.services.db, {
      mailboxId: hanne.id,
      granteeId: finn.id,
      kind: 'grant',
      level: 'read',
      endsAt: null,
      createdBy: { kind: 'citizen', id: hanne.id },
      createdAt: new Date(),
    });
    const looking = `; kuvert_mailbox=${hanne.id}`;
    const asFinn = await get('/post', finn, looking);
    assert.match(asFinn.text, /Du ser postkassen for Hanne Lund/);
    assert.deepEqual(navCounts(asFinn.text), { '/post': 3 }, 'Hanne’s counts');
    assert.deepEqual(await counts(finn), { '/post': 1 }, 'his own mailbox: his own count');

    await post('/post/handling', hanne, { id: first, handling: 'mark_read' });
    assert.deepEqual(
      await counts(finn, '/post', looking),
      { '/post': 2 },
      'the owner’s own mark, as her list shows it',
    );
    assert.deepEqual(await counts(hanne), { '/post': 2 });
    const onSearch = await get('/post/soeg?q=brev', finn, looking);
    assert.deepEqual(navCounts(onSearch.text), { '/post': 2 });

    await kuvert.services.db
      .updateTable('mailbox_access')
      .set({ revoked_at: new Date(), revoked_by_kind: 'citizen', revoked_by_id: hanne.id })
      .where('id', '=', grant)
      .execute();
    const revoked = await get('/post', finn, looking);
    assert.doesNotMatch(revoked.text, /Hanne Lund/);
    assert.deepEqual(navCounts(revoked.text), { '/post': 1 }, 'access revoked: only his own mailbox’s count');
  });
});

describe('search paging', () => {
  const TERM = 'boligstøtte';
  let ida: Who;
  let otherId: string;
  let expected: string[];

  before(async () => {
    const IDA = '0606861234';
    ida = await citizen(IDA, 'Ida Krog');
    const jens = await citizen('0707871234', 'Jens Krog');
    const db = kuvert.services.db;
    const base = Date.parse('2026-02-01T08:00:00.000Z');
    const row = (recipientId: string, label: string, minutes: number, i: number) => ({
      sender_id: sender.id,
      recipient_id: recipientId,
      message_uuid: randomUUID(),
      content_hash: createHash('sha256').update(`${recipientId}-${i}`).digest('hex'),
      label,
      status: 'available' as const,
      available_at: new Date(base + minutes * 60_000),
    });
    // 107 hits (more than two pages of 50), three letters to each minute so the order has ties to break, and
    // letters that do not match between them.
    const rows = [
      ...Array.from({ length: 107 }, (_, i) => row(ida.id, `Afgørelse om ${TERM} nr. ${i}`, Math.floor(i / 3), i)),
      ...Array.from({ length: 12 }, (_, i) => row(ida.id, `Kvittering nr. ${i}`, i * 3, 1000 + i)),
    ];
    await db.insertInto('message').values(rows).execute();
    const other = await db
      .insertInto('message')
      .values(row(jens.id, `Afgørelse om ${TERM} til Jens`, 5, 2000))
      .returning('id')
      .executeTakeFirstOrThrow();
    otherId = other.id;
    expected = (
      await db
        .selectFrom('message')
        .select('id')
        .where('recipient_id', '=', ida.id)
        .where('label', 'like', 'Afgørelse%')
        .orderBy('available_at', 'desc')
        .orderBy('id', 'asc')
        .execute()
    ).map((r) => r.id);
    assert.equal(expected.length, 107);
  });

  test('every hit is shown exactly once across the pages, in order, while new mail arrives', async () => {
    const seen: string[] = [];
    const sizes: number[] = [];
    let path: string | undefined = `/post/soeg?q=${encodeURIComponent(TERM)}`;
    let pages = 0;
    while (path) {
      const page = await get(path, ida);
      assert.equal(page.status, 200, page.text);
      const ids = listedIds(page.text);
      seen.push(...ids);
      sizes.push(ids.length);
      if (pages > 0) assert.match(page.text, /<a href="\/post\/soeg\?q=boligst%C3%B8tte">Første side<\/a>/);
      assert.match(page.text, /value="boligstøtte"/, 'the query stays in the search box');
      pages += 1;
      if (pages === 1) {
        // A new hit arriving after the first page does not shift the following pages.
        await sendLetter('0606861234', { label: `Ny afgørelse om ${TERM}` });
      }
      path = nextLink(page.text);
      if (path) assert.match(path, /^\/post\/soeg\?q=boligst%C3%B8tte&before=[0-9a-f-]{36}$/);
      assert.ok(pages < 10, 'the paging ends');
    }
    assert.deepEqual(sizes, [50, 50, 7]);
    assert.equal(new Set(seen).size, seen.length, 'no hit twice');
    assert.deepEqual(seen, expected, 'every hit once, newest first');
    assert.ok(!seen.includes(otherId), 'never another person’s letter');
  });

  test('a tampered cursor gives a readable 400 page', async () => {
    const q = encodeURIComponent(TERM);
    for (const before of ['not-a-cursor', randomUUID(), otherId, '1503851234']) {
      const page = await get(`/post/soeg?q=${q}&before=${encodeURIComponent(before)}`, ida);
      assert.equal(page.status, 400, before);
      assert.match(page.text, /Linket til næste side er ugyldigt/, before);
      assert.match(page.text, /400 invalid_cursor/);
      assert.doesNotMatch(page.text, /AppError|\bat .*\.ts:\d+|node_modules/, 'no stack trace');
      assert.doesNotMatch(page.text, /til Jens/, 'nothing of another mailbox');
    }
    const english = await get(`/post/soeg?q=${q}&before=x`, ida, '; lang=en');
    assert.equal(english.status, 400);
    assert.match(english.text, /The link to the next page is not valid/);
    // The last hit as cursor is a real place: there is simply nothing after it.
    const end = await get(`/post/soeg?q=${q}&before=${expected.at(-1)}`, ida);
    assert.equal(end.status, 200);
    assert.deepEqual(listedIds(end.text), []);
    assert.match(end.text, /Der er ikke flere breve, der passer på din søgning/);
  });

  test('a CPR number typed into search is neither searched for nor echoed', async () => {
    for (const q of ['1503851234', `${TERM} 150385-1234`]) {
      const asked = await get(`/post/soeg?q=${encodeURIComponent(q)}`, ida);
      assert.equal(asked.status, 303, q);
      assert.equal(asked.location, '/post/soeg?fejl=cpr_not_allowed');
      const shown = await get(asked.location as string, ida);
      assert.equal(shown.status, 200);
      assert.match(shown.text, /Søg ikke efter CPR-numre/);
      assert.doesNotMatch(shown.text, /150385/);
      assert.deepEqual(listedIds(shown.text), [], 'nothing was searched');
      assert.match(shown.text, /id="mailbox-search" name="q" maxlength="200" value=""/);
    }
  });
});

describe('in a browser', () => {
  let browser: Browser | undefined;
  after(async () => browser?.close());

  test('the inbox with counts has no axe violations and does not scroll sideways at 360 px', {
    timeout: 120_000,
  }, async () => {
    const KIRA = '0808891234';
    const kira = await citizen(KIRA, 'Kira Holm');
    const letters = [];
    for (const label of ['Indkaldelse til samtale', 'Årsopgørelse', 'Kvittering', 'Ændret boligstøtte']) {
      letters.push(await sendLetter(KIRA, { label }));
    }
    const longName = 'Korrespondance med Udbetaling Danmark om boligstøtte og børnetilskud';
    const folder = await createFolder(kira, longName);
    await post('/post/handling', kira, { id: [letters[0] as string], handling: 'move', mappe: folder });
    await post('/post/handling', kira, { id: [letters[1] as string], handling: 'mark_read' });
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    await context.addCookies([{ name: 'kuvert_session', value: kira.sessionId, url: kuvert.url }]);
    const page = await context.newPage();
    await page.goto(`${kuvert.url}/post`);
    const nav = page.getByRole('navigation', { name: 'Postkassens mapper' });
    assert.equal(await nav.getByRole('link', { name: 'Indbakke 2 ulæste' }).count(), 1);
    assert.equal(await nav.getByRole('link', { name: `${longName} 1 ulæst` }).count(), 1);
    assert.equal(await nav.getByRole('link', { name: 'Arkiv', exact: true }).count(), 1, 'no count: none unread');
    await expectNoAxeViolations(page, 'the inbox with unread counts at 360 px');
    assert.ok((await scrollWidth(page)) <= 360, `/post is ${await scrollWidth(page)} px wide`);
    await nav.getByRole('link', { name: `${longName} 1 ulæst` }).click();
    await page.waitForURL(`${kuvert.url}/post?mappe=${folder}`);
    await expectNoAxeViolations(page, 'the current folder with its count at 360 px');
    assert.ok((await scrollWidth(page)) <= 360);
    await context.close();
  });
});
