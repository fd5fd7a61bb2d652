import { createHash, randomUUID } from 'node:crypto';
import { loadMunicipalities } from '../../src/db/municipalities.ts';
import type { Actor } from '../../src/kernel/actor.ts';
import { grantAccess } from '../../src/modules/access/grant-access.ts';
import { resolveMailboxAccess, scopeGrant } from '../../src/modules/access/index.ts';
import { createApiKey, revokeApiKey } from '../../src/modules/identity/api-keys.ts';
import { createSender } from '../../src/modules/identity/create-sender.ts';
import {
  authoriseOnBehalf,
  registerSystemClient,
  revokeSystemClient,
  type Scope,
  SENDER_SCOPES,
  TOKEN_PATH,
} from '../../src/modules/identity/index.ts';
import { logIn } from '../../src/modules/identity/log-in.ts';
import { DEMO_BUSINESS_CVR } from '../../src/modules/identity/personas.ts';
import { addSenderStaff } from '../../src/modules/identity/sender-staff.ts';
import { createFolder } from '../../src/modules/mailbox/folders.ts';
import { deliverMessage } from '../../src/modules/messages/deliver-message.ts';
import { createBusiness } from './access.ts';
import { addDemoCaseworker, createPerson } from './fixtures.ts';
import { postLetter, type TestKuvert } from './kuvert.ts';
import { LoginBrowser } from './login-browser.ts';
import { clientAssertion, newClientKey, requestToken, tokenForm } from './machine-login.ts';

/** The callers of the matrix, in column order. Web roles hold a session; machine roles hold a bearer credential. */
export const WEB_ROLES = [
  'anonymous',
  'citizen',
  'businessAdmin',
  'employee',
  'scopedEmployee',
  'senderAdmin',
  'senderStaff',
  'otherSenderAdmin',
  'operator',
  'caseworker',
] as const;
export const MACHINE_ROLES = [
  'liveKey',
  'revokedKey',
  'testKey',
  'tokenAllScopes',
  'tokenFewScopes',
  'businessToken',
  'replayedJti',
  'revokedClient',
  'onBehalfToken',
  'onBehalfExpired',
] as const;
export const ROLES = [...WEB_ROLES, ...MACHINE_ROLES] as const;
export type Role = (typeof ROLES)[number];

/** A cell: an HTTP status, or 'login' (303 to /login, what a page answers a GET without a session). */
export type Expected = number | 'login';
/** An answer: a status, 'login', or 'csrf' when a form was refused by the CSRF check (never expected). */
export type Actual = Expected | 'csrf';

/** What each caller presents. A machine client also keeps its key, so /oauth/token can be asked again. */
export interface Caller {
  cookie?: string;
  csrf?: string;
  bearer?: string;
  /** A client assertion for /oauth/token (fresh each call, except the replayed one). */
  assertion?: () => Promise<string>;
  /** More fields of its token request (a vendor's `on_behalf_of`). */
  tokenFields?: Record<string, string>;
}

export interface Fixtures {
  callers: Record<Role, Caller>;
  firmId: string;
  folderId: string;
  scopedGrantId: string;
  staffId: string;
  testLetterId: string;
  liveLetterId: string;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** The session's CSRF token (as its forms carry it), read where the server keeps it. */
async function sessionCaller(kuvert: TestKuvert, cookies: string, sessionId: string): Promise<Caller> {
  const row = await kuvert.services.db
    .selectFrom('web_session')
    .select(['csrf_token', 'actor'])
    .where('id_hash', '=', sha256(sessionId))
    .executeTakeFirstOrThrow();
  return { cookie: cookies, csrf: row.csrf_token };
}

/** The whole OIDC login through the built-in provider's picker, as `persona`, entering at `entry`. */
async function personaLogin(kuvert: TestKuvert, persona: { subject: string }, entry: string) {
  const browser = new LoginBrowser(kuvert.url);
  const picker = await browser.follow(await browser.request(`/login?returnTo=${encodeURIComponent(entry)}`));
  const done = await browser.follow(await browser.post(picker.path, { persona: persona.subject }));
  if (done.response.status !== 303) throw new Error(`login of ${persona.subject}: ${done.response.status}`);
  const sessionId = browser.cookies.get('kuvert_session') ?? '';
  const row = await kuvert.services.db
    .selectFrom('web_session')
    .select('actor')
    .where('id_hash', '=', sha256(sessionId))
    .executeTakeFirstOrThrow();
  return { browser, sessionId, actor: row.actor as unknown as Actor };
}

/** A login by the identity provider's claims (staff the built-in provider does not know): the callback's use case. */
async function claimsLogin(kuvert: TestKuvert, sub: string): Promise<Caller> {
  const { sessionId } = await logIn(kuvert.services.db, { claims: { sub }, issuer: 'matrix', idToken: undefined });
  return sessionCaller(kuvert, `kuvert_session=${sessionId}`, sessionId);
}

/** A registered machine client with its key; `token` is a real access token from /oauth/token. */
async function machineClient(
  kuvert: TestKuvert,
  owner: { senderId: string } | { businessRecipientId: string },
  scopes: readonly Scope[],
) {
  const key = await newClientKey();
  const clientId = await registerSystemClient(
    kuvert.services,
    { actorKind: 'system', actorId: 'matrix' },
    { name: 'Matrix system', owner, keys: { jwks: { keys: [key.jwk] } }, scopes: [...scopes] },
  );
  const audience = `${kuvert.services.config.publicUrl.replace(/\/+$/, '')}${TOKEN_PATH}`;
  const assertion = (jti = randomUUID()) => clientAssertion(key, clientId, audience, { jti });
  const answer = await requestToken(kuvert.url, tokenForm(await assertion()));
  if (answer.status !== 200) throw new Error(`token refused: ${JSON.stringify(answer.body)}`);
  return { clientId, assertion, token: answer.body.access_token as string };
}

const CITIZEN_CPR = '0101901111';
const AUTHORITY_CVR = '43554204';

/** A vendor (a sender of its own) authorised by the authority, its system, and a token on the authority's behalf. */
async function vendorToken(kuvert: TestKuvert, authorityId: string, cvr: string, name: string) {
  const { senderId: vendorId } = await createSender(
    kuvert.services.db,
    { cvr, name, kind: 'other', contactEmail: 'post@vendor.example', adminSubject: `admin-${cvr}`, adminName: name },
    { kind: 'cli' },
  );
  await authoriseOnBehalf(
    kuvert.services.db,
    { kind: 'cli' },
    {
      authoritySenderId: authorityId,
      vendorCvr: cvr,
      scopes: ['messages:send', 'messages:read'],
      endsAt: new Date(Date.now() + 30 * 86_400_000),
    },
  );
  const client = await machineClient(kuvert, { senderId: vendorId }, ['messages:send', 'messages:read']);
  const fields = { on_behalf_of: AUTHORITY_CVR };
  const answer = await requestToken(kuvert.url, { ...tokenForm(await client.assertion()), ...fields });
  if (answer.status !== 200) throw new Error(`on-behalf token refused: ${JSON.stringify(answer.body)}`);
  return { vendorId, fields, assertion: () => client.assertion(), token: answer.body.access_token as string };
}

/**
 * Everyone of the matrix, through the real logins and use cases: Jensen Design ApS (the demo CVR) with Anna as its
 * administrator (MitID Erhverv login), Jonas as an employee of the whole mailbox, Karen as one scoped to a folder;
 * Mikkel-like citizen without a business; a sender (created as an operator would) whose admin is Lars (persona
 * login), one staff member and another sender's admin (claims logins); Ole the operator; Sofie the caseworker; keys,
 * tokens and clients of the first sender and of the business.
 */
export async function buildFixtures(kuvert: TestKuvert): Promise<Fixtures> {
  const { db } = kuvert.services;
  await loadMunicipalities(db);
  await addDemoCaseworker(db);
  await db
    .insertInto('staff_user')
    .values({ subject: 'demo-operator-ole', name: 'Ole Kristensen', role: 'operator', sender_id: null })
    .execute();
  const firmId = await createBusiness(db, DEMO_BUSINESS_CVR, 'Jensen Design ApS');
  const cli = { kind: 'cli' } as const;
  const { senderId } = await createSender(
    db,
    {
      cvr: AUTHORITY_CVR,
      name: 'Skattestyrelsen',
      kind: 'state',
      contactEmail: 'post@sktst.example',
      adminSubject: 'demo-sender-lars',
      adminName: 'Lars Andersen',
    },
    cli,
  );
  await createSender(
    db,
    {
      cvr: '29190623',
      name: 'Region Hovedstaden',
      kind: 'region',
      contactEmail: 'post@regionh.example',
      adminSubject: 'matrix-other-admin',
      adminName: 'Anden Admin',
    },
    cli,
  );

  const anna = await personaLogin(kuvert, { subject: 'demo-business-anna' }, '/post');
  const jonas = await personaLogin(kuvert, { subject: 'demo-business-jonas' }, '/post');
  const karen = await personaLogin(kuvert, { subject: 'demo-citizen-karen' }, '/post');
  await createPerson(db, CITIZEN_CPR, 'Mikkel Matrix');
  await createPerson(db, '0101902222', 'Bo Bestyrer');
  const lars = await personaLogin(kuvert, { subject: 'demo-sender-lars' }, '/afsender');
  const ole = await personaLogin(kuvert, { subject: 'demo-operator-ole' }, '/drift/styring');
  const sofie = await personaLogin(kuvert, { subject: 'demo-caseworker-sofie' }, '/borgerservice');
  const citizen = await personaLogin(kuvert, { subject: 'demo-citizen-mikkel' }, '/post');

  // Anna gives Jonas the whole mailbox and Karen one folder, as she would on the access pages.
  const annaActor = anna.actor as Extract<Actor, { kind: 'citizen' }>;
  await grantAccess(kuvert.services, annaActor, {
    mailboxId: firmId,
    cpr: '1207884567',
    name: 'Jonas Berg',
    level: 'read',
  });
  const karenGrant = await grantAccess(kuvert.services, annaActor, {
    mailboxId: firmId,
    cpr: '2409441238',
    name: 'Karen Holm',
    level: 'read',
  });
  const annaAccess = await resolveMailboxAccess(db, annaActor, firmId);
  const folder = await createFolder(db, annaActor, annaAccess, 'Regnskab');
  await scopeGrant(db, annaActor, {
    mailboxId: firmId,
    grantId: karenGrant.id,
    folderIds: [folder.id],
    mailboxFolderIds: [folder.id],
  });
  // The mailbox switcher's choice: the business mailbox (Anna's login already chose it).
  for (const employee of [jonas, karen]) employee.browser.cookies.set('kuvert_mailbox', firmId);

  const larsActor = lars.actor;
  const staffId = await addSenderStaff(db, larsActor, { subject: 'matrix-staff', name: 'Mette Staff', role: 'staff' });

  const live = await createApiKey(db, senderId, 'live');
  const revoked = await createApiKey(db, senderId, 'revoked');
  await revokeApiKey(db, senderId, revoked.id);
  const testKey = await createApiKey(db, senderId, 'test', undefined, true);
  const liveLetterId = await postLetter(kuvert, live.key, CITIZEN_CPR);
  const testLetterId = await postLetter(kuvert, testKey.key, CITIZEN_CPR);
  await deliverMessage(kuvert.services, { messageId: testLetterId });

  const all = await machineClient(kuvert, { senderId }, SENDER_SCOPES);
  const few = await machineClient(kuvert, { senderId }, ['messages:read']);
  const business = await machineClient(kuvert, { businessRecipientId: firmId }, ['inbox:read']);
  const gone = await machineClient(kuvert, { senderId }, ['messages:read']);
  await revokeSystemClient(kuvert.services, { actorKind: 'system', actorId: 'matrix' }, gone.clientId);
  const replayed = await machineClient(kuvert, { senderId }, ['messages:read']);
  const usedAssertion = await replayed.assertion();
  const first = await requestToken(kuvert.url, tokenForm(usedAssertion));
  if (first.status !== 200) throw new Error('the first use of the assertion must work');

  // A vendor's system sending for Skattestyrelsen, which authorised the vendor for messages:send and messages:read; a
  // second vendor's authorisation ended after its token was issued (the token must stop at its next use).
  const onBehalf = await vendorToken(kuvert, senderId, '29190011', 'Kommunedata Systemer A/S');
  const expired = await vendorToken(kuvert, senderId, '29190003', 'Fagsystemer Vest A/S');
  await db
    .updateTable('on_behalf_authorisation')
    .set({ valid_from: new Date(Date.now() - 120_000), ends_at: new Date(Date.now() - 60_000) })
    .where('vendor_sender_id', '=', expired.vendorId)
    .execute();

  const web = async (login: Awaited<ReturnType<typeof personaLogin>>) =>
    sessionCaller(kuvert, login.browser.cookieHeader(), login.sessionId);
  const callers: Record<Role, Caller> = {
    anonymous: {},
    citizen: await web(citizen),
    businessAdmin: await web(anna),
    employee: await web(jonas),
    scopedEmployee: await web(karen),
    senderAdmin: await web(lars),
    senderStaff: await claimsLogin(kuvert, 'matrix-staff'),
    otherSenderAdmin: await claimsLogin(kuvert, 'matrix-other-admin'),
    operator: await web(ole),
    caseworker: await web(sofie),
    liveKey: { bearer: live.key },
    revokedKey: { bearer: revoked.key },
    testKey: { bearer: testKey.key },
    tokenAllScopes: { bearer: all.token, assertion: () => all.assertion() },
    tokenFewScopes: { bearer: few.token, assertion: () => few.assertion() },
    businessToken: { bearer: business.token, assertion: () => business.assertion() },
    // After a replay the caller holds no token; it presents the replayed assertion, which is no bearer credential.
    replayedJti: { bearer: usedAssertion, assertion: async () => usedAssertion },
    revokedClient: { bearer: gone.token, assertion: () => gone.assertion() },
    onBehalfToken: { bearer: onBehalf.token, assertion: onBehalf.assertion, tokenFields: onBehalf.fields },
    onBehalfExpired: { bearer: expired.token, assertion: expired.assertion, tokenFields: expired.fields },
  };
  return {
    callers,
    firmId,
    folderId: folder.id,
    scopedGrantId: karenGrant.id,
    staffId,
    testLetterId,
    liveLetterId,
  };
}

/** Prints expected against actual as one table; a differing cell reads "exp≠got". */
export function formatMatrix(rows: { name: string; cells: Record<Role, { expected: Expected; actual: Actual }> }[]) {
  const header = ['route', ...ROLES];
  const lines = rows.map((row) => [
    row.name,
    ...ROLES.map((role) => {
      const { expected, actual } = row.cells[role];
      return expected === actual ? String(actual) : `${expected}≠${actual}`;
    }),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cols: string[]) => cols.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ');
  return [fmt(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...lines.map(fmt)].join('\n');
}
