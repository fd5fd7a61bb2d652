import assert from 'node:assert/strict';
import type { Actor } from '../../src/kernel/actor.ts';
import { createSession } from '../../src/modules/identity/session.ts';
import { createPerson, letterBody } from './fixtures.ts';
import { eventually, type TestKuvert } from './kuvert.ts';

/** A logged-in web user: the session cookie and the CSRF token its forms carry. */
export interface WebUser {
  cookie: string;
  csrf: string;
}

export async function logIn(kuvert: TestKuvert, actor: Actor): Promise<WebUser> {
  const { sessionId, csrfToken } = await createSession(kuvert.services.db, actor, null);
  return { cookie: `kuvert_session=${sessionId}`, csrf: csrfToken };
}

/** A citizen with a session. */
export async function citizen(kuvert: TestKuvert, cpr: string, name: string) {
  const person = await createPerson(kuvert.services.db, cpr, name);
  const actor: Actor = { kind: 'citizen', subject: `test-${cpr}`, name, recipientId: person.id };
  return { id: person.id, name, actor, ...(await logIn(kuvert, actor)) };
}

/** A sender staff member of `senderId` with a session; an administrator of it unless told otherwise. */
export async function senderStaff(
  kuvert: TestKuvert,
  senderId: string,
  name: string,
  senderRole: 'admin' | 'staff' = 'admin',
) {
  const staff = await kuvert.services.db
    .insertInto('staff_user')
    .values({
      subject: `staff-${name}-${senderId}`,
      name,
      role: 'sender_staff',
      sender_role: senderRole,
      sender_id: senderId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const actor: Actor = { kind: 'sender_staff', subject: `staff-${name}`, name, staffId: staff.id, senderId };
  return { id: staff.id, actor, ...(await logIn(kuvert, actor)) };
}

/** Sends a letter through the sender API and waits until the worker has put it in the mailbox. */
export async function sendLetter(
  kuvert: TestKuvert,
  apiKey: string,
  cpr: string,
  overrides: Record<string, unknown> = {},
) {
  const response = await fetch(`${kuvert.url}/api/v1/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(letterBody(cpr, overrides)),
  });
  const body = (await response.json()) as { id: string; messageUuid: string };
  assert.equal(response.status, 201, JSON.stringify(body));
  await eventually(async () => {
    const row = await kuvert.services.db
      .selectFrom('message')
      .select('available_at')
      .where('id', '=', body.id)
      .executeTakeFirst();
    return row?.available_at;
  });
  return body;
}

export interface Page {
  status: number;
  headers: Headers;
  text: string;
  bytes: Buffer;
}

async function read(response: Response): Promise<Page> {
  const bytes = Buffer.from(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, text: bytes.toString('utf8'), bytes };
}

export async function getPage(kuvert: TestKuvert, path: string, user?: WebUser): Promise<Page> {
  return read(
    await fetch(`${kuvert.url}${path}`, { headers: user ? { cookie: user.cookie } : {}, redirect: 'manual' }),
  );
}

/** A file for a multipart form. */
export interface FormFile {
  name: string;
  type: string;
  bytes: Buffer;
}

/** Posts a multipart form like a browser does: fields first (the CSRF token among them), then the files. */
export async function postMultipart(
  kuvert: TestKuvert,
  path: string,
  user: WebUser,
  fields: Record<string, string>,
  files: FormFile[] = [],
): Promise<Page> {
  const form = new FormData();
  form.append('_csrf', user.csrf);
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  for (const file of files) form.append('attachments', new Blob([file.bytes], { type: file.type }), file.name);
  return read(
    await fetch(`${kuvert.url}${path}`, {
      method: 'POST',
      headers: { cookie: user.cookie },
      body: form,
      redirect: 'manual',
    }),
  );
}

/** Posts an ordinary (urlencoded) form with the CSRF token. */
export async function postForm(
  kuvert: TestKuvert,
  path: string,
  user: WebUser,
  fields: [string, string][],
): Promise<Page> {
  const body = new URLSearchParams([['_csrf', user.csrf], ...fields]);
  return read(
    await fetch(`${kuvert.url}${path}`, {
      method: 'POST',
      headers: { cookie: user.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body,
      redirect: 'manual',
    }),
  );
}

/** Calls the sender API with a key; JSON in and out. */
export async function api(
  kuvert: TestKuvert,
  apiKey: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; headers: Headers; body: any; bytes: Buffer }> {
  const response = await fetch(`${kuvert.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${apiKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  const type = response.headers.get('content-type') ?? '';
  return {
    status: response.status,
    headers: response.headers,
    body: /json/.test(type) ? JSON.parse(bytes.toString('utf8')) : null,
    bytes,
  };
}

/** Decodes the HTML entities our views escape, for asserting on visible text. */
export const visibleText = (html: string) =>
  html
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The id in a /post/sendt/<id> redirect. */
export function sentIdOf(page: Page): string {
  assert.equal(page.status, 303, page.text.slice(0, 2000));
  const match = /^\/post\/sendt\/([0-9a-f-]{36})\?sendt=1$/.exec(page.headers.get('location') ?? '');
  assert.ok(match, `redirect to the sent item, got ${page.headers.get('location')}`);
  return match[1] as string;
}
