import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { citizen, type WebUser } from '../../test/support/correspondence.ts';
import { createSender, letterBody } from '../../test/support/fixtures.ts';
import { startTestKuvert, type TestKuvert } from '../../test/support/kuvert.ts';

const ANNA = '1503851234';

let kuvert: TestKuvert;
let apiKey: string;
let anna: WebUser;

before(async () => {
  kuvert = await startTestKuvert({ worker: false });
  apiKey = (await createSender(kuvert.services.db, 'Aarhus Kommune')).apiKey;
  anna = await citizen(kuvert, ANNA, 'Anna Jensen');
});
after(async () => kuvert?.stop());

async function send(body: unknown) {
  const response = await fetch(`${kuvert.url}/api/v1/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

async function web(path: string, init: { method?: string; form?: Record<string, string>; user?: WebUser } = {}) {
  const headers: Record<string, string> = init.user ? { cookie: init.user.cookie } : {};
  if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
  const response = await fetch(`${kuvert.url}${path}`, {
    method: init.method ?? (init.form ? 'POST' : 'GET'),
    headers,
    redirect: 'manual',
    ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
  });
  return { status: response.status, location: response.headers.get('location'), text: await response.text() };
}

const payAction = (url: string) => ({ actions: [{ actionCode: 'BETALING', label: 'Betal', url }] });
const meeting = (start: string, end: string) => ({
  actions: [
    {
      actionCode: 'AFTALE',
      label: 'Møde',
      reservation: {
        description: 'Møde om boligstøtte',
        reservationUuid: '0b6f1c5e-8f0a-4c1e-9a53-2f1d2b3c4d5e',
        abstract: 'Møde',
        location: 'Rådhuset',
        startDateTime: start,
        endDateTime: end,
      },
    },
  ],
});

describe('odd input to POST /api/v1/messages gets a 4xx problem naming the field, never a 500', () => {
  const cases: [string, Record<string, unknown>, number, string, string][] = [
    ['NUL in the label', { label: 'Afgørelse\u0000' }, 400, 'invalid_characters', '/label'],
    [
      'NUL in a document title',
      { documents: [{ ...letterBody(ANNA).documents[0], title: '\u0000' }] },
      400,
      'invalid_characters',
      '/documents/0/title',
    ],
    ['NUL in the sender reference', { senderReference: 'SAG\u0000' }, 400, 'invalid_characters', '/senderReference'],
    ['a control character in the label', { label: 'Afgørelse\u0007' }, 400, 'invalid_characters', '/label'],
    ['a line break in the label', { label: 'Afgørelse\nom' }, 400, 'invalid_characters', '/label'],
    [
      'a lone surrogate in the notification',
      { notification: 'Ny post \uD800' },
      400,
      'invalid_characters',
      '/notification',
    ],
    ['a label of only spaces', { label: '   ' }, 422, 'blank_text', '/label'],
    ['a leap second in replyBy', { replyBy: '2026-02-28T23:59:60Z' }, 422, 'invalid_date_time', '/replyBy'],
    ['year 0000 in replyBy', { replyBy: '0000-06-01T12:00:00Z' }, 422, 'invalid_date_time', '/replyBy'],
    ['year 0000 in doNotDeliverUntil', { doNotDeliverUntil: '0000-01-01' }, 422, 'invalid_date', '/doNotDeliverUntil'],
    ['an action URL that is not https', payAction('http://pay.example'), 422, 'insecure_action_url', '/actions/0/url'],
    [
      'an action URL with a tab in it',
      payAction('https://pay\t.example'),
      422,
      'insecure_action_url',
      '/actions/0/url',
    ],
    [
      'a reservation ending before it starts',
      meeting('2026-05-04T10:00:00Z', '2026-05-04T09:00:00Z'),
      422,
      'invalid_period',
      '/actions/0/reservation/endDateTime',
    ],
    [
      'a reservation ending on a leap second',
      meeting('2026-05-04T10:00:00Z', '2026-06-30T23:59:60Z'),
      422,
      'invalid_date_time',
      '/actions/0/reservation/endDateTime',
    ],
  ];
  for (const [what, overrides, status, code, field] of cases) {
    test(what, async () => {
      const sent = await send(letterBody(ANNA, overrides));
      assert.equal(sent.status, status, JSON.stringify(sent.body));
      assert.equal(sent.body.code, code);
      assert.equal(sent.body.errors?.[0]?.field, field);
    });
  }

  test('https action URLs however written are stored as their normalised href (the database accepts them)', async () => {
    for (const [written, stored] of [
      ['HTTPS://pay.example/regning', 'https://pay.example/regning'],
      ['https:pay.example', 'https://pay.example/'],
      [' https://pay.example/x', 'https://pay.example/x'],
    ]) {
      const sent = await send(letterBody(ANNA, payAction(written as string)));
      assert.equal(sent.status, 201, `${written}: ${JSON.stringify(sent.body)}`);
      const row = await kuvert.services.db
        .selectFrom('message_action')
        .select('url')
        .where('message_id', '=', sent.body.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.url, stored);
    }
  });

  test('a date-time with an offset is stored in UTC', async () => {
    const sent = await send(letterBody(ANNA, { replyBy: '2026-03-01T01:30:00+02:00' }));
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const status = await fetch(`${kuvert.url}/api/v1/messages/${sent.body.id}`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    assert.equal(((await status.json()) as any).replyBy, '2026-02-28T23:30:00.000Z');
  });

  test('NUL in a query string of the API is refused with the parameter named', async () => {
    const response = await fetch(`${kuvert.url}/api/v1/messages/x%00y`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as any).code, 'invalid_characters');
  });
});

describe('odd input to pages gets a readable 4xx page', () => {
  test('NUL in the mailbox search (query string or posted form) is refused with 400', async () => {
    const asked = await web('/post/soeg?q=%00', { user: anna });
    assert.equal(asked.status, 400);
    const posted = await web('/post/soeg', { user: anna, form: { _csrf: anna.csrf, q: 'brev\u0000' } });
    assert.equal(posted.status, 400);
  });

  test('NUL in a folder name is refused with 400, not stored', async () => {
    const created = await web('/post/mapper', { user: anna, form: { _csrf: anna.csrf, navn: 'Skat\u0000' } });
    assert.equal(created.status, 400);
  });
});

describe('the mailbox search posts its query', () => {
  test('a posted query goes to the results page; a posted CPR number never reaches an address', async () => {
    const found = await web('/post/soeg', { user: anna, form: { _csrf: anna.csrf, q: '  boligstøtte  ' } });
    assert.equal(found.status, 303);
    assert.equal(found.location, '/post/soeg?q=boligst%C3%B8tte');
    for (const q of ['150385 1234', '15.03.85-1234', 'brev 1503851234']) {
      const refused = await web('/post/soeg', { user: anna, form: { _csrf: anna.csrf, q } });
      assert.equal(refused.status, 303, q);
      assert.equal(refused.location, '/post/soeg?fejl=cpr_not_allowed');
    }
  });

  test('posting a search without the CSRF token is refused', async () => {
    const refused = await web('/post/soeg', { user: anna, form: { q: 'brev' } });
    assert.equal(refused.status, 403);
  });

  test('the search box is a POST form carrying the CSRF token', async () => {
    const page = await web('/post', { user: anna });
    assert.match(page.text, /<form class="kuvert-search" method="post" action="\/post\/soeg">/);
    assert.ok(page.text.includes(`name="_csrf" value="${anna.csrf}"`));
  });
});

describe('redirects go only to validated paths of this site', () => {
  test('/sprog follows a local returnTo, percent-encoded, and ignores anything leaving the site', async () => {
    const cases: [string, string][] = [
      ['/post?mappe=arkiv', '/post?mappe=arkiv'],
      ['/post/søg€', '/post/s%C3%B8g%E2%82%AC'],
      ['/post/..//evil.example', '/'],
      ['//evil.example', '/'],
      ['/\\evil.example', '/'],
      ['/%2F%2Fevil.example', '/%2F%2Fevil.example'],
      ['https://evil.example/', '/'],
      ['/post\r\nSet-Cookie: x=1', '/'],
    ];
    for (const [returnTo, location] of cases) {
      const response = await web(`/sprog?lang=en&returnTo=${encodeURIComponent(returnTo)}`);
      assert.equal(response.status, 303, returnTo);
      assert.equal(response.location, location, returnTo);
    }
  });

  test('/post/handling never sends the browser off the site, whatever returnTo says', async () => {
    for (const returnTo of ['/post/..//evil.example', '/post/../../evil', '//evil.example/post', '/post/€']) {
      const response = await web('/post/handling', {
        user: anna,
        form: { _csrf: anna.csrf, handling: 'mark_read', returnTo },
      });
      assert.equal(response.status, 303, returnTo);
      const location = response.location ?? '';
      assert.match(location, /^\/post(?:[/?]|$)/, `${returnTo} → ${location}`);
      assert.ok(!location.startsWith('//'), location);
    }
  });

  test('/login with a returnTo above U+00FF starts the login instead of failing', async () => {
    const response = await web(`/login?returnTo=${encodeURIComponent('/post/søg€')}`);
    assert.equal(response.status, 303);
  });
});
