import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createPerson, createSender, letterBody, tinyPdf } from '../../../test/support/fixtures.ts';
import { eventually, startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';
import type { Actor } from '../../kernel/actor.ts';
import { createSession } from '../identity/session.ts';
import { sendMessage } from '../messages/send-message.ts';

const ANNA = '1503851234';
const BO = '0101901235';
const MAX_BYTES = 64 * 1024;

let kuvert: TestKuvert;
let ours: Awaited<ReturnType<typeof createSender>>;
let theirs: Awaited<ReturnType<typeof createSender>>;
type Who = { cookie: string; csrf: string; staffId: string };
let staff: Who;
let otherStaff: Who;

async function login(actor: Actor): Promise<{ cookie: string; csrf: string }> {
  const { sessionId, csrfToken } = await createSession(kuvert.services.db, actor, null);
  return { cookie: `kuvert_session=${sessionId}`, csrf: csrfToken };
}

async function staffOf(senderId: string, name: string): Promise<Who> {
  const staffId = randomUUID();
  const session = await login({ kind: 'sender_staff', subject: `s-${staffId}`, name, staffId, senderId });
  return { ...session, staffId };
}

async function get(path: string, who?: { cookie: string }) {
  const response = await fetch(`${kuvert.url}${path}`, {
    headers: who ? { cookie: who.cookie } : {},
    redirect: 'manual',
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

async function postForm(path: string, who: { cookie: string }, form: Record<string, string>) {
  const response = await fetch(`${kuvert.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** Posts the compose form as a browser does: multipart, `_csrf` first, the file last. */
async function compose(
  who: Who,
  fields: Record<string, string>,
  file: { name: string; bytes: Buffer } | null = { name: 'afgoerelse.pdf', bytes: tinyPdf },
  csrf: string | null = who.csrf,
) {
  const form = new FormData();
  if (csrf !== null) form.append('_csrf', csrf);
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append(
    'file',
    new Blob([file?.bytes ?? new Uint8Array()], { type: file ? 'application/pdf' : 'application/octet-stream' }),
    file?.name ?? '',
  );
  const response = await fetch(`${kuvert.url}/afsender/nyt-brev`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: who.cookie },
    body: form,
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

const messageCount = async () =>
  Number(
    (
      await kuvert.services.db
        .selectFrom('message')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

const letterIds = (html: string) =>
  [...html.matchAll(/href="\/afsender\/breve\/([0-9a-f-]{36})"/g)].map((m) => m[1] as string);
const nextLink = (html: string) => /href="(\/afsender\?[^"]*before=[^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&');

/** A pdf of `size` bytes that passes the signature and trailer checks. */
function pdfOfSize(size: number): Buffer {
  const head = Buffer.from('%PDF-1.4\n', 'latin1');
  const tail = Buffer.from('\n%%EOF\n', 'latin1');
  return Buffer.concat([head, Buffer.alloc(size - head.length - tail.length, 0x20), tail]);
}

before(async () => {
  kuvert = await startTestKuvert({ env: { KUVERT_MAX_DOCUMENT_BYTES: String(MAX_BYTES) } });
  ours = await createSender(kuvert.services.db, 'Skattestyrelsen');
  theirs = await createSender(kuvert.services.db, 'Region Nordjylland');
  await createPerson(kuvert.services.db, ANNA, 'Anna Jensen');
  await createPerson(kuvert.services.db, BO, 'Bo Hansen');
  staff = await staffOf(ours.id, 'Lars Andersen');
  otherStaff = await staffOf(theirs.id, 'Mette Berg');
});
after(async () => kuvert?.stop());

describe('composing a letter in the sender portal', () => {
  test('a composed letter is really sent: the API shows it, it reaches the mailbox, and its page shows the history', async () => {
    const form = await get('/afsender/nyt-brev', staff);
    assert.equal(form.status, 200);
    assert.match(form.text, /enctype="multipart\/form-data"/);
    const messageUuid = /name="messageUuid" value="([0-9a-f-]{36})"/.exec(form.text)?.[1] as string;
    assert.ok(messageUuid, 'the form carries its own idempotency key');

    const sent = await compose(staff, {
      messageUuid,
      recipient: '150385-1234',
      label: 'Årsopgørelse 2026',
      senderReference: 'SAG-4711',
      notification: 'Du har fået din årsopgørelse',
    });
    assert.equal(sent.status, 303, sent.text);
    const location = sent.headers.get('location') ?? '';
    const id = /^\/afsender\/breve\/([0-9a-f-]{36})\?sendt=1$/.exec(location)?.[1] as string;
    assert.ok(id, location);
    assert.doesNotMatch(location, /1503851234|150385/, 'no CPR in the redirect');

    const api = await fetch(`${kuvert.url}/api/v1/messages/${id}`, {
      headers: { authorization: `Bearer ${ours.apiKey}` },
    });
    assert.equal(api.status, 200);
    const status = (await api.json()) as {
      messageUuid: string;
      label: string;
      senderReference: string;
      documents: { filename: string; mediaType: string; sizeBytes: number }[];
    };
    assert.equal(status.messageUuid, messageUuid);
    assert.equal(status.label, 'Årsopgørelse 2026');
    assert.equal(status.senderReference, 'SAG-4711');
    assert.equal(status.documents[0]?.filename, 'afgoerelse.pdf');
    assert.equal(status.documents[0]?.mediaType, 'application/pdf');
    assert.equal(status.documents[0]?.sizeBytes, tinyPdf.length);

    const anna = await kuvert.services.db
      .selectFrom('recipient')
      .select('id')
      .where('cpr', '=', ANNA)
      .executeTakeFirstOrThrow();
    const stored = await eventually(async () =>
      kuvert.services.db
        .selectFrom('message')
        .select(['recipient_id', 'sender_id', 'available_at'])
        .where('id', '=', id)
        .where('available_at', 'is not', null)
        .executeTakeFirst(),
    );
    assert.equal(stored.recipient_id, anna.id);
    assert.equal(stored.sender_id, ours.id);

    const page = await get(`/afsender/breve/${id}?sendt=1`, staff);
    assert.equal(page.status, 200);
    assert.match(page.text, /Brevet er sendt/);
    assert.match(page.text, /Årsopgørelse 2026/);
    assert.match(page.text, /afgoerelse\.pdf/);
    assert.match(page.text, /Modtaget af Kuvert/);
    assert.match(page.text, /Tilgængelig i modtagerens postkasse/);
    assert.doesNotMatch(page.text, /1503851234|150385-1234|Anna Jensen/, 'neither CPR nor name of the recipient');
    assert.doesNotMatch(page.text, /%PDF/, 'no document content');

    const audit = await kuvert.services.db
      .selectFrom('audit_event')
      .select(['actor_kind', 'actor_id', 'action'])
      .where('subject_id', '=', id)
      .where('action', '=', 'message.send')
      .executeTakeFirstOrThrow();
    assert.equal(audit.actor_id, staff.staffId, 'the audit row names the staff member');
    assert.equal(audit.actor_kind, 'sender_staff', 'a person sent it, not a system');

    // The same form sent twice (a double click, a reload) is one letter.
    const again = await compose(staff, {
      messageUuid,
      recipient: '150385-1234',
      label: 'Årsopgørelse 2026',
      senderReference: 'SAG-4711',
      notification: 'Du har fået din årsopgørelse',
    });
    assert.equal(again.status, 303);
    assert.equal(again.headers.get('location'), location);
  });

  test('mistakes are shown next to the fields, the typed values are kept and nothing is sent', async () => {
    const before = await messageCount();
    const bad = await compose(
      staff,
      { messageUuid: randomUUID(), recipient: '3213991234', label: '', senderReference: 'REF-"1"' },
      { name: 'brev.pdf', bytes: Buffer.from('not a pdf at all') },
    );
    assert.equal(bad.status, 422);
    assert.match(bad.text, /CPR-nummeret er ikke gyldigt/);
    assert.match(bad.text, /Skriv et emne/);
    assert.match(bad.text, /id="recipient"[^>]*value="3213991234"|value="3213991234"[^>]*id="recipient"/);
    assert.match(bad.text, /value="REF-&#34;1&#34;"/, 'kept, and escaped');
    assert.match(bad.text, /class="form-group form-error"/);

    const notPdf = await compose(
      staff,
      { messageUuid: randomUUID(), recipient: BO, label: 'Et brev' },
      { name: 'brev.pdf', bytes: Buffer.from('not a pdf at all') },
    );
    assert.equal(notPdf.status, 422);
    assert.match(notPdf.text, /Filen er ikke en PDF/);
    assert.match(notPdf.text, /value="Et brev"/);

    const unknown = await compose(staff, { messageUuid: randomUUID(), recipient: '0202024321', label: 'Hej' });
    assert.equal(unknown.status, 422);
    assert.match(unknown.text, /Der er ingen modtager med dette nummer/);

    const noFile = await compose(staff, { messageUuid: randomUUID(), recipient: BO, label: 'Hej' }, null);
    assert.equal(noFile.status, 422);
    assert.match(noFile.text, /Vælg en PDF-fil med brevet/);

    const tooLarge = await compose(
      staff,
      { messageUuid: randomUUID(), recipient: BO, label: 'Stort brev' },
      { name: 'stor.pdf', bytes: pdfOfSize(MAX_BYTES + 10_000) },
    );
    assert.equal(tooLarge.status, 413);
    assert.match(tooLarge.text, /Filen er for stor\. Den må højst være 64 kB/);
    assert.match(tooLarge.text, /value="Stort brev"/);

    const notANumber = await compose(staff, { messageUuid: randomUUID(), recipient: 'Anna', label: 'Hej' });
    assert.match(notANumber.text, /Skriv et CPR-nummer med 10 cifre eller et CVR-nummer med 8 cifre/);

    assert.equal(await messageCount(), before, 'nothing was sent');
  });

  test('a compose form without the CSRF token is refused and sends nothing', async () => {
    const before = await messageCount();
    const refused = await compose(staff, { recipient: BO, label: 'Snyd' }, undefined, null);
    assert.equal(refused.status, 403);
    const wrong = await compose(staff, { recipient: BO, label: 'Snyd' }, undefined, otherStaff.csrf);
    assert.equal(wrong.status, 403);
    assert.equal(await messageCount(), before);
  });
});

describe('the letters list and a letter’s page', () => {
  const labels: string[] = [];
  before(async () => {
    // 30 letters of our own, then one of another sender's, through the real sending use case.
    for (let i = 0; i < 30; i++) {
      const label = `Brev nummer ${String(i).padStart(2, '0')}${i % 10 === 0 ? ' om parkering' : ''}`;
      labels.push(label);
      await sendMessage(
        kuvert.services,
        { senderId: ours.id, apiKeyId: ours.apiKeyId },
        letterBody(BO, { label, senderReference: `LIST-${i % 3 === 0 ? 'A' : 'B'}-${i}` }) as never,
      );
    }
    await sendMessage(
      kuvert.services,
      { senderId: theirs.id, apiKeyId: theirs.apiKeyId },
      letterBody(BO, { label: 'Fra Region Nordjylland' }) as never,
    );
  });

  test('all letters are reachable through the pages, newest first, each exactly once', async () => {
    const first = await get('/afsender', staff);
    assert.equal(first.status, 200);
    assert.match(first.text, /Breve fra Skattestyrelsen/);
    const page1 = letterIds(first.text);
    assert.equal(page1.length, 25);
    const next = nextLink(first.text);
    assert.ok(next);
    const second = await get(next, staff);
    const page2 = letterIds(second.text);
    assert.ok(page2.length > 0);
    assert.equal(nextLink(second.text), undefined, 'the last page has no next link');
    const all = [...page1, ...page2];
    assert.equal(new Set(all).size, all.length, 'no letter twice');
    const ownCount = Number(
      (
        await kuvert.services.db
          .selectFrom('message')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('sender_id', '=', ours.id)
          .executeTakeFirstOrThrow()
      ).n,
    );
    assert.equal(all.length, ownCount);
    assert.ok(first.text.indexOf('Brev nummer 29') < first.text.indexOf('Brev nummer 28'), 'newest first');
    assert.doesNotMatch(first.text + second.text, /Fra Region Nordjylland/);
    assert.doesNotMatch(first.text + second.text, /0101901235|010190-1235|Bo Hansen/);
    assert.doesNotMatch(next, /OFFSET|offset|page=/i);
  });

  test('filters narrow the list and survive paging', async () => {
    const byLabel = await get('/afsender?q=PARKERING', staff);
    assert.deepEqual(
      letterIds(byLabel.text).length,
      3,
      'label search is case-insensitive: 00, 10, 20 are about parking',
    );
    assert.match(byLabel.text, /name="q"[^>]*value="PARKERING"|value="PARKERING"/);

    const byRef = await get('/afsender?ref=list-a', staff);
    assert.equal(letterIds(byRef.text).length, 10);

    const literal = await get(`/afsender?q=${encodeURIComponent('%')}`, staff);
    assert.equal(letterIds(literal.text).length, 0, '% is searched for literally');

    // Dates are days in Danish time.
    const old = labels.slice(0, 4);
    await kuvert.services.db
      .updateTable('message')
      .set({ received_at: new Date('2020-01-15T10:00:00Z') })
      .where('label', 'in', old)
      .execute();
    const byDate = await get('/afsender?from=2020-01-15&to=2020-01-15', staff);
    assert.equal(letterIds(byDate.text).length, 4);
    const after = await get('/afsender?from=2020-01-16', staff);
    assert.equal(letterIds(after.text).length, 25);
    const badDate = await get('/afsender?from=15-01-2020', staff);
    assert.equal(badDate.status, 200);
    assert.match(badDate.text, /Skriv datoen som ÅÅÅÅ-MM-DD/);
    // Dates PostgreSQL cannot hold (year 0000) or the calendar does not have are the same field error, never a 500.
    for (const date of ['0000-01-01', '2026-02-30']) {
      const impossible = await get(`/afsender?from=${date}&to=${date}`, staff);
      assert.equal(impossible.status, 200, date);
      assert.match(impossible.text, /Skriv datoen som ÅÅÅÅ-MM-DD/, date);
    }

    const rejected = await kuvert.services.db
      .updateTable('message')
      .set({ status: 'rejected' })
      .where('label', '=', labels[7] as string)
      .returning('id')
      .executeTakeFirstOrThrow();
    const byStatus = await get('/afsender?status=rejected', staff);
    assert.deepEqual(letterIds(byStatus.text), [rejected.id]);
    assert.match(byStatus.text, /<option value="rejected" selected/);

    const paged = await get('/afsender?ref=LIST-B', staff);
    assert.equal(letterIds(paged.text).length, 20);
    const bRefs = await get('/afsender?q=Brev+nummer', staff);
    const next = nextLink(bRefs.text) as string;
    assert.match(next, /q=Brev\+nummer/);
    const page2 = await get(next, staff);
    assert.equal(letterIds(page2.text).length, 5);
  });

  test('a CPR number typed into a search box is not searched for and not shown back', async () => {
    const typed = await get('/afsender?q=010190-1235&ref=LIST-A', staff);
    assert.equal(typed.status, 303);
    assert.equal(typed.headers.get('location'), '/afsender?ref=LIST-A&fejl=cpr', 'the CPR leaves the address');
    const page = await get(typed.headers.get('location') as string, staff);
    assert.equal(page.status, 200);
    assert.match(page.text, /Søg ikke på CPR-numre her/);
    assert.doesNotMatch(page.text, /010190-1235/);
  });

  test('another sender’s letter is not found, and so is a made-up id', async () => {
    const [id] = letterIds((await get('/afsender', staff)).text);
    assert.ok(id);
    assert.equal((await get(`/afsender/breve/${id}`, staff)).status, 200);
    assert.equal((await get(`/afsender/breve/${id}`, otherStaff)).status, 404);
    assert.equal((await get(`/afsender/breve/${randomUUID()}`, staff)).status, 404);
    assert.equal((await get('/afsender/breve/not-a-uuid', staff)).status, 404);
    const foreignCursor = await get(`/afsender?before=${id}`, otherStaff);
    assert.deepEqual(letterIds(foreignCursor.text), [], 'a cursor of another sender gives nothing away');
  });

  test('citizens cannot use the portal and logged-out visitors are sent to the login', async () => {
    const person = await kuvert.services.db
      .selectFrom('recipient')
      .select('id')
      .where('cpr', '=', BO)
      .executeTakeFirstOrThrow();
    const citizen = await login({ kind: 'citizen', subject: 'c-bo', name: 'Bo Hansen', recipientId: person.id });
    for (const path of ['/afsender', '/afsender/nyt-brev', '/afsender/webhooks']) {
      assert.equal((await get(path, citizen)).status, 403, path);
      const anonymous = await get(path);
      assert.equal(anonymous.status, 303, path);
      assert.match(anonymous.headers.get('location') ?? '', /^\/login\?returnTo=/);
    }
  });
});

describe('webhook endpoints in the sender portal', () => {
  test('an endpoint is added with its secret shown once, listed, and removed — each change audited', async () => {
    const added = await postForm('/afsender/webhooks', staff, {
      _csrf: staff.csrf,
      url: 'https://esdh.example.dk/kuvert',
    });
    assert.equal(added.status, 201);
    const secret = /whsec_[A-Za-z0-9_-]+/.exec(added.text)?.[0];
    assert.ok(secret, 'the secret is on the page');

    const list = await get('/afsender/webhooks', staff);
    assert.match(list.text, /https:\/\/esdh\.example\.dk\/kuvert/);
    assert.ok(!list.text.includes(secret), 'the secret is not shown again');
    assert.doesNotMatch((await get('/afsender/webhooks', otherStaff)).text, /esdh\.example\.dk/);

    const row = await kuvert.services.db
      .selectFrom('webhook_endpoint')
      .select('id')
      .where('sender_id', '=', ours.id)
      .where('deleted_at', 'is', null)
      .executeTakeFirstOrThrow();
    const foreign = await postForm(`/afsender/webhooks/${row.id}/fjern`, otherStaff, { _csrf: otherStaff.csrf });
    assert.equal(foreign.status, 404, 'another sender’s staff cannot remove it');

    const removed = await postForm(`/afsender/webhooks/${row.id}/fjern`, staff, { _csrf: staff.csrf });
    assert.equal(removed.status, 303);
    assert.equal(removed.headers.get('location'), '/afsender/webhooks?fjernet=1');
    const afterRemoval = await get('/afsender/webhooks?fjernet=1', staff);
    assert.match(afterRemoval.text, /Endpointet er fjernet/);
    assert.doesNotMatch(afterRemoval.text, /esdh\.example\.dk/);

    const audit = await kuvert.services.db
      .selectFrom('audit_event')
      .select(['action', 'actor_kind', 'actor_id'])
      .where('subject_id', '=', row.id)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audit.map((a) => a.action),
      ['webhook.add', 'webhook.remove'],
    );
    assert.ok(audit.every((a) => a.actor_id === staff.staffId && a.actor_kind === 'sender_staff'));
  });

  test('a bad URL is explained on the page and the typed value is kept', async () => {
    const bad = await postForm('/afsender/webhooks', staff, { _csrf: staff.csrf, url: 'esdh.example.dk' });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /Skriv en fuld URL, der begynder med https:\/\//);
    assert.match(bad.text, /value="esdh\.example\.dk"/);
  });

  test('webhook forms without the CSRF token are refused and change nothing', async () => {
    const added = await postForm('/afsender/webhooks', staff, { _csrf: staff.csrf, url: 'https://keep.example.dk/' });
    assert.equal(added.status, 201);
    const countLive = async () =>
      (
        await kuvert.services.db
          .selectFrom('webhook_endpoint')
          .select('id')
          .where('sender_id', '=', ours.id)
          .where('deleted_at', 'is', null)
          .execute()
      ).map((r) => r.id);
    const live = await countLive();
    assert.equal((await postForm('/afsender/webhooks', staff, { url: 'https://evil.example/' })).status, 403);
    assert.equal(
      (await postForm(`/afsender/webhooks/${live[0]}/fjern`, staff, { _csrf: otherStaff.csrf })).status,
      403,
    );
    assert.deepEqual(await countLive(), live);
  });
});
