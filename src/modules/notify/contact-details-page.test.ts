import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import Fastify from 'fastify';
import { createPerson } from '../../../test/support/fixtures.ts';
import { startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';
import type { Actor } from '../../kernel/actor.ts';
import { createSession } from '../identity/session.ts';
import { notifyPlugin } from './notify.plugin.ts';

let kuvert: TestKuvert;

interface Login {
  id: string;
  cookie: string;
  csrf: string;
}

async function login(actor: Actor): Promise<{ cookie: string; csrf: string }> {
  const { sessionId, csrfToken } = await createSession(kuvert.services.db, actor, null);
  return { cookie: `kuvert_session=${sessionId}`, csrf: csrfToken };
}

async function citizen(cpr: string, name: string): Promise<Login> {
  const person = await createPerson(kuvert.services.db, cpr, name);
  const session = await login({ kind: 'citizen', subject: `test-${cpr}`, name, recipientId: person.id });
  return { id: person.id, ...session };
}

async function get(path: string, cookie?: string) {
  const response = await fetch(`${kuvert.url}${path}`, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

async function post(path: string, who: { cookie: string; csrf: string } | null, fields: Record<string, string>) {
  const body = new URLSearchParams({ ...(who ? { _csrf: who.csrf } : {}), ...fields });
  const response = await fetch(`${kuvert.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(who ? { cookie: who.cookie } : {}) },
    body,
    redirect: 'manual',
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

const details = (recipientId: string) =>
  kuvert.services.db.selectFrom('contact_detail').selectAll().where('recipient_id', '=', recipientId).execute();

/** The latest code the development outbox page shows for an address. */
async function codeFromOutbox(address: string): Promise<string> {
  const page = await get('/udvikling/udbakke');
  assert.equal(page.status, 200);
  const row = page.text.split('<tr').find((r) => r.includes(address)) ?? '';
  const code = /\b(\d{6})\b/.exec(row.replace(/<[^>]+>/g, ' '))?.[1];
  assert.ok(code, `a code for ${address} in the outbox`);
  return code;
}

/** The block of the page for one contact detail. */
const itemOf = (html: string, id: string) => html.split('<li id="kontakt-').find((part) => part.startsWith(id)) ?? '';

let anna: Login;
let bo: Login;

before(async () => {
  kuvert = await startTestKuvert({ worker: false });
  anna = await citizen('1503851234', 'Anna Jensen');
  bo = await citizen('0101901235', 'Bo Hansen');
});
after(async () => kuvert?.stop());

describe('the contact details page', () => {
  test('a logged-out visitor is sent to the login; staff are refused', async () => {
    const page = await get('/indstillinger/kontakt');
    assert.equal(page.status, 303);
    assert.equal(page.headers.get('location'), '/login?returnTo=%2Findstillinger%2Fkontakt');
    const caseworker = await login({
      kind: 'caseworker',
      subject: 'cw',
      name: 'Sofie Madsen',
      staffId: randomUUID(),
      municipalityCode: '0101',
    });
    assert.equal((await get('/indstillinger/kontakt', caseworker.cookie)).status, 403);
    assert.equal((await post('/indstillinger/kontakt/email', caseworker, { email: 'x@example.dk' })).status, 403);
  });

  test('add an e-mail → the code appears in the development outbox → confirm with it → listed as confirmed', async () => {
    const empty = await get('/indstillinger/kontakt', anna.cookie);
    assert.equal(empty.status, 200);
    assert.equal(empty.headers.get('cache-control'), 'private, no-store');
    assert.match(empty.text, /<h1>Kontaktoplysninger<\/h1>/);
    assert.match(empty.text, /Du har ikke tilføjet nogen kontaktoplysninger endnu/);
    assert.match(empty.text, /<form method="post" action="\/indstillinger\/kontakt\/email"/);
    assert.match(empty.text, /<form method="post" action="\/indstillinger\/kontakt\/mobil"/);

    const added = await post('/indstillinger/kontakt/email', anna, { email: 'anna@example.dk' });
    assert.equal(added.status, 303);
    const [detail] = await details(anna.id);
    assert.ok(detail);
    assert.equal(added.headers.get('location'), `/indstillinger/kontakt?besked=added#kontakt-${detail.id}`);

    const listed = await get('/indstillinger/kontakt?besked=added', anna.cookie);
    assert.match(listed.text, /Vi har sendt en bekræftelseskode/);
    const item = itemOf(listed.text, detail.id);
    assert.match(item, /anna@example\.dk/);
    assert.match(item, />Ikke bekræftet</);
    assert.match(item, new RegExp(`action="/indstillinger/kontakt/${detail.id}/bekraeft"`));
    assert.match(item, /autocomplete="one-time-code"/);

    const outbox = await get('/udvikling/udbakke');
    assert.match(outbox.text, /Kun i udviklings- og demotilstand/);
    assert.doesNotMatch(outbox.text, /Anna Jensen/, 'the outbox is public: no login, and no names');
    const code = await codeFromOutbox('anna@example.dk');

    const confirmed = await post(`/indstillinger/kontakt/${detail.id}/bekraeft`, anna, { code });
    assert.equal(confirmed.status, 303);
    assert.equal(confirmed.headers.get('location'), `/indstillinger/kontakt?besked=confirmed#kontakt-${detail.id}`);
    const after = await get('/indstillinger/kontakt?besked=confirmed', anna.cookie);
    assert.match(after.text, /Oplysningen er bekræftet/);
    const confirmedItem = itemOf(after.text, detail.id);
    assert.match(confirmedItem, />Bekræftet</);
    assert.match(confirmedItem, /Senest bekræftet<\/span>: <time datetime="\d{4}-/);
    assert.doesNotMatch(confirmedItem, /bekraeft"/, 'no code form for a confirmed detail');

    const english = await get('/indstillinger/kontakt', `${anna.cookie}; lang=en`);
    assert.match(english.text, /<html lang="en">/);
    assert.match(english.text, /<h1>Contact details<\/h1>/);
    assert.match(itemOf(english.text, detail.id), />Confirmed</);
  });

  test('errors are shown next to the field with the value kept', async () => {
    const invalid = await post('/indstillinger/kontakt/mobil', anna, { mobile: '12 34 5' });
    assert.equal(invalid.status, 400);
    assert.match(invalid.text, /<div class="form-group form-error">/);
    assert.match(invalid.text, /id="mobile-error"[\s\S]*Skriv et gyldigt mobilnummer/);
    assert.match(invalid.text, /<input[^>]+id="mobile"[^>]+value="12 34 5"/);
    assert.match(invalid.text, /<a href="#mobile">Skriv et gyldigt mobilnummer/, 'and summarised at the top');

    const xss = await post('/indstillinger/kontakt/email', anna, { email: '"><script>alert(1)</script>' });
    assert.equal(xss.status, 400);
    // Inside a quoted attribute only the quote can break out, and it is escaped.
    assert.match(xss.text, /value="&#34;>/);
    assert.doesNotMatch(xss.text, /"><script>alert/);

    await post('/indstillinger/kontakt/mobil', anna, { mobile: '+45 20 30 40 50' });
    const mobile = (await details(anna.id)).find((d) => d.kind === 'mobile');
    assert.ok(mobile);
    assert.equal(mobile.value, '+4520304050');
    const code = await codeFromOutbox('+4520304050');
    const wrong = code === '000000' ? '111111' : '000000';
    const wrongAnswer = await post(`/indstillinger/kontakt/${mobile.id}/bekraeft`, anna, { code: wrong });
    assert.equal(wrongAnswer.status, 400);
    const item = itemOf(wrongAnswer.text, mobile.id);
    assert.match(item, /Koden er forkert\. Du har 2 forsøg tilbage\./);
    assert.match(item, new RegExp(`value="${wrong}"`));

    const second = await post('/indstillinger/kontakt/mobil', anna, { mobile: '30303030' });
    assert.equal(second.status, 409);
    assert.match(second.text, /Du har allerede et mobilnummer/);

    const resent = await post(`/indstillinger/kontakt/${mobile.id}/ny-kode`, anna, {});
    assert.equal(resent.status, 303);
    assert.equal(resent.headers.get('location'), `/indstillinger/kontakt?besked=sent#kontakt-${mobile.id}`);
    const sms = await kuvert.services.db
      .selectFrom('outbox_message')
      .select('body')
      .where('recipient_address', '=', '+4520304050')
      .execute();
    assert.equal(sms.length, 2, 'a second SMS with a new code');
  });

  test('a wrong or missing CSRF token is refused with 403 and nothing changes', async () => {
    const before = await details(anna.id);
    const outboxBefore = await kuvert.services.db.selectFrom('outbox_message').select('id').execute();
    const forged = { cookie: anna.cookie, csrf: 'forged-token' };
    const target = before[0]!;
    for (const [path, fields] of [
      ['/indstillinger/kontakt/email', { email: 'forged@example.dk' }],
      [`/indstillinger/kontakt/${target.id}/bekraeft`, { code: '123456' }],
      [`/indstillinger/kontakt/${target.id}/ny-kode`, {}],
      [`/indstillinger/kontakt/${target.id}/fjern`, {}],
    ] as const) {
      assert.equal((await post(path, forged, fields)).status, 403, path);
      const missing = await fetch(`${kuvert.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: anna.cookie },
        body: new URLSearchParams(fields),
        redirect: 'manual',
      });
      assert.equal(missing.status, 403, `${path} without a token`);
    }
    assert.deepEqual(await details(anna.id), before);
    assert.equal(
      (await kuvert.services.db.selectFrom('outbox_message').select('id').execute()).length,
      outboxBefore.length,
    );
  });

  test("another citizen cannot confirm, resend or remove someone else's detail: 404, and nothing changes", async () => {
    await post('/indstillinger/kontakt/email', anna, { email: 'anna.privat@example.dk' });
    const target = (await details(anna.id)).find((d) => d.value === 'anna.privat@example.dk');
    assert.ok(target);
    const code = await codeFromOutbox('anna.privat@example.dk');
    for (const [path, fields] of [
      [`/indstillinger/kontakt/${target.id}/bekraeft`, { code }],
      [`/indstillinger/kontakt/${target.id}/ny-kode`, {}],
      [`/indstillinger/kontakt/${target.id}/fjern`, {}],
      ['/indstillinger/kontakt/not-a-uuid/fjern', {}],
    ] as const) {
      const response = await post(path, bo, fields);
      assert.equal(response.status, 404, path);
      assert.doesNotMatch(response.text, /anna\.privat/);
    }
    const after = (await details(anna.id)).find((d) => d.id === target.id);
    assert.equal(after?.confirmed_at, null);
    assert.equal(after?.code_attempts, 0);
    assert.equal(after?.codes_sent_at.length, 1);
    assert.doesNotMatch((await get('/indstillinger/kontakt', bo.cookie)).text, /anna\.privat/);

    const removed = await post(`/indstillinger/kontakt/${target.id}/fjern`, anna, {});
    assert.equal(removed.status, 303);
    assert.equal(removed.headers.get('location'), '/indstillinger/kontakt?besked=removed');
    assert.equal(
      (await details(anna.id)).some((d) => d.id === target.id),
      false,
    );
  });

  test('a detail last confirmed more than 18 months ago shows a banner asking to confirm it again', async () => {
    const carl = await citizen('2409441238', 'Carl Holm');
    await post('/indstillinger/kontakt/email', carl, { email: 'carl@example.dk' });
    const [detail] = await details(carl.id);
    assert.ok(detail);
    const old = new Date(Date.now() - 19 * 31 * 24 * 60 * 60 * 1000);
    await kuvert.services.db
      .updateTable('contact_detail')
      .set({ confirmed_at: old, last_confirmed_at: old, code_hash: null, code_expires_at: null })
      .where('id', '=', detail.id)
      .execute();
    const page = await get('/indstillinger/kontakt', carl.cookie);
    assert.match(page.text, /Bekræft dine kontaktoplysninger igen/);
    const item = itemOf(page.text, detail.id);
    assert.match(item, />Skal bekræftes igen</);
    assert.match(item, new RegExp(`action="/indstillinger/kontakt/${detail.id}/ny-kode"`));
  });
});

describe('the development outbox', () => {
  test('lists the latest 50 messages, newest first, without login', async () => {
    const db = kuvert.services.db;
    await db
      .insertInto('outbox_message')
      .values(
        Array.from({ length: 55 }, (_, i) => ({
          channel: 'sms' as const,
          recipient_address: `+4599${String(i).padStart(6, '0')}`,
          body: `Besked nummer ${i}`,
          purpose: 'test',
        })),
      )
      .execute();
    const page = await get('/udvikling/udbakke');
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('cache-control'), 'no-store');
    const rows = page.text.split('<tbody>')[1]?.split('<tr').slice(1) ?? [];
    assert.equal(rows.length, 50);
    assert.match(rows[0] ?? '', /Besked nummer 54/);
    assert.match(rows[49] ?? '', /Besked nummer 5</);
  });

  test('does not exist in production', async () => {
    const app = Fastify();
    await app.register(notifyPlugin, {
      services: { ...kuvert.services, config: { ...kuvert.services.config, env: 'production' } },
    });
    const response = await app.inject({ method: 'GET', url: '/udvikling/udbakke' });
    assert.equal(response.statusCode, 404);
    await app.close();
  });
});

describe('notification settings on the contact details page', () => {
  test('a citizen chooses channels, language and NemSMS; without a CSRF token nothing changes', async () => {
    const carla = await citizen('2002921234', 'Carla Berg');
    const page = await get('/indstillinger/kontakt', carla.cookie);
    assert.match(page.text, /Besked om ny post/);
    assert.match(page.text, /name="byEmail" value="1" checked/);
    assert.doesNotMatch(page.text, /name="nemsms" value="1" checked/, 'NemSMS is off until the person opts in');

    const refused = await post(
      '/indstillinger/kontakt/advisering',
      { cookie: carla.cookie, csrf: 'wrong' },
      {
        byEmail: '1',
        language: 'en',
        nemsms: '1',
      },
    );
    assert.equal(refused.status, 403);
    const none = await kuvert.services.db
      .selectFrom('notify_preference')
      .selectAll()
      .where('recipient_id', '=', carla.id)
      .execute();
    assert.equal(none.length, 0);

    const saved = await post('/indstillinger/kontakt/advisering', carla, { byEmail: '1', language: 'en', nemsms: '1' });
    assert.equal(saved.status, 303);
    assert.equal(saved.headers.get('location'), '/indstillinger/kontakt?besked=preferences#advisering');
    const row = await kuvert.services.db
      .selectFrom('notify_preference')
      .selectAll()
      .where('recipient_id', '=', carla.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(
      { byEmail: row.by_email, bySms: row.by_sms, language: row.language, nemsms: row.nemsms },
      { byEmail: true, bySms: false, language: 'en', nemsms: true },
    );
    const after = await get('/indstillinger/kontakt?besked=preferences', carla.cookie);
    assert.match(after.text, /Dine valg om besked er gemt/);
    assert.match(after.text, /name="nemsms" value="1" checked/);
    assert.doesNotMatch(after.text, /name="bySms" value="1" checked/);
    assert.match(after.text, /value="en" checked/);

    // Opting out of NemSMS again.
    await post('/indstillinger/kontakt/advisering', carla, { byEmail: '1', bySms: '1', language: 'da' });
    const optedOut = await kuvert.services.db
      .selectFrom('notify_preference')
      .select('nemsms')
      .where('recipient_id', '=', carla.id)
      .executeTakeFirstOrThrow();
    assert.equal(optedOut.nemsms, false);
  });

  test('a contact detail that bounced is shown as not working, with when and what to do', async () => {
    const dan = await citizen('0303931234', 'Dan Dal');
    const since = new Date('2026-11-30T10:00:00Z');
    await kuvert.services.db
      .insertInto('contact_detail')
      .values({
        recipient_id: dan.id,
        kind: 'email',
        value: 'dan@example.dk',
        created_at: since,
        confirmed_at: since,
        last_confirmed_at: new Date(),
        failing_since: since,
      })
      .execute();
    const page = await get('/indstillinger/kontakt', dan.cookie);
    assert.match(page.text, /Vi kan ikke give dig besked på en af dine kontaktoplysninger/);
    assert.match(page.text, /Vi kan ikke levere hertil/);
    assert.match(page.text, /Virker ikke siden/);
    assert.match(page.text, /Send en ny kode/, 'the person can confirm it again');
  });
});
