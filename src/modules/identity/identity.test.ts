import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify from 'fastify';
import { startTestKuvert, type TestKuvert } from '../../../test/support/kuvert.ts';
import { installProblemHandlers } from '../../http/problem.ts';
import { entryRoleOf, type Persona, personas } from './personas.ts';
import { loadSessionHook, requireActor } from './session.ts';
import '../../kernel/actor.ts';

const anna = personas.find((p) => p.subject === 'demo-citizen-anna');
if (anna?.role !== 'citizen') throw new Error('the demo persona Anna Jensen is missing');
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** A browser stand-in: keeps cookies (ignoring path and domain) and follows nothing by itself. */
class Browser {
  readonly cookies = new Map<string, string>();
  /** Every Location header and Set-Cookie value seen, to check that no CPR number ever travels in them. */
  readonly seen: string[] = [];

  constructor(readonly base: string) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const url = new URL(path, this.base);
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      this.seen.push(line);
      const [pair = '', ...attributes] = line.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      const expired = attributes.some((a) => /^\s*(max-age=0|expires=thu, 01 jan 1970)/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const location = response.headers.get('location');
    if (location) this.seen.push(location);
    return response;
  }

  post(path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    return this.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form).toString(),
    });
  }

  /** Follows GET redirects until a response that is not one; returns it and the path it came from. */
  async follow(response: Response): Promise<{ response: Response; path: string }> {
    let current = response;
    let path = '';
    for (let hops = 0; hops < 10 && current.status >= 300 && current.status < 400; hops++) {
      const location = current.headers.get('location');
      assert.ok(location, 'a redirect without Location');
      const next = new URL(location, this.base);
      if (next.origin !== new URL(this.base).origin) return { response: current, path: location };
      path = next.pathname + next.search;
      // Kuvert's own pages may not exist yet in this test app; stop at them instead of fetching.
      if (!/^\/(idp|idp-login|auth|login)(\/|\?|$)/.test(next.pathname)) return { response: current, path };
      current = await this.request(path);
    }
    return { response: current, path };
  }
}

/** Runs the whole login: /login → provider → persona picker → callback. Returns where Kuvert sent the browser. */
async function logInAs(browser: Browser, personaName: string, returnTo?: string): Promise<string> {
  const start = await browser.request(
    returnTo === undefined ? '/login' : `/login?returnTo=${encodeURIComponent(returnTo)}`,
  );
  assert.equal(start.status, 303);
  const toPicker = await browser.follow(start);
  assert.match(toPicker.path, /^\/idp-login\/[A-Za-z0-9_-]+$/);
  assert.equal(toPicker.response.status, 200);
  const html = await toPicker.response.text();
  const persona = personas.find((p) => p.name === personaName);
  assert.ok(persona, `no persona called ${personaName}`);
  assert.ok(html.includes(`value="${persona.subject}"`), 'the picker offers the persona');
  const picked = await browser.post(toPicker.path, { persona: persona.subject });
  assert.equal(picked.status, 303);
  const landed = await browser.follow(picked);
  assert.equal(landed.response.status, 303);
  return landed.path;
}

async function sessionRow(kuvert: TestKuvert, browser: Browser) {
  const id = browser.cookies.get('kuvert_session');
  if (!id) return undefined;
  return kuvert.services.db.selectFrom('web_session').selectAll().where('id_hash', '=', sha256(id)).executeTakeFirst();
}

describe('login through the built-in identity provider', () => {
  let kuvert: TestKuvert;

  before(async () => {
    kuvert = await startTestKuvert({ worker: false });
  });
  after(async () => {
    await kuvert?.stop();
  });

  test('a citizen who logs in through the built-in provider gets a session and lands in /post', async () => {
    const browser = new Browser(kuvert.url);
    const landing = await logInAs(browser, 'Anna Jensen');
    assert.equal(landing, '/post');

    const row = await sessionRow(kuvert, browser);
    assert.ok(row, 'a web_session row for the cookie');
    assert.equal(row.actor.kind, 'citizen');
    assert.equal(row.actor.name, 'Anna Jensen');
    assert.ok(row.expires_at.getTime() > Date.now() + 7 * 3600 * 1000);
    const recipient = await kuvert.services.db
      .selectFrom('recipient')
      .selectAll()
      .where('id', '=', row.actor.recipientId as string)
      .executeTakeFirstOrThrow();
    assert.equal(recipient.cpr, anna.cpr);
    assert.equal(recipient.kind, 'person');
    assert.equal(recipient.enrolment, 'automatic');

    const audit = await kuvert.services.db
      .selectFrom('audit_event')
      .selectAll()
      .where('action', '=', 'session.login')
      .where('actor_id', '=', recipient.id)
      .execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]?.mailbox_recipient_id, recipient.id);
  });

  test('the CPR number never appears in a redirect, a cookie or the stored session', async () => {
    const browser = new Browser(kuvert.url);
    await logInAs(browser, 'Anna Jensen', '/post');
    assert.ok(browser.seen.length > 5);
    for (const value of browser.seen) assert.ok(!value.includes(anna.cpr), `CPR leaked in ${value}`);
    const row = await sessionRow(kuvert, browser);
    assert.ok(row);
    assert.ok(!JSON.stringify(row).includes(anna.cpr), 'CPR in web_session');
  });

  test('a second login by the same citizen reuses their recipient', async () => {
    await logInAs(new Browser(kuvert.url), 'Karen Holm');
    await logInAs(new Browser(kuvert.url), 'Karen Holm');
    const karen = personas.find((p) => p.name === 'Karen Holm');
    assert.ok(karen?.role === 'citizen');
    const rows = await kuvert.services.db.selectFrom('recipient').select('id').where('cpr', '=', karen.cpr).execute();
    assert.equal(rows.length, 1);
  });

  test('a staff persona registered as sender staff becomes a sender_staff actor and lands in /afsender', async () => {
    const { db } = kuvert.services;
    const sender = await db
      .insertInto('sender')
      .values({ name: 'Skattestyrelsen', kind: 'state', cvr: '43554204' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const staff = await db
      .insertInto('staff_user')
      .values({ subject: 'demo-sender-lars', name: 'Lars Andersen', role: 'sender_staff', sender_id: sender.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    const browser = new Browser(kuvert.url);
    assert.equal(await logInAs(browser, 'Lars Andersen'), '/afsender');
    const row = await sessionRow(kuvert, browser);
    assert.deepEqual(row?.actor, {
      kind: 'sender_staff',
      subject: 'demo-sender-lars',
      name: 'Lars Andersen',
      staffId: staff.id,
      senderId: sender.id,
    });
  });

  test('a local returnTo is honoured after login', async () => {
    assert.equal(
      await logInAs(new Browser(kuvert.url), 'Anna Jensen', '/post/indbakke?side=2'),
      '/post/indbakke?side=2',
    );
  });

  test('returnTo pointing to another site (//evil.example, /\\evil.example, https://…) is ignored', async () => {
    for (const returnTo of ['//evil.example', '/\\evil.example', 'https://evil.example/post']) {
      assert.equal(await logInAs(new Browser(kuvert.url), 'Anna Jensen', returnTo), '/post', returnTo);
    }
  });

  test('a returnTo with characters above U+00FF is followed percent-encoded after a successful login', async () => {
    assert.equal(await logInAs(new Browser(kuvert.url), 'Anna Jensen', '/post/søg€'), '/post/s%C3%B8g%E2%82%AC');
    assert.equal(await logInAs(new Browser(kuvert.url), 'Anna Jensen', '/post/..//evil.example'), '/post');
  });

  test('logging in again in the same browser ends the older session', async () => {
    const browser = new Browser(kuvert.url);
    await logInAs(browser, 'Anna Jensen');
    const first = await sessionRow(kuvert, browser);
    assert.ok(first);
    // Logged out at the provider only (its session would log Anna in again): Kuvert's cookie is still there.
    browser.cookies.delete('kuvert_idp_session');
    await logInAs(browser, 'Karen Holm');
    const second = await sessionRow(kuvert, browser);
    assert.ok(second);
    assert.notEqual(second.id_hash, first.id_hash);
    assert.equal(second.actor.name, 'Karen Holm');
    const old = await kuvert.services.db
      .selectFrom('web_session')
      .select('id_hash')
      .where('id_hash', '=', first.id_hash)
      .executeTakeFirst();
    assert.equal(old, undefined, 'the older session is gone');
  });

  test('the picker lists every persona as a button named exactly after the persona, grouped by role', async () => {
    const browser = new Browser(kuvert.url);
    const { response } = await browser.follow(await browser.request('/login'));
    const html = await response.text();
    assert.match(html, /<h1>Demo-login \(MitID-simulator\)<\/h1>/);
    for (const persona of personas) {
      const name = persona.name.replace(/[()]/g, '\\$&');
      assert.match(html, new RegExp(`<button[^>]*value="${persona.subject}"[^>]*>${name}</button>`));
    }
    assert.ok(html.indexOf('Borgere') < html.indexOf('Sagsbehandlere'));
    assert.ok(html.indexOf('Borgere') < html.indexOf('Virksomhed (MitID Erhverv)'));
    assert.doesNotMatch(html, /Citizens|Cancel/, 'one language: the visitor’s');
    assert.ok(!html.includes(anna.cpr), 'the picker does not show CPR numbers');
  });

  test("staff onboarded without the seed log in by their login id on a staff entry, never on the citizens' one", async () => {
    const { db } = kuvert.services;
    const sender = await db
      .insertInto('sender')
      .values({ name: 'Naturstyrelsen', kind: 'state', cvr: '33157274' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('staff_user')
      .values({ subject: 'ns-admin-7', name: 'Ida Holm', role: 'sender_staff', sender_id: sender.id })
      .execute();
    // The citizens' entry has no such field, and a subject posted to it anyway logs nobody in.
    const citizen = new Browser(kuvert.url);
    const citizensPicker = await citizen.follow(await citizen.request('/login?returnTo=%2Fpost'));
    assert.doesNotMatch(await citizensPicker.response.text(), /name="subject"/);
    assert.equal((await citizen.post(citizensPicker.path, { subject: 'ns-admin-7' })).status, 400);
    assert.equal(citizen.cookies.get('kuvert_session'), undefined);

    const browser = new Browser(kuvert.url);
    const picker = await browser.follow(await browser.request('/login?returnTo=%2Fafsender'));
    assert.match(await picker.response.text(), /name="subject"/);
    const unknown = await browser.post(picker.path, { subject: 'nobody-here' });
    assert.equal(unknown.status, 400);
    assert.match(await unknown.text(), /ingen medarbejder med det login-id/);
    const picked = await browser.post(picker.path, { subject: 'ns-admin-7' });
    assert.equal(picked.status, 303);
    assert.equal((await browser.follow(picked)).path, '/afsender');
    const row = await sessionRow(kuvert, browser);
    assert.equal((row?.actor as { name?: string } | undefined)?.name, 'Ida Holm');
  });

  test('an entry offers only its own personas: "Log ind som borger" the citizens, the staff entries their staff', async () => {
    const entries: [string, Persona['role']][] = [
      ['/post', 'citizen'],
      ['/borgerservice', 'caseworker'],
      ['/afsender', 'sender_staff'],
      ['/drift/styring', 'operator'],
    ];
    for (const [returnTo, role] of entries) {
      const browser = new Browser(kuvert.url);
      const picker = await browser.follow(await browser.request(`/login?returnTo=${encodeURIComponent(returnTo)}`));
      const html = await picker.response.text();
      for (const persona of personas) {
        const offered = html.includes(`value="${persona.subject}"`);
        // A MitID Erhverv employee logs in as a citizen: the citizens' entry offers them too.
        const fits = persona.role === role || (role === 'citizen' && persona.role === 'business');
        assert.equal(offered, fits, `${returnTo}: ${persona.name}`);
      }
      assert.match(html, /vælg en anden indgang på forsiden/);
    }
    // A persona the entry does not offer, posted anyway, is refused: no login, no session.
    const browser = new Browser(kuvert.url);
    const picker = await browser.follow(await browser.request('/login?returnTo=%2Fpost'));
    const refused = await browser.post(picker.path, { persona: 'demo-caseworker-sofie' });
    assert.equal(refused.status, 400);
    assert.equal(browser.cookies.get('kuvert_session'), undefined);
    // The offered one logs in and lands where the entry leads.
    const picked = await browser.post(picker.path, { persona: 'demo-citizen-anna' });
    assert.equal(picked.status, 303);
    assert.equal((await browser.follow(picked)).path, '/post');
  });

  test('a page for anyone offers every persona and is returned to; which role a page is for', async () => {
    const browser = new Browser(kuvert.url);
    const start = await browser.request(`/login?returnTo=${encodeURIComponent('/')}`);
    const picker = await browser.follow(start);
    const callback = await browser.follow(await browser.post(picker.path, { persona: 'demo-citizen-karen' }));
    assert.equal(callback.response.status, 303, await callback.response.text());
    assert.equal(callback.path, '/');
    assert.equal(entryRoleOf('/post/indbakke?side=2'), 'citizen');
    assert.equal(entryRoleOf('/postkort'), null, 'a prefix is a whole path segment');
    assert.equal(entryRoleOf('/drift'), null, 'the public status page is for anyone');
    assert.equal(entryRoleOf(null), null);
  });

  test('a callback without the login cookie is refused', async () => {
    const browser = new Browser(kuvert.url);
    const response = await browser.request('/auth/callback?code=abc&state=def');
    assert.equal(response.status, 400);
  });

  test('cancelling on the picker brings the person back to the front page without a session', async () => {
    const browser = new Browser(kuvert.url);
    const toPicker = await browser.follow(await browser.request('/login'));
    const cancelled = await browser.follow(await browser.post(toPicker.path, { cancel: '1' }));
    assert.equal(cancelled.path, '/');
    assert.equal(browser.cookies.get('kuvert_session'), undefined);
  });

  test('logging out without the CSRF token is refused with 403 and the session stays valid', async () => {
    const browser = new Browser(kuvert.url);
    await logInAs(browser, 'Anna Jensen');
    const response = await browser.post('/logout', {});
    assert.equal(response.status, 403);
    const wrong = await browser.post('/logout', { _csrf: 'not-the-token' });
    assert.equal(wrong.status, 403);
    assert.ok(await sessionRow(kuvert, browser), 'the session is still there');
  });

  test('logging out with the CSRF token ends the session and ends the provider session too', async () => {
    const browser = new Browser(kuvert.url);
    await logInAs(browser, 'Anna Jensen');
    const row = await sessionRow(kuvert, browser);
    assert.ok(row);
    const response = await browser.post('/logout', { _csrf: row.csrf_token });
    assert.equal(response.status, 303);
    assert.equal(browser.cookies.get('kuvert_session'), undefined, 'the cookie is cleared');
    const gone = await kuvert.services.db
      .selectFrom('web_session')
      .select('id_hash')
      .where('id_hash', '=', row.id_hash)
      .executeTakeFirst();
    assert.equal(gone, undefined);
    const location = new URL(response.headers.get('location') ?? '', kuvert.url);
    assert.equal(location.pathname, '/idp/session/end');
    assert.ok(location.searchParams.get('id_token_hint'));
    assert.equal(location.searchParams.get('post_logout_redirect_uri'), `${kuvert.url}/`);

    // The provider asks for confirmation (auto-submitted by its script); confirming lands on Kuvert's front page.
    const confirm = await browser.request(location.pathname + location.search);
    assert.equal(confirm.status, 200);
    const page = await confirm.text();
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page)?.[1];
    assert.ok(xsrf, 'the confirmation form');
    const done = await browser.post('/idp/session/end/confirm', { xsrf, logout: 'yes' });
    assert.equal(done.status, 303);
    assert.equal(done.headers.get('location'), `${kuvert.url}/`);
    assert.equal(browser.cookies.get('kuvert_idp_session'), undefined, 'the provider session cookie is cleared');
  });
});

describe('requireActor', () => {
  let kuvert: TestKuvert;
  const app = Fastify();

  before(async () => {
    kuvert = await startTestKuvert({ worker: false });
    app.decorateRequest('actor', null);
    app.decorateRequest('csrfToken', null);
    await app.register(cookie);
    await app.register(formbody);
    installProblemHandlers(app, (_request, reply, problem) => reply.send(problem));
    app.addHook('onRequest', loadSessionHook(kuvert.services.db));
    app.get('/post', { preHandler: requireActor('citizen') }, async (request) => ({ name: request.actor?.name }));
    app.post('/post/arkiv', { preHandler: requireActor() }, async () => ({ ok: true }));
    app.get('/afsender', { preHandler: requireActor(['sender_staff', 'operator']) }, async () => ({ ok: true }));
    await app.ready();
  });
  after(async () => {
    await app.close();
    await kuvert?.stop();
  });

  test('a logged-out GET is sent to /login with the way back', async () => {
    const response = await app.inject({ method: 'GET', url: '/post?side=2' });
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, `/login?returnTo=${encodeURIComponent('/post?side=2')}`);
  });

  test('a logged-out POST gets 401 login_required', async () => {
    const response = await app.inject({ method: 'POST', url: '/post/arkiv' });
    assert.equal(response.statusCode, 401);
    assert.equal(response.json().code, 'login_required');
  });

  test('a citizen reaches citizen pages but gets 403 forbidden on sender pages', async () => {
    const browser = new Browser(kuvert.url);
    await logInAs(browser, 'Anna Jensen');
    const cookieHeader = `kuvert_session=${browser.cookies.get('kuvert_session')}`;
    const mine = await app.inject({ method: 'GET', url: '/post', headers: { cookie: cookieHeader } });
    assert.equal(mine.statusCode, 200);
    assert.equal(mine.json().name, 'Anna Jensen');
    const theirs = await app.inject({ method: 'GET', url: '/afsender', headers: { cookie: cookieHeader } });
    assert.equal(theirs.statusCode, 403);
    assert.equal(theirs.json().code, 'forbidden');
  });

  test('an expired session counts as logged out and is deleted', async () => {
    const browser = new Browser(kuvert.url);
    await logInAs(browser, 'Anna Jensen');
    const id = browser.cookies.get('kuvert_session') ?? '';
    const { db } = kuvert.services;
    await db
      .updateTable('web_session')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id_hash', '=', sha256(id))
      .execute();
    const response = await app.inject({ method: 'GET', url: '/post', headers: { cookie: `kuvert_session=${id}` } });
    assert.equal(response.statusCode, 303);
    const row = await db
      .selectFrom('web_session')
      .select('id_hash')
      .where('id_hash', '=', sha256(id))
      .executeTakeFirst();
    assert.equal(row, undefined);
  });
});
