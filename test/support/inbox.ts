import type { Db } from '../../src/db/database.ts';
import { letterBody } from './fixtures.ts';
import { sendAvailableLetter, type TestKuvert } from './kuvert.ts';

/** A business enrolled for Digital Post (automatic), with a CVR that passes the modulus-11 check. */
export async function createEnrolledBusiness(db: Db, cvr: string, name: string): Promise<string> {
  const row = await db
    .insertInto('recipient')
    .values({ kind: 'business', cvr, name, municipality_code: '0101', enrolment: 'automatic' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Sends a letter to a business by CVR and waits until it is in its mailbox; returns its id. */
export const sendToBusiness = (
  kuvert: TestKuvert,
  apiKey: string,
  cvr: string,
  overrides: Record<string, unknown> = {},
) => sendAvailableLetter(kuvert, apiKey, '', { ...letterBody(''), recipient: { cvr }, ...overrides });

/** A call to the inbox API with a bearer token; the body parsed when JSON. */
export async function inboxCall(
  kuvert: TestKuvert,
  token: string | null,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any; text: string; headers: Headers }> {
  const response = await fetch(`${kuvert.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  const json = (response.headers.get('content-type') ?? '').includes('json') && text ? JSON.parse(text) : null;
  return { status: response.status, body: json, text, headers: response.headers };
}
