import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { TOKEN_PATH } from '../src/modules/identity/index.ts';
import {
  type Actual,
  buildFixtures,
  type Caller,
  type Expected,
  type Fixtures,
  formatMatrix,
  MACHINE_ROLES,
  ROLES,
  type Role,
  WEB_ROLES,
} from './support/authorisation-matrix.ts';
import { letterBody } from './support/fixtures.ts';
import { startTestKuvert, type TestKuvert } from './support/kuvert.ts';
import { tokenForm } from './support/machine-login.ts';

/*
 * Issue 17: the authorisation matrix. Every new route of the issue (pages and their forms, /oauth/token, one route
 * of each sender scope on /api/v1) is called by every kind of caller, and each answer's status must be the one the
 * policies decide (access/mailbox.policy.ts, identity/sender-staff.policy.ts, identity/scope.policy.ts and the
 * routes' requireActor/requireScopes). One app, one database, fixtures made through the real logins and use cases
 * (support/authorisation-matrix.ts). On failure the whole matrix is printed, a wrong cell as "expected≠actual".
 *
 * Columns (ROLES in support/authorisation-matrix.ts): web callers hold a session (forms send its CSRF token, so a
 * cell tests the policy, not CSRF) and no bearer; machine callers hold a bearer and no session.
 *
 * HOW TO ADD A ROW: one line in ROWS below, through one of
 *   page(path, cells)            GET of a web page; machine callers default to 'login' (they have no session)
 *   form(path, fields, cells)    POST of a form with the caller's CSRF token; machine callers default to 401
 *   api(method, path, body, cells)  a /api/v1 call with the caller's bearer; web callers default to 401
 * `path` and `fields` may be functions of the fixtures (and of the role, for fields). `cells` names the statuses
 * that differ from its `_` (the row's default for the callers not named). E.g. the business inbox API and the
 * on-behalf pages, when they exist on this branch:
 *   api('GET', '/api/v1/inbox/messages', undefined, { _: 403, businessToken: 200, revokedKey: 401, ... }),
 *   page('/afsender/paa-vegne-af', { _: 403, anonymous: 'login', senderAdmin: 200, ... }),
 * HOW TO ADD A COLUMN (e.g. an expired on-behalf authorisation): its name in WEB_ROLES or MACHINE_ROLES, its
 * credentials in buildFixtures' `callers`, and a cell in the rows where it differs from the row's `_`.
 */

type Cells = { _: Expected } & Partial<Record<Role, Expected>>;
type Of<T> = T | ((fx: Fixtures, role: Role) => T);
interface Row {
  name: string;
  send: (fx: Fixtures, role: Role, caller: Caller) => Promise<Response>;
  cells: Cells;
}

let kuvert: TestKuvert;
let fx: Fixtures;
const resolve = <T>(value: Of<T>, role: Role): T =>
  typeof value === 'function' ? (value as (fx: Fixtures, role: Role) => T)(fx, role) : value;
const at = (path: string) => `${kuvert.url}${path}`;
const bearerOnly = (caller: Caller): Record<string, string> =>
  caller.bearer ? { authorization: `Bearer ${caller.bearer}` } : {};
const sessionOnly = (caller: Caller): Record<string, string> => (caller.cookie ? { cookie: caller.cookie } : {});
const defaults = (cells: Cells, roles: readonly Role[], value: Expected): Cells => ({
  ...Object.fromEntries(roles.map((r) => [r, value])),
  ...cells,
});

function page(path: Of<string>, cells: Cells): Row {
  return {
    name: `GET ${typeof path === 'string' ? path : path.name || 'page'}`,
    cells: defaults(cells, MACHINE_ROLES, 'login'),
    send: async (_fx, role, caller) =>
      fetch(at(resolve(path, role)), {
        headers: { ...sessionOnly(caller), ...bearerOnly(caller) },
        redirect: 'manual',
      }),
  };
}

function form(path: Of<string>, fields: Of<Record<string, string>>, cells: Cells): Row {
  return {
    name: `POST ${typeof path === 'string' ? path : path.name || 'form'}`,
    cells: defaults(cells, MACHINE_ROLES, 401),
    send: async (_fx, role, caller) =>
      fetch(at(resolve(path, role)), {
        method: 'POST',
        headers: {
          ...sessionOnly(caller),
          ...bearerOnly(caller),
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ ...(caller.csrf ? { _csrf: caller.csrf } : {}), ...resolve(fields, role) }),
        redirect: 'manual',
      }),
  };
}

function api(method: string, path: Of<string>, body: Of<unknown>, cells: Cells): Row {
  return {
    name: `${method} ${typeof path === 'string' ? path : path.name || 'api'}`,
    cells: defaults(cells, WEB_ROLES, 401),
    send: async (_fx, role, caller) => {
      const json = resolve(body, role);
      return fetch(at(resolve(path, role)), {
        method,
        headers: {
          ...sessionOnly(caller),
          ...bearerOnly(caller),
          ...(json === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: json === undefined ? undefined : JSON.stringify(json),
        redirect: 'manual',
      });
    },
  };
}

/** The token endpoint: a client's fresh (or replayed) assertion; anyone else asks without one. */
const tokenRow = (cells: Cells): Row => ({
  name: `POST ${TOKEN_PATH}`,
  cells,
  send: async (_fx, _role, caller) =>
    fetch(at(TOKEN_PATH), {
      method: 'POST',
      headers: { ...sessionOnly(caller), ...bearerOnly(caller), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(
        caller.assertion
          ? { ...tokenForm(await caller.assertion()), ...caller.tokenFields }
          : { grant_type: 'client_credentials' },
      ),
    }),
});

// Paths that depend on the fixtures are named functions, so the printed table says which route it is.
const administrators = '/post/adgang/administratorer';
const grantFolders = Object.defineProperty((f: Fixtures) => `/post/adgang/${f.scopedGrantId}/mapper`, 'name', {
  value: '/post/adgang/:id/mapper',
});
const staffRole = Object.defineProperty((f: Fixtures) => `/afsender/medarbejdere/${f.staffId}/rolle`, 'name', {
  value: '/afsender/medarbejdere/:id/rolle',
});
const testLetter = Object.defineProperty((f: Fixtures) => `/afsender/testpostkasse/${f.testLetterId}`, 'name', {
  value: '/afsender/testpostkasse/:id',
});
const liveLetter = Object.defineProperty((f: Fixtures) => `/api/v1/messages/${f.liveLetterId}`, 'name', {
  value: '/api/v1/messages/:id',
});

const acknowledge = Object.defineProperty(
  () => `/api/v1/inbox/letters/${'0190e4a4-0000-7000-8000-000000000000'}/acknowledge`,
  'name',
  { value: '/api/v1/inbox/letters/:id/acknowledge' },
);

const BUSINESS_ONLY = { anonymous: 'login', businessAdmin: 200 } as const;
const SENDER_PAGE = { anonymous: 'login', senderAdmin: 200, senderStaff: 200, otherSenderAdmin: 200 } as const;
/** A sender scope's route: keys and full tokens pass, a revoked/replayed credential is 401, a business token 403. */
const SCOPED = (scope: string, ok: Expected, few: Expected) =>
  ({
    _: 401,
    liveKey: ok,
    testKey: ok,
    tokenAllScopes: ok,
    tokenFewScopes: few,
    businessToken: 403,
    // A vendor on the authority's behalf holds what the authority authorised: messages:send and messages:read.
    onBehalfToken: ['messages:send', 'messages:read'].includes(scope) ? ok : 403,
  }) as const;
/** An inbox route: only a business's system with the scope; a sender's credential, whatever it holds, 403. */
const INBOX = (business: Expected) =>
  ({
    _: 401,
    liveKey: 403,
    testKey: 403,
    tokenAllScopes: 403,
    tokenFewScopes: 403,
    businessToken: business,
    onBehalfToken: 403,
  }) as const;

const ROWS: Row[] = [
  page(administrators, { _: 403, ...BUSINESS_ONLY }),
  form(administrators, (f) => ({ mailbox: f.firmId, cpr: '0101902222', name: 'Bo Bestyrer' }), {
    _: 403,
    anonymous: 401,
    businessAdmin: 303,
  }),
  page(grantFolders, { _: 403, ...BUSINESS_ONLY, citizen: 404, employee: 404, scopedEmployee: 404 }),
  form(grantFolders, (f) => ({ omfang: 'mapper', mappe: f.folderId }), { _: 403, anonymous: 401, businessAdmin: 303 }),
  page('/post/regler', { _: 403, ...BUSINESS_ONLY, citizen: 200 }),
  form('/post/regler', (f) => ({ folder: f.folderId, words: 'faktura' }), {
    _: 403,
    anonymous: 401,
    businessAdmin: 303,
    citizen: 400,
  }),
  // The export of a whole mailbox (issue 18): its owner and a business's administrator only.
  page('/post/eksport', { _: 403, ...BUSINESS_ONLY, citizen: 200 }),
  form('/post/eksport', {}, { _: 403, anonymous: 401, businessAdmin: 303, citizen: 303 }),
  page('/drift/styring/afsendere', { _: 403, anonymous: 'login', operator: 200 }),
  form(
    '/drift/styring/afsendere',
    {
      cvr: '64942212',
      name: 'Københavns Kommune',
      kind: 'municipality',
      municipalityCode: '0101',
      contactEmail: 'post@kk.example',
      adminSubject: 'matrix-kk-admin',
      adminName: 'Kim Kommune',
    },
    { _: 403, anonymous: 401, operator: 303 },
  ),
  page('/afsender/medarbejdere', { _: 403, ...SENDER_PAGE }),
  form('/afsender/medarbejdere', (_f, role) => ({ subject: `new-${role}`, name: 'Ny Kollega', role: 'staff' }), {
    _: 403,
    anonymous: 401,
    senderAdmin: 303,
    otherSenderAdmin: 303,
  }),
  form(staffRole, { role: 'staff' }, { _: 403, anonymous: 401, senderAdmin: 303, otherSenderAdmin: 404 }),
  page('/afsender/api-noegler', { _: 403, ...SENDER_PAGE, senderStaff: 403 }),
  form(
    '/afsender/api-noegler',
    { label: 'Matrix', test: '1' },
    {
      _: 403,
      anonymous: 401,
      senderAdmin: 201,
      otherSenderAdmin: 201,
    },
  ),
  page('/afsender/testpostkasse', { _: 403, ...SENDER_PAGE }),
  page(testLetter, { _: 403, ...SENDER_PAGE, otherSenderAdmin: 404 }),
  // No client assertion is no client authentication: invalid_client, 401 (RFC 6749 §5.2), as for a replayed jti.
  // An on-behalf token is refused once the authorisation has ended (invalid_grant, 400).
  tokenRow({
    _: 401,
    tokenAllScopes: 200,
    tokenFewScopes: 200,
    businessToken: 200,
    onBehalfToken: 200,
    onBehalfExpired: 400,
  }),
  api('POST', '/api/v1/messages', letterBody('0101901111'), SCOPED('messages:send', 201, 403)),
  api('GET', liveLetter, undefined, SCOPED('messages:read', 200, 200)),
  api('POST', '/api/v1/recipients/reachability', {}, SCOPED('recipients:reachability', 400, 403)),
  api('GET', '/api/v1/webhooks', undefined, SCOPED('webhooks:manage', 200, 403)),
  api('GET', '/api/v1/contact-points', undefined, SCOPED('correspondence:read', 200, 403)),
  api('POST', '/api/v1/contact-points', {}, SCOPED('correspondence:write', 400, 403)),
  api('GET', '/api/v1/inbox/letters', undefined, INBOX(200)),
  // The business token holds inbox:read only: too few scopes to acknowledge.
  api('POST', acknowledge, {}, INBOX(403)),
  page('/afsender/systemer', { _: 403, ...SENDER_PAGE, senderStaff: 403 }),
  page('/afsender/paa-vegne-af', { _: 403, ...SENDER_PAGE, senderStaff: 403 }),
];

before(async () => {
  kuvert = await startTestKuvert({ worker: false, env: { KUVERT_RATE_LIMIT: 'false' } });
  fx = await buildFixtures(kuvert);
});
after(async () => {
  await kuvert?.stop();
});

/** The status, 'login' for a redirect to the login, and 'csrf' if a refusal was the CSRF check's (a broken cell). */
async function statusOf(response: Response): Promise<Expected | 'csrf'> {
  const text = await response.text();
  if (response.status === 403 && text.includes('csrf_failed')) return 'csrf';
  const location = response.headers.get('location') ?? '';
  return response.status === 303 && location.startsWith('/login') ? 'login' : response.status;
}

test('every new route of issue 17 answers every caller as its policy decides', { timeout: 120_000 }, async () => {
  const results = [];
  let wrong = 0;
  for (const row of ROWS) {
    const cells = {} as Record<Role, { expected: Expected; actual: Actual }>;
    for (const role of ROLES) {
      const response = await row.send(fx, role, fx.callers[role]);
      const expected = row.cells[role] ?? row.cells._;
      const actual = await statusOf(response);
      if (expected !== actual) wrong++;
      cells[role] = { expected, actual };
    }
    results.push({ name: row.name, cells });
  }
  assert.equal(wrong, 0, `${wrong} cells differ (expected≠actual):\n${formatMatrix(results)}`);
});
